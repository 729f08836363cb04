import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Backoff from "./Backoff.ts"

describe("Backoff", () => {
  it("doubles the base delay with each retry", () => {
    expect([1, 2, 3, 4].map((n) => Backoff.delayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000])
  })

  it("never retries sooner than retryAfterMs nor sooner than the exponential delay", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
        (attempts, base, retryAfter) => {
          const delay = Backoff.delayMs(attempts, base, retryAfter)
          expect(delay).toBeGreaterThanOrEqual(retryAfter ?? 0)
          expect(delay).toBeGreaterThanOrEqual(base * 2 ** (attempts - 1))
          expect(delay === (retryAfter ?? 0) || delay === Math.round(base * 2 ** (attempts - 1))).toBe(true)
        }
      )
    )
  })

  it("reads retryAfterMs from the retryable error and the base delay from the job's options", async () => {
    const job = { opts: { backoff: { type: Backoff.type, delay: 100 } } }
    const strategy = (attempts: number, error: Error) =>
      // The strategy only reads `opts.backoff` of the job.
      Backoff.strategy(attempts, Backoff.type, error, job as unknown as Parameters<typeof Backoff.strategy>[3])
    expect(await strategy(1, new Backoff.RetryableJobError("429", 5000))).toBe(5000)
    expect(await strategy(3, new Backoff.RetryableJobError("503", undefined))).toBe(400)
    expect(await strategy(2, new Error("thrown elsewhere"))).toBe(200)
  })
})
