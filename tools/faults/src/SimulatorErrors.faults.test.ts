import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const sourceRows = 3_000
const retryAfterSeconds = 2

describe("the council-finance system answers 429 with Retry-After and 500s, then recovers", () => {
  const fx = FaultHub.fixture("simerr")

  EffectTest.effect("the job retries, waits at least Retry-After after the 429, and stores exactly the source rows", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", String(sourceRows)],
        record: true,
        beforeWorkers: (simulator) =>
          FaultHub.arm(simulator.url, {
            pathPrefix: "/v1/councils",
            rateLimit: { count: 1, retryAfterSeconds },
            status5xx: { count: 2, status: 500 }
          }),
        extra: { HUB_JOB_ATTEMPTS: "6" }
      })

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const job = yield* FaultHub.awaitFinished("ingest", 120_000)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("completed")
        // The rate limit fires first, then the two 500s, then the system answers.
        const requests = FaultHub.dataRequests(hub.proxy)
        expect(requests.slice(0, 4).map((e) => e.status)).toEqual([429, 500, 500, 200])
        expect(requests[0]?.retryAfter).toBe(String(retryAfterSeconds))
        const waited = requests[1]!.startedAt - requests[0]!.answeredAt
        expect(waited, "the retry after the 429 came no earlier than Retry-After").toBeGreaterThanOrEqual(retryAfterSeconds * 1000)
        // BullMQ counts every finished attempt: the three refused requests and the one that succeeded.
        expect(job?.attemptsMade).toBe(4)
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 180_000)
})

describe("a permanent 5xx storm with few attempts", () => {
  const fx = FaultHub.fixture("storm")

  EffectTest.effect("leaves a failed job with its reason after exactly HUB_JOB_ATTEMPTS requests, and no more", () =>
    Effect.gen(function*() {
      const attempts = 3
      const hub = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", String(sourceRows)],
        record: true,
        beforeWorkers: (simulator) => FaultHub.arm(simulator.url, { pathPrefix: "/v1/councils", status5xx: { count: 100_000, status: 503 } }),
        extra: { HUB_JOB_ATTEMPTS: String(attempts), HUB_JOB_BACKOFF_MS: "100" }
      })

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const job = yield* FaultHub.awaitFinished("ingest", 60_000)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("failed")
        expect(job?.attemptsMade).toBe(attempts)
        expect(job?.failedReason).toMatch(/^ServerError: .*503/u)
        // No retry storm: nothing more reaches the system once the job has failed.
        yield* Effect.sleep("2 seconds")
        expect(FaultHub.dataRequests(hub.proxy).map((e) => e.status)).toEqual(Array.from({ length: attempts }, () => 503))
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      const state = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
      expect(state.stored).toBe(0)
      expect(state.cursor).toBeNull()
      expect(state.openOutbox).toBe(0)
      fx.pass()
    }), 120_000)
})
