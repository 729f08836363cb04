import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { performance } from "node:perf_hooks"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const sourceRows = 60_000

describe("Redis restarted (SIGTERM, AOF) in the middle of a large council-spend ingest", () => {
  const fx = FaultHub.fixture("restart")

  EffectTest.effect("the worker resumes without a restart, the ingest completes exactly, and a later job completes within 30 s", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--spend-rows", String(sourceRows)] })
      const [worker] = hub.workers

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("big-ingest")
        // Restart Redis once a good part, but not all, of the stream is stored.
        const before = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
          Effect.repeat({ until: (n) => n >= sourceRows / 5, schedule: Schedule.spaced("200 millis") }),
          Effect.timeout("120 seconds")
        )
        const running = yield* FaultHub.job("big-ingest")
        expect(running?.state, "the job is running when Redis goes down").toBe("active")
        yield* hub.redis.restart(1000)
        const after = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema)
        expect(after, "the restart happened before the ingest finished").toBeLessThan(sourceRows)
        expect(before).toBeGreaterThan(0)

        const job = yield* FaultHub.awaitFinished("big-ingest", 180_000)
        expect(job?.state, Processes.logOf(worker!).slice(-3000)).toBe("completed")

        // A job added after recovery is picked up by the same worker process within 30 s.
        const addedAt = performance.now()
        yield* FaultHub.requestPull("after-recovery")
        const later = yield* FaultHub.awaitFinished("after-recovery", 30_000)
        expect(later?.state).toBe("completed")
        expect(performance.now() - addedAt).toBeLessThan(30_000)

        FaultHub.expectWorkersAlive(hub)
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 300_000)
})
