import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import * as CommitPause from "./commit-pause/CommitPause.ts"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

// Fault 1: a worker SIGKILLed at an exact point of a page commit, then a new worker started. The worker is frozen
// there by the commit-pause hook (src/commit-pause): just before the third page's COMMIT is sent, or just after
// PostgreSQL answered it (the page and its cursor are durable, the job has not gone on). Either way the killed
// job's lock expires, the new worker's stalled-job check puts it back, and the re-run must store exactly the source.
const sourceRows = 3_000
const pageSize = 250
const pausedPage = 3

for (const point of ["before", "after"] as const) {
  describe(`a worker SIGKILLed ${point} a page's COMMIT, then a new worker`, () => {
    const fx = FaultHub.fixture(`kill${point}`)

    EffectTest.effect(`the page is ${point === "before" ? "not stored" : "stored"} at the kill, and after the restart exactly the source rows are stored`, () =>
      Effect.gen(function*() {
        const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--spend-rows", String(sourceRows)], workers: 0, pageSize })
        const victim = yield* CommitPause.startWorker(fx.folder, "worker-killed", hub.setup, { point, commit: pausedPage })
        yield* FaultHub.awaitStarted(victim.process, 180_000)

        yield* Effect.gen(function*() {
          // COMMITs count from here: the migrations' at start-up are behind us, and the job's pages are all there is.
          yield* CommitPause.arm(victim)
          yield* FaultHub.requestPull("ingest")
          yield* CommitPause.awaitPaused(victim)

          const committedPages = point === "before" ? pausedPage - 1 : pausedPage
          expect(yield* FaultHub.storedCount(fx.databaseUrl, fx.schema), "rows visible while the worker is frozen").toBe(committedPages * pageSize)
          expect((yield* FaultHub.job("ingest"))?.state, "the job is running when the worker is killed").toBe("active")
          yield* Processes.stop(victim.process, "SIGKILL")
          expect(victim.process.child.signalCode).toBe("SIGKILL")
          // The open transaction of the page died with the connection (before), or the page stays (after).
          expect(yield* FaultHub.storedCount(fx.databaseUrl, fx.schema), "rows after the kill").toBe(committedPages * pageSize)

          const successor = yield* FaultHub.startWorker(fx.folder, "worker-restarted", hub.setup)
          yield* FaultHub.awaitStarted(successor, 180_000)
          const job = yield* FaultHub.awaitFinished("ingest", 120_000)
          expect(job?.state, Processes.logOf(successor).slice(-3000)).toBe("completed")
          expect(job?.returnValue, "the re-run reports every row").toMatchObject({ accepted: sourceRows - committedPages * pageSize })
          expect(yield* FaultHub.unfinished, "the pull queue is drained").toBe(0)
          yield* Processes.stop(successor)
          expect(successor.child.exitCode, Processes.logOf(successor).slice(-2000)).toBe(0)
        }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

        FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
        fx.pass()
      }), 420_000)
  })
}
