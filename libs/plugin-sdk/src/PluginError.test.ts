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
      new PluginError.HostRefused({ url: "u", reason: "r" }),
      new PluginError.ResponseTooLarge({ url: "u", limitBytes: 10, seenBytes: 11 })
    ]
    expect(retryable.map(PluginError.isRetryable)).toEqual([true, true, true, true])
    expect(permanent.map(PluginError.isRetryable)).toEqual([false, false, false, false, false])
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

  it("a response over the size cap names the URL, the limit and the bytes seen, and survives the family schema", async () => {
    const { Schema } = await import("effect")
    const error = new PluginError.ResponseTooLarge({ url: "http://x/spend?cursor=0", limitBytes: 4096, seenBytes: 5000 })
    expect(error.message).toBe("http://x/spend?cursor=0 answered over the size cap: 5000 bytes seen, the limit is 4096 bytes")
    const decoded = Schema.decodeUnknownSync(PluginError.PluginError)(Schema.encodeSync(PluginError.PluginError)(error))
    expect(decoded).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 4096, seenBytes: 5000, retryable: false })
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
