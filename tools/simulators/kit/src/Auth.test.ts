import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { Hono } from "hono"
import { expect } from "vitest"
import * as Auth from "./Auth.ts"
import { startServer } from "./Server.ts"

const app = new Hono()
  .get("/read", Auth.apiKey({ keys: { "reader": ["read"], "writer": ["read", "write"] }, scope: "read" }), (c) => c.text("ok"))
  .post("/write", Auth.apiKey({ header: "x-cbs-key", keys: { "reader": ["read"], "writer": ["write"] }, scope: "write" }), (c) => c.text("ok"))
  .get("/token", Auth.bearer({ tokens: { "t0k": [] } }), (c) => c.text("ok"))

const call = (url: string, init: RequestInit = {}) =>
  Effect.promise(() => fetch(url, init).then((r) => ({ status: r.status, challenge: r.headers.get("www-authenticate") })))

EffectTest.effect("API keys: none or unknown is 401 with a challenge, a key without the scope is 403", () =>
  Effect.gen(function* () {
    const { url } = yield* startServer(app)
    expect(yield* call(`${url}/read`)).toEqual({ status: 401, challenge: `ApiKey header="x-api-key"` })
    expect((yield* call(`${url}/read`, { headers: { "x-api-key": "nope" } })).status).toBe(401)
    expect((yield* call(`${url}/read`, { headers: { "x-api-key": "reader" } })).status).toBe(200)
    expect((yield* call(`${url}/write`, { method: "POST", headers: { "x-cbs-key": "reader" } })).status).toBe(403)
    expect((yield* call(`${url}/write`, { method: "POST", headers: { "x-cbs-key": "writer" } })).status).toBe(200)
    expect((yield* call(`${url}/read`, { headers: { "x-api-key": "toString" } })).status).toBe(401)
  }))

EffectTest.effect("bearer tokens: a wrong scheme or token is 401, the right token passes", () =>
  Effect.gen(function* () {
    const { url } = yield* startServer(app)
    expect((yield* call(`${url}/token`, { headers: { authorization: "Basic t0k" } })).status).toBe(401)
    expect((yield* call(`${url}/token`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401)
    expect((yield* call(`${url}/token`, { headers: { authorization: "Bearer t0k" } })).status).toBe(200)
  }))
