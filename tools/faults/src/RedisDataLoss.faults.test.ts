import { Producer, Schedules } from "@hub/queue"
import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { performance } from "node:perf_hooks"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const sourceRows = 40_000
// A daily cron schedule: it must be re-created after the loss, but does not fire during the test.
const schedule = "council-finance/spend=0 3 * * *"

/**
 * Pull jobs not yet run: the queue is drained when this is 0 and the only delayed job is the re-created cron
 * scheduler's next run (03:00), which `FaultHub.unfinished` would count.
 */
const notRun = Producer.Producer.use((p) => p.counts(FaultHub.pullQueue)).pipe(
  Effect.map((c) => c.waiting + c.prioritized + c.active + Math.abs(c.delayed - 1))
)

const schedulerIds = Schedules.Schedules.use((s) => s.list("council-finance")).pipe(Effect.map((list) => list.map((s) => s.id)))

describe("Redis loses all its data (FLUSHALL) in the middle of a council-spend ingest", () => {
  const fx = FaultHub.fixture("dataloss")

  EffectTest.effect("the workers reconcile from the store (schedules re-created, the stream resumed from its cursor) without a restart", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", String(sourceRows)],
        workers: 2,
        // The recovery pull may meet the orphaned job still ingesting in the other worker: ConcurrentIngest is retried.
        extra: { HUB_SCHEDULES: schedule, HUB_RECONCILE_INTERVAL_MS: "500", HUB_JOB_ATTEMPTS: "12", HUB_JOB_BACKOFF_MS: "100" }
      })
      const admin = yield* Effect.acquireRelease(Effect.sync(() => hub.redis.client()), (c) => Effect.sync(() => c.disconnect()))
      const logs = () => hub.workers.map((w) => Processes.logOf(w).slice(-3000)).join("\n---\n")

      yield* Effect.gen(function*() {
        expect(yield* schedulerIds, "the configured schedule is installed").toEqual(["schedule.spend"])
        yield* FaultHub.requestPull("big-ingest")
        const before = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
          Effect.repeat({ until: (n) => n >= sourceRows / 5, schedule: Schedule.spaced("200 millis") }),
          Effect.timeout("120 seconds")
        )
        expect((yield* FaultHub.job("big-ingest"))?.state, "the job is running when Redis loses its data").toBe("active")
        expect(yield* Effect.promise(() => admin.flushall())).toBe("OK")
        expect(yield* Effect.promise(() => admin.dbsize()), "Redis is empty").toBeLessThanOrEqual(1)
        const atLoss = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema)
        expect(atLoss, "the loss happened before the ingest finished").toBeLessThan(sourceRows)
        expect(before).toBeGreaterThan(0)

        // The schedule comes back (reconciliation), without any process restart.
        const ids = yield* schedulerIds.pipe(
          Effect.catch(() => Effect.succeed([] as ReadonlyArray<string>)),
          Effect.repeat({ until: (list) => list.length > 0, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("30 seconds")
        )
        expect(ids._tag === "Some" ? ids.value : [], logs()).toEqual(["schedule.spend"])
        const reconciledLines = Effect.sync(() =>
          hub.workers.flatMap((w) => Processes.logOf(w).split("\n").filter((l) => l.includes("reconciled:")))
        )
        // The schedules come back first; the reconciling worker logs once it has enqueued the rest too.
        const reconciled = yield* reconciledLines.pipe(
          Effect.repeat({ until: (lines) => lines.length > 0, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("30 seconds"),
          Effect.andThen(Effect.sleep("2 seconds")),
          Effect.andThen(reconciledLines)
        )
        expect(reconciled, "exactly one worker reconciled").toHaveLength(1)
        expect(reconciled[0]).toMatch(/reconciled: 1 schedules, recovery pulls hub\.council-finance\.pull\/recovery\.spend\./u)

        // Every source row ends up stored, and the queue drains: the lost job's work is finished by the
        // recovery pull (from the cursor) or by the worker that was running it when the data went.
        const stored = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
          Effect.repeat({ until: (n) => n >= sourceRows, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("150 seconds")
        )
        expect(stored._tag === "Some" ? stored.value : "not all stored", logs()).toBe(sourceRows)
        // The recovery pull may still be in its (exponential) backoff after losing to the orphaned job.
        const drained = yield* notRun.pipe(
          Effect.catch(() => Effect.succeed(1)),
          Effect.repeat({ until: (n) => n === 0, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("150 seconds")
        )
        expect(drained._tag === "Some" ? drained.value : "still unfinished", logs()).toBe(0)
        const counts = yield* Producer.Producer.use((p) => p.counts(FaultHub.pullQueue))
        expect(counts.failed, logs()).toBe(0)
        expect(counts.completed, "the recovery pull completed").toBeGreaterThanOrEqual(1)
        expect(yield* FaultHub.job("big-ingest"), "the lost job is not resurrected").toBeUndefined()

        // A job added after recovery completes within 30 s, in the same worker processes.
        const addedAt = performance.now()
        yield* FaultHub.requestPull("after-recovery")
        expect((yield* FaultHub.awaitFinished("after-recovery", 30_000))?.state, logs()).toBe("completed")
        expect(performance.now() - addedAt).toBeLessThan(30_000)
        expect(yield* notRun).toBe(0)
        FaultHub.expectWorkersAlive(hub)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 420_000)
})
