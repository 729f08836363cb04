import { describe, expect, it } from "vitest"
import * as Producer from "./Producer.ts"

describe("Producer.jobOptions", () => {
  it("gives every job the hub backoff, attempts and retention, and per-job options on top", () => {
    expect(Producer.jobOptions(Producer.defaults, { jobId: "pull.spend.key-1", delayMs: 500, attempts: 2 })).toEqual({
      attempts: 2,
      backoff: { type: "hub.exponential", delay: 1000 },
      removeOnComplete: { age: 86_400, count: 1000 },
      removeOnFail: { age: 30 * 86_400 },
      jobId: "pull.spend.key-1",
      delay: 500
    })
  })
})

describe("Producer.jobIdProblem", () => {
  it("accepts ids made of idempotency keys", () => {
    expect(Producer.jobIdProblem("push.council-finance.return.2025-26.v2")).toBeUndefined()
  })

  it("names why BullMQ would refuse an id", () => {
    expect(Producer.jobIdProblem("")).toMatch(/empty/)
    expect(Producer.jobIdProblem("a:b")).toMatch(/must not contain ':'/)
    expect(Producer.jobIdProblem("17")).toMatch(/must not be an integer/)
  })
})
