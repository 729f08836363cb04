import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const sourceRows = 3_000
const httpTimeoutMs = 1_500

/** The cursor a data request asked for. */
const cursorOf = (path: string): string | null => new URL(path, "http://x").searchParams.get("cursor")

describe("the council-finance system stops answering (requests hang past the worker's HTTP timeout), then recovers", () => {
  const fx = FaultHub.fixture("timeout")

  EffectTest.effect("each hung request is abandoned at the timeout, retried for the same page, and the ingest completes exactly", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", String(sourceRows)],
        record: true,
        // The first request gets no answer within the test (the simulator answers 504 after two minutes), the
        // second answers long after the worker has given up: both look the same to the worker, a timeout.
        beforeWorkers: (simulator) => FaultHub.arm(simulator.url, { pathPrefix: "/v1/councils", hang: { count: 2, ms: 120_000 } }),
        pageSize: 500,
        extra: { HUB_HTTP_TIMEOUT_MS: String(httpTimeoutMs), HUB_JOB_ATTEMPTS: "6" }
      })

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const job = yield* FaultHub.awaitFinished("ingest", 120_000)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("completed")
        const requests = FaultHub.dataRequests(hub.proxy)
        // Two abandoned requests (status 0: the worker closed them), then answers.
        expect(requests.slice(0, 3).map((e) => e.status)).toEqual([0, 0, 200])
        for (const hung of requests.slice(0, 2)) {
          // The worker's deadline starts before the request reaches the proxy (it covers the whole exchange), so
          // the proxy sees somewhat less than the full timeout.
          expect(hung.answeredAt - hung.startedAt, "the worker waited for its timeout before giving up").toBeGreaterThanOrEqual(httpTimeoutMs / 2)
          expect(hung.answeredAt - hung.startedAt, "and no longer than a generous bound").toBeLessThan(httpTimeoutMs + 15_000)
        }
        // The retries asked for the same page: nothing was committed while the system hung.
        expect(requests.slice(0, 3).map((e) => cursorOf(e.path))).toEqual(["0", "0", "0"])
        // Each page after recovery was asked for once and answered.
        const answered = requests.slice(2)
        expect(answered.every((e) => e.status === 200)).toBe(true)
        expect(new Set(answered.map((e) => cursorOf(e.path))).size).toBe(answered.length)
        expect(answered).toHaveLength(sourceRows / 500)
        // Two timed-out attempts and the one that succeeded.
        expect(job?.attemptsMade).toBe(3)
        expect(yield* FaultHub.unfinished).toBe(0)
        FaultHub.expectWorkersAlive(hub)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 180_000)
})
