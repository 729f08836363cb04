import { UnrecoverableError } from "bullmq"
import { Cause, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { RetryableJobError } from "./Backoff.ts"
import * as JobFailure from "./JobFailure.ts"
import { isRetryability } from "./Retryability.ts"

// Shaped like the plugin SDK's errors: `retryable` is a class field, `retryAfterMs` a Schema field of some only.
class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", { url: Schema.String, retryAfterMs: Schema.Number }) {
  readonly retryable = true as const
  override get message(): string {
    return `${this.url} is rate limiting`
  }
}
class Rejected extends Schema.TaggedError<Rejected>()("Rejected", { detail: Schema.String }) {
  readonly retryable = false as const
  override get message(): string {
    return this.detail
  }
}

describe("JobFailure.verdictOf", () => {
  it("retries a retryable error, keeping its retryAfterMs", () => {
    const error = new RateLimited({ url: "http://127.0.0.1:4010/spend", retryAfterMs: 3000 })
    expect(isRetryability(error)).toBe(true)
    expect(JobFailure.verdictOf(Cause.fail(error))).toEqual({
      _tag: "Retry",
      reason: "RateLimited: http://127.0.0.1:4010/spend is rate limiting",
      retryAfterMs: 3000
    })
  })

  it("fails a non-retryable error for good with its tag and message", () => {
    expect(JobFailure.verdictOf(Cause.fail(new Rejected({ detail: "unknown body code Q99" })))).toEqual({
      _tag: "Fail",
      reason: "Rejected: unknown body code Q99"
    })
  })

  it("retries a defect by default and fails it when the worker says so", () => {
    const cause = Cause.die(new RangeError("offset out of range"))
    expect(JobFailure.verdictOf(cause)).toEqual({
      _tag: "Retry",
      reason: "Defect: RangeError: offset out of range",
      retryAfterMs: undefined
    })
    expect(JobFailure.verdictOf(cause, "fail")).toEqual({ _tag: "Fail", reason: "Defect: RangeError: offset out of range" })
  })

  it("treats a failure without the retryability shape as a defect", () => {
    expect(JobFailure.verdictOf(Cause.fail("just a string"), "fail")).toEqual({ _tag: "Fail", reason: "Defect: just a string" })
  })

  it("retries an interruption nobody asked for", () => {
    expect(JobFailure.verdictOf(Cause.interrupt())._tag).toBe("Retry")
  })

  it("turns verdicts into the errors BullMQ acts on", () => {
    const retry = JobFailure.toBullError({ _tag: "Retry", reason: "RateLimited: slow down", retryAfterMs: 10 })
    expect(retry).toBeInstanceOf(RetryableJobError)
    expect((retry as RetryableJobError).retryAfterMs).toBe(10)
    const fail = JobFailure.toBullError({ _tag: "Fail", reason: "Rejected: no" })
    expect(fail).toBeInstanceOf(UnrecoverableError)
    expect(fail.message).toBe("Rejected: no")
  })
})
