import { describe, expect, it } from "vitest"
import * as PluginError from "./PluginError.ts"

describe("PluginError", () => {
  it("retryable errors are exactly the transient ones", () => {
    const retryable = [
      new PluginError.Unreachable({ url: "u", reason: "r" }),
      new PluginError.Timeout({ url: "u", timeoutMs: 1 }),
      new PluginError.ServerError({ url: "u", status: 502, reason: "r" }),
      new PluginError.RateLimited({ url: "u", retryAfterMs: 5 })
    ]
    const permanent = [
      new PluginError.Unauthorized({ url: "u", status: 401, reason: "r" }),
      new PluginError.Rejected({ kind: "k", reasons: ["r"] }),
      new PluginError.BadConfiguration({ reason: "r" }),
      new PluginError.HostRefused({ url: "u", reason: "r" })
    ]
    expect(retryable.map(PluginError.isRetryable)).toEqual([true, true, true, true])
    expect(permanent.map(PluginError.isRetryable)).toEqual([false, false, false, false])
    expect(retryable.map(PluginError.retryAfterMs)).toEqual([undefined, undefined, undefined, 5])
  })

  it("reads Retry-After as seconds or as an HTTP date relative to now", () => {
    expect(PluginError.parseRetryAfter("30")).toBe(30_000)
    const now = Date.parse("Mon, 23 Nov 2026 12:00:00 GMT")
    expect(PluginError.parseRetryAfter("Mon, 23 Nov 2026 12:01:30 GMT", now)).toBe(90_000)
    expect(PluginError.parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", now)).toBe(0)
    expect(PluginError.parseRetryAfter("soon", now)).toBeUndefined()
    expect(PluginError.parseRetryAfter(undefined)).toBeUndefined()
  })

  it("a 429 without Retry-After waits the default", () => {
    const error = PluginError.fromStatus("u", 429)
    expect(error?._tag === "RateLimited" && error.retryAfterMs).toBe(PluginError.defaultRetryAfterMs)
  })

  it("errors encode and decode through the family schema (job failure payloads)", async () => {
    const { Schema } = await import("effect")
    const error = new PluginError.RateLimited({ url: "http://x", retryAfterMs: 1500 })
    const encoded = Schema.encodeSync(PluginError.PluginError)(error)
    const decoded = Schema.decodeUnknownSync(PluginError.PluginError)(encoded)
    expect(decoded._tag).toBe("RateLimited")
    expect(decoded.retryable).toBe(true)
  })
})
