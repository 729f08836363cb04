import { ApiKeyRepo } from "@hub/store"
import { Effect, Layer } from "effect"
import { ConnectionError, SqlError } from "effect/sql/SqlError"
import { describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../test-support/TestApp.ts"
import { ApiKeys, hashToken } from "../ports/ApiKeys.ts"
import * as StoreApiKeys from "./StoreApiKeys.ts"

const repoWith = (findByHash: ApiKeyRepo.ApiKeyRepo["Service"]["findByHash"]) =>
  Layer.succeed(ApiKeyRepo.ApiKeyRepo, {
    create: () => Effect.die("unused"),
    revoke: () => Effect.die("unused"),
    list: () => Effect.die("unused"),
    findByHash
  })

describe("ApiKeys over libs/store (without a database)", () => {
  it("maps a stored key to the gateway's view, revoked when it has a revocation date", async () => {
    const stored = { id: "k1", name: "Key one", hash: "h", scopes: ["read" as const], createdAt: "2026-01-01T00:00:00.000Z" }
    const lookup = (revokedAt: string | undefined) =>
      Effect.runPromise(
        ApiKeys.use((keys) => keys.findByHash("h")).pipe(
          Effect.provide(StoreApiKeys.layer.pipe(Layer.provide(repoWith(() => Effect.succeed(revokedAt === undefined ? stored : { ...stored, revokedAt })))))
        )
      )
    expect(await lookup(undefined)).toEqual({ id: "k1", name: "Key one", scopes: ["read"], revoked: false })
    expect(await lookup("2026-02-01T00:00:00.000Z")).toMatchObject({ revoked: true })
  })

  it("answers 503 naming the database when the store cannot be reached", async () => {
    const unreachable = repoWith(() =>
      Effect.fail(new SqlError({ reason: new ConnectionError({ cause: "ECONNREFUSED", message: "connect ECONNREFUSED 10.1.2.3:5432", operation: "connect" }) }))
    )
    const down = makeTestApp({ apiKeys: StoreApiKeys.layer.pipe(Layer.provide(unreachable)) })
    const res = await down.app.request("/v1/organisations/08Q", { headers: bearer(tokens.read) })
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(text).not.toContain("10.1.2.3")
    expect(JSON.parse(text)).toMatchObject({ dependencies: ["database"] })
  })
})

describe("StoreApiKeys.layerWith (development keys beside the store's)", () => {
  it("finds a development key by its token's hash first, and every other hash in the store", async () => {
    const stored = { id: "k1", name: "Key one", hash: "h", scopes: ["read" as const], createdAt: "2026-01-01T00:00:00.000Z" }
    const dev = { token: "dev-token-0123456789", key: { id: "dev", name: "dev", scopes: ["admin" as const], revoked: false } }
    const found = await Effect.runPromise(
      Effect.gen(function* () {
        const keys = yield* ApiKeys
        return [yield* keys.findByHash(hashToken(dev.token)), yield* keys.findByHash("h"), yield* keys.findByHash("other")]
      }).pipe(
        Effect.provide(
          StoreApiKeys.layerWith([dev]).pipe(Layer.provide(repoWith((hash) => Effect.succeed(hash === "h" ? stored : undefined))))
        )
      )
    )
    expect(found).toEqual([dev.key, { id: "k1", name: "Key one", scopes: ["read"], revoked: false }, undefined])
  })
})
