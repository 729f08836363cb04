import { Effect, Exit, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { serve } from "./GatewayServer.ts"
import { makeTestApp } from "./test-support/TestApp.ts"

describe("GatewayServer.serve", () => {
  it("serves the app over HTTP on loopback until its scope closes", async () => {
    const { app } = makeTestApp()
    const scope = await Effect.runPromise(Scope.make())
    const address = await Effect.runPromise(Scope.provide(serve(app, { port: 0, host: "127.0.0.1" }), scope))
    const url = `http://127.0.0.1:${address.port}/healthz`
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get("x-request-id")).not.toBeNull()
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await expect(fetch(url)).rejects.toThrow()
  })

  it("fails when the port is taken", async () => {
    const { app } = makeTestApp()
    const scope = await Effect.runPromise(Scope.make())
    const first = await Effect.runPromise(Scope.provide(serve(app, { port: 0, host: "127.0.0.1" }), scope))
    const second = await Effect.runPromiseExit(Effect.scoped(serve(app, { port: first.port, host: "127.0.0.1" })))
    expect(second._tag).toBe("Failure")
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })
})
