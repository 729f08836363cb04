import { describe, expect, it } from "vitest"
import { make } from "./AuthCache.ts"

const key = { id: "k", name: "k", scopes: ["read" as const], revoked: false }

describe("AuthCache", () => {
  it("keeps a lookup, found or not, until its TTL passes", () => {
    let now = 0
    const cache = make({ ttlMs: 100, now: () => now })
    cache.set("found", key)
    cache.set("missing", undefined)
    expect(cache.get("found")).toEqual({ key, expiresAt: 100 })
    expect(cache.get("missing")).toMatchObject({ key: undefined })
    expect(cache.get("never-seen")).toBeUndefined()
    now = 100
    expect(cache.get("found")).toBeUndefined()
    expect(cache.get("missing")).toBeUndefined()
  })

  it("never holds more than maxEntries", () => {
    const cache = make({ ttlMs: 1000, maxEntries: 3, now: () => 0 })
    for (const hash of ["a", "b", "c", "d"]) cache.set(hash, key)
    expect(["a", "b", "c", "d"].filter((hash) => cache.get(hash) !== undefined)).toEqual(["d"])
  })
})
