import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as HttpClient from "../HttpClient.ts"
import { runOperation } from "./ContractKit.ts"

describe("ContractKit.runOperation", () => {
  it("never sends a request anywhere but loopback, even to an allowed public host", async () => {
    const lookupFree = "93.184.216.34" // an IP literal: no DNS; the guard allows public addresses
    const operation = Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      return yield* http.request({ method: "GET", url: `http://${lookupFree}/` })
    })
    const outcome = await runOperation(operation, { allowedHosts: [lookupFree] })
    if (Result.isSuccess(outcome)) throw new Error("a request left loopback")
    expect(outcome.failure._tag).toBe("Unreachable")
    expect(outcome.failure.message).toContain("only talks to loopback")
  })
})
