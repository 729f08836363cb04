import { EffectTest } from "@hub/testing"
import { Effect, Exit, Scope } from "effect"
import { Hono } from "hono"
import { expect } from "vitest"
import { startServer } from "./Server.ts"

const hello = new Hono().get("/hello", (c) => c.text("hi"))

EffectTest.effect("a started server answers on loopback at the URL it returns", () =>
  Effect.gen(function* () {
    const server = yield* startServer(hello, { port: 0 })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
    const res = yield* Effect.promise(() => fetch(`${server.url}/hello`))
    expect(yield* Effect.promise(() => res.text())).toBe("hi")
  }))

EffectTest.effect("closing the scope stops listening, even with a request still hanging", () =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const slow = new Hono().get("/slow", () => new Promise<Response>(() => undefined))
    const server = yield* startServer(slow).pipe(Scope.provide(scope))
    const hanging = fetch(`${server.url}/slow`).then(() => "answered", () => "cut")
    yield* Effect.sleep("50 millis")
    yield* Scope.close(scope, Exit.void)
    expect(yield* Effect.promise(() => hanging)).toBe("cut")
    const after = yield* Effect.promise(() => fetch(`${server.url}/slow`).then(() => "answered", () => "refused"))
    expect(after).toBe("refused")
  }))

EffectTest.effect("a port already in use fails with ServerStartError naming it", () =>
  Effect.gen(function* () {
    const first = yield* startServer(hello)
    const error = yield* Effect.flip(startServer(hello, { port: first.port }))
    expect(error._tag).toBe("ServerStartError")
    expect(error.message).toContain(`127.0.0.1:${first.port}`)
  }))
