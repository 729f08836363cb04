import { describe, expect, it } from "vitest"
import { isRetryability, reasonOf } from "./Retryability.ts"

describe("Retryability", () => {
  it("recognises errors that say whether to retry, with or without retryAfterMs", () => {
    expect(isRetryability({ _tag: "Unreachable", retryable: true, message: "connection refused" })).toBe(true)
    expect(isRetryability({ _tag: "RateLimited", retryable: true, retryAfterMs: 2000, message: "429" })).toBe(true)
    expect(isRetryability({ _tag: "RateLimited", retryable: true, retryAfterMs: undefined, message: "429" })).toBe(true)
  })

  it("does not take other values for one", () => {
    expect(isRetryability(new Error("boom"))).toBe(false)
    expect(isRetryability({ _tag: "X", retryable: "yes", message: "m" })).toBe(false)
    expect(isRetryability({ _tag: "X", retryable: true, retryAfterMs: "2s", message: "m" })).toBe(false)
    expect(isRetryability({ retryable: true, message: "m" })).toBe(false)
    expect(isRetryability(null)).toBe(false)
  })

  it("reads as tag and message", () => {
    expect(reasonOf({ _tag: "Unauthorised", retryable: false, message: "API key revoked" })).toBe("Unauthorised: API key revoked")
  })
})
