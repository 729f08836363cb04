import { ApiKeyRepo, Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { hashToken } from "../ports/ApiKeys.ts"
import { bearer, makeTestApp } from "../test-support/TestApp.ts"
import * as StoreApiKeys from "./StoreApiKeys.ts"
import * as StoreReadiness from "./StoreReadiness.ts"

const active = "store-token-active-0123456789"
const revoked = "store-token-revoked-0123456789"

/** An in-memory PGlite store holding one active and one revoked key, created by hash as the CLI would. */
const seeded = Layer.effectDiscard(
  Effect.gen(function* () {
    const repo = yield* ApiKeyRepo.ApiKeyRepo
    yield* repo.create({ id: "svc-finance", name: "Finance service", hash: hashToken(active), scopes: ["read"] })
    yield* repo.create({ id: "svc-old", name: "Old service", hash: hashToken(revoked), scopes: ["admin"] })
    yield* repo.revoke("svc-old")
  })
)

describe("ApiKeys over libs/store (embedded PGlite)", () => {
  const store = Store.layerPglite()
  const { app, log } = makeTestApp({
    apiKeys: Layer.mergeAll(StoreApiKeys.layer, seeded).pipe(Layer.provide(store)),
    readiness: StoreReadiness.layer([]).pipe(Layer.provide(store)),
    limits: { authCacheTtlMs: 1 }
  })

  it("is ready when the database answers", async () => {
    const res = await app.request("/readyz")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: "ready", checks: [{ name: "database", status: "up" }] })
  })

  it("authenticates a stored key by the hash of its token, and names it in the log", async () => {
    const res = await app.request("/v1/organisations/08Q", { headers: bearer(active, { "X-Request-Id": "store-1" }) })
    expect(res.status).toBe(200)
    expect(log.records().find((r) => r["requestId"] === "store-1")?.["keyId"]).toBe("svc-finance")
  }, 60_000)

  it("refuses a revoked key and an unknown one, and enforces the stored scopes", async () => {
    expect((await app.request("/v1/organisations/08Q", { headers: bearer(revoked) })).status).toBe(401)
    expect((await app.request("/v1/organisations/08Q", { headers: bearer("store-token-unknown-0123456789") })).status).toBe(401)
    const check = await app.request("/v1/delegations/check", {
      method: "POST",
      headers: bearer(active, { "Content-Type": "application/json" }),
      body: JSON.stringify({ delegations: [] })
    })
    expect(check.status).toBe(200)
  })
})
