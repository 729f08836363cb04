import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ApiKeys, grants, hashToken, parseKeyList } from "./ApiKeys.ts"

describe("hashToken", () => {
  it("is the lower-case hex SHA-256 of the token", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  })
})

describe("grants", () => {
  const key = (scopes: Array<"read" | "write" | "ops" | "admin">) => ({ id: "k", name: "k", scopes, revoked: false })
  it("grants the scopes a key lists, and every scope to an admin key", () => {
    expect(grants(key(["read"]), "read")).toBe(true)
    expect(grants(key(["read"]), "write")).toBe(false)
    expect(grants(key(["ops"]), "read")).toBe(false)
    for (const scope of ["read", "write", "ops", "admin"] as const) expect(grants(key(["admin"]), scope)).toBe(true)
  })
})

describe("ApiKeys.layerInMemory", () => {
  it("finds a key by the hash of its token only", async () => {
    const key = { id: "dev", name: "dev", scopes: ["read" as const], revoked: false }
    const token = "a-dev-token-0123456789"
    const found = await Effect.runPromise(
      Effect.gen(function* () {
        const keys = yield* ApiKeys
        return [yield* keys.findByHash(hashToken(token)), yield* keys.findByHash(token)] as const
      }).pipe(Effect.provide(ApiKeys.layerInMemory([{ token, key }])))
    )
    expect(found).toEqual([key, undefined])
  })
})

describe("parseKeyList", () => {
  it("reads name:scope+scope:token entries", () => {
    expect(parseKeyList("dev:read+ops:dev-token-0123456789, ci:admin:ci-token-0123456789:with-colon")).toEqual({
      keys: [
        { token: "dev-token-0123456789", key: { id: "dev", name: "dev", scopes: ["read", "ops"], revoked: false } },
        { token: "ci-token-0123456789:with-colon", key: { id: "ci", name: "ci", scopes: ["admin"], revoked: false } }
      ]
    })
  })

  it("names the bad entry and never echoes its token", () => {
    for (const [text, expected] of [
      ["dev:read", "entry 1"],
      ["ok:read:ok-token-0123456789,dev:root:secret-token-0123456789", "entry 2 (dev)"],
      ["dev:read:short", "at least 16"]
    ] as const) {
      const result = parseKeyList(text)
      expect("error" in result && result.error).toContain(expected)
      expect(JSON.stringify(result)).not.toContain("secret-token")
    }
  })
})
