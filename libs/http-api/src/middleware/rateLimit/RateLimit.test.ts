import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"
import { makeLimiter } from "./RateLimit.ts"

describe("the token bucket", () => {
  it("allows a burst of `capacity`, then refuses with the seconds until the next token", () => {
    let now = 0
    const limiter = makeLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => now })
    expect([1, 2, 3].map(() => limiter.take("k").allowed)).toEqual([true, true, true])
    expect(limiter.take("k")).toEqual({ allowed: false, retryAfterSeconds: 2 })
    now = 2000
    expect(limiter.take("k").allowed).toBe(true)
    expect(limiter.take("k").allowed).toBe(false)
  })

  it("keeps one bucket per key", () => {
    const limiter = makeLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 })
    expect(limiter.take("a").allowed).toBe(true)
    expect(limiter.take("a").allowed).toBe(false)
    expect(limiter.take("b").allowed).toBe(true)
  })

  it("never allows more than capacity + rate × elapsed time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (capacity, rate, gaps) => {
          let now = 0
          const limiter = makeLimiter({ capacity, refillPerSecond: rate, now: () => now })
          let allowed = 0
          for (const gap of gaps) {
            now += gap
            if (limiter.take("k").allowed) allowed += 1
          }
          return allowed <= capacity + Math.floor((rate * now) / 1000)
        }
      )
    )
  })
})

describe("per-key rate limiting", () => {
  it("answers 429 with Retry-After once a key has used its burst, without affecting other keys", async () => {
    let now = 1_000_000
    const { app } = makeTestApp({ limits: { rateCapacity: 2, ratePerSecond: 1 }, now: () => now })
    const call = (token: string) => app.request("/v1/organisations/08Q", { headers: bearer(token) })
    expect((await call(tokens.read)).status).toBe(200)
    expect((await call(tokens.read)).status).toBe(200)
    const limited = await call(tokens.read)
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("1")
    expect(await limited.json()).toMatchObject({ status: 429, retryAfterSeconds: 1, type: "urn:hub:problem:rate-limited" })
    expect((await call(tokens.admin)).status).toBe(200)
    now += 1000
    expect((await call(tokens.read)).status).toBe(200)
  })

  it("does not limit public routes", async () => {
    const { app } = makeTestApp({ limits: { rateCapacity: 1, ratePerSecond: 1 }, now: () => 0 })
    for (let i = 0; i < 5; i++) expect((await app.request("/healthz")).status).toBe(200)
  })
})
