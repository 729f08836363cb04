import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { bearer, makeTestApp, testKeys, tokens } from "../../test-support/TestApp.ts"
import { type ApiKey, ApiKeys, hashToken } from "../../ports/ApiKeys.ts"

/** An ApiKeys layer over the test keys that counts lookups and can revoke a key. */
const countingKeys = () => {
  const state = { lookups: 0, revoked: new Set<string>() }
  const byHash = new Map<string, ApiKey>(testKeys.map(({ token, key }) => [hashToken(token), key]))
  const layer = Layer.succeed(ApiKeys, {
    findByHash: (hash) =>
      Effect.sync(() => {
        state.lookups += 1
        const key = byHash.get(hash)
        return key === undefined ? undefined : { ...key, revoked: key.revoked || state.revoked.has(key.id) }
      })
  })
  return { state, layer }
}

describe("authentication", () => {
  it("looks a token up once, then serves it from the cache until the TTL passes", async () => {
    let now = 0
    const keys = countingKeys()
    const { app } = makeTestApp({ apiKeys: keys.layer, limits: { authCacheTtlMs: 1000 }, now: () => now })
    for (let i = 0; i < 5; i++) expect((await app.request("/v1/organisations/08Q", { headers: bearer(tokens.read) })).status).toBe(200)
    expect(keys.state.lookups).toBe(1)
    keys.state.revoked.add("key-read")
    expect((await app.request("/v1/organisations/08Q", { headers: bearer(tokens.read) })).status).toBe(200)
    now = 1001
    expect((await app.request("/v1/organisations/08Q", { headers: bearer(tokens.read) })).status).toBe(401)
    expect(keys.state.lookups).toBe(2)
  })

  it("caches unknown tokens too, so guessing does not reach the repository on every request", async () => {
    const keys = countingKeys()
    const { app } = makeTestApp({ apiKeys: keys.layer, now: () => 0 })
    for (let i = 0; i < 3; i++) {
      expect((await app.request("/v1/organisations", { headers: bearer("guessed-token-000000000") })).status).toBe(401)
    }
    expect(keys.state.lookups).toBe(1)
  })

  it("accepts the scheme in any case, and refuses an empty or over-long token without a lookup", async () => {
    const keys = countingKeys()
    const { app } = makeTestApp({ apiKeys: keys.layer })
    expect((await app.request("/v1/organisations/08Q", { headers: { Authorization: `bearer ${tokens.read}` } })).status).toBe(200)
    expect((await app.request("/v1/organisations/08Q", { headers: { Authorization: `Bearer ${"a".repeat(600)}` } })).status).toBe(401)
    expect(keys.state.lookups).toBe(1)
  })
})
