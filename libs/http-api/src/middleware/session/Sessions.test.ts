import { describe, expect, it } from "vitest"
import { make } from "./Sessions.ts"

describe("Sessions", () => {
  it("gives each sign-in a distinct opaque id that maps to the key's hash until it expires", () => {
    let time = 0
    const sessions = make({ ttlMs: 1000, now: () => time })
    const a = sessions.start("hash-a")
    const b = sessions.start("hash-a")
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/u)
    expect(a).not.toBe(b)
    expect(a).not.toContain("hash-a")
    expect(sessions.get(a)).toEqual({ tokenHash: "hash-a", expiresAt: 1000 })
    time = 999
    expect(sessions.get(a)?.tokenHash).toBe("hash-a")
    time = 1000
    expect(sessions.get(a)).toBeUndefined()
  })

  it("forgets an ended session, and knows nothing of ids it did not issue", () => {
    const sessions = make({ ttlMs: 1000 })
    const id = sessions.start("h")
    sessions.end(id)
    expect(sessions.get(id)).toBeUndefined()
    expect(sessions.get(undefined)).toBeUndefined()
    expect(sessions.get("x".repeat(43))).toBeUndefined()
    expect(sessions.get("not an id")).toBeUndefined()
  })

  it("stays bounded: past the limit the oldest sessions are dropped first", () => {
    const sessions = make({ ttlMs: 60_000, maxSessions: 3 })
    const ids = ["h1", "h2", "h3", "h4", "h5"].map((h) => sessions.start(h))
    expect(ids.map((id) => sessions.get(id)?.tokenHash)).toEqual([undefined, undefined, "h3", "h4", "h5"])
  })
})
