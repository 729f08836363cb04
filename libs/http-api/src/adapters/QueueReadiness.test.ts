import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { fromChecks } from "../ports/Readiness.ts"
import { redisCheck } from "./QueueReadiness.ts"

const check = (ping: () => Promise<string>) => Effect.runPromise(fromChecks([redisCheck({ ping })], { timeoutMs: 100 }).check)

describe("redisCheck", () => {
  it("is up when Redis answers PONG", async () => {
    expect(await check(() => Promise.resolve("PONG"))).toEqual([{ name: "redis", status: "up" }])
  })

  it("is down when the PING fails (Redis down: the fail-fast client rejects at once), answers oddly, or hangs", async () => {
    expect(await check(() => Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")))).toEqual([
      { name: "redis", status: "down", detail: "unreachable" }
    ])
    expect(await check(() => Promise.resolve("LOADING"))).toEqual([{ name: "redis", status: "down", detail: "unreachable" }])
    expect(await check(() => new Promise<string>(() => undefined))).toEqual([{ name: "redis", status: "down", detail: "timed out" }])
  })
})
