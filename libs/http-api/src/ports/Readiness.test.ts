import { Effect } from "effect"
import { createServer } from "node:net"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "vitest"
import { fromChecks, tcpCheck } from "./Readiness.ts"

describe("fromChecks", () => {
  it("reports each check up or down, a slow one as timed out, in the order given", async () => {
    const results = await Effect.runPromise(
      fromChecks(
        [
          { name: "a", run: Effect.void },
          { name: "b", run: Effect.fail("no") },
          { name: "c", run: Effect.never },
          { name: "d", run: Effect.die("defect") }
        ],
        { timeoutMs: 50 }
      ).check
    )
    expect(results).toEqual([
      { name: "a", status: "up" },
      { name: "b", status: "down", detail: "unreachable" },
      { name: "c", status: "down", detail: "timed out" },
      { name: "d", status: "down", detail: "unreachable" }
    ])
  })
})

describe("tcpCheck", () => {
  it("is up while something listens on the port, and down once it stops", async () => {
    const server = createServer((socket) => socket.end())
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    const check = fromChecks([tcpCheck("redis", "127.0.0.1", port)], { timeoutMs: 1000 }).check
    expect(await Effect.runPromise(check)).toEqual([{ name: "redis", status: "up" }])
    await new Promise<void>((resolve) => server.close(() => resolve()))
    expect(await Effect.runPromise(check)).toEqual([{ name: "redis", status: "down", detail: "unreachable" }])
  })
})
