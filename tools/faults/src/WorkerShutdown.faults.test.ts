import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { performance } from "node:perf_hooks"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

// Fault 2: SIGTERM to a worker in the middle of an ingest job. The simulator answers every data request 250 ms
// late (its `latencyMs` fault), so the 12-page job takes several seconds and the signal lands mid-job (checked:
// some pages stored, not all). With a grace (HUB_WORKER_CLOSE_TIMEOUT_MS) longer than the job, the worker lets
// the job finish and exits 0 within the grace. With a grace shorter than the job, the worker interrupts the job
// when the grace runs out, hands it back to the queue and exits 0; a new worker re-runs it from the committed
// cursor and exactly the source rows are stored.
const sourceRows = 3_000
const pageSize = 250
const latencyMs = 250

const slowPages = (simulator: FaultHub.Simulator) => FaultHub.arm(simulator.url, { pathPrefix: "/v1/councils", latencyMs })

/**
 * The hub with one worker whose grace is `graceMs`, the simulator's pages slowed; the worker is given longer than
 * FaultHub.start's 60 s to start on a loaded machine.
 */
const startHub = (fx: FaultHub.Fixture, graceMs: number) =>
  Effect.gen(function*() {
    const hub = yield* FaultHub.start(fx, {
      simulatorArgs: ["--spend-rows", String(sourceRows)],
      workers: 0,
      pageSize,
      beforeWorkers: slowPages,
      extra: { HUB_WORKER_CLOSE_TIMEOUT_MS: String(graceMs) }
    })
    const worker = yield* FaultHub.startWorker(fx.folder, "worker-1", hub.setup)
    yield* FaultHub.awaitStarted(worker, 180_000)
    return { ...hub, workers: [worker] }
  })

/** SIGTERM once at least two pages are stored; returns the rows stored then and when the signal was sent. */
const terminateMidJob = (fx: FaultHub.Fixture, worker: Processes.Started) =>
  Effect.gen(function*() {
    yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
      Effect.repeat({ until: (n) => n >= 2 * pageSize, schedule: Schedule.spaced("50 millis") }),
      Effect.timeout("120 seconds")
    )
    expect((yield* FaultHub.job("ingest"))?.state, "the job is running when SIGTERM is sent").toBe("active")
    const sentAt = performance.now()
    yield* Effect.sync(() => process.kill(worker.pid, "SIGTERM"))
    const storedAtSignal = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema)
    expect(storedAtSignal, "SIGTERM came before the job had stored everything").toBeLessThan(sourceRows)
    yield* Processes.exited(worker.child).pipe(Effect.timeout("60 seconds"))
    return { storedAtSignal, exitedAfterMs: performance.now() - sentAt }
  })

describe("SIGTERM mid-job with a grace longer than the job", () => {
  const fx = FaultHub.fixture("termgrace")
  const graceMs = 60_000

  EffectTest.effect("the worker finishes the job within the grace period and exits 0; exactly the source rows are stored", () =>
    Effect.gen(function*() {
      const hub = yield* startHub(fx, graceMs)
      const [worker] = hub.workers

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const { exitedAfterMs } = yield* terminateMidJob(fx, worker!)
        expect(worker!.child.exitCode, Processes.logOf(worker!).slice(-3000)).toBe(0)
        expect(exitedAfterMs, "the worker exited within the grace period").toBeLessThan(graceMs)
        const job = yield* FaultHub.job("ingest")
        expect(job?.state, "the job finished before the worker exited").toBe("completed")
        expect(job?.returnValue).toMatchObject({ accepted: sourceRows, stored: sourceRows })
        expect(Processes.logOf(worker!)).not.toContain("interrupted by shutdown")
        expect(yield* FaultHub.unfinished, "the pull queue is drained").toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 420_000)
})

describe("SIGTERM mid-job with a grace shorter than the job", () => {
  const fx = FaultHub.fixture("termshort")
  const graceMs = 300

  EffectTest.effect("the worker hands the unfinished job back and exits 0; a new worker re-runs it and exactly the source rows are stored", () =>
    Effect.gen(function*() {
      const hub = yield* startHub(fx, graceMs)
      const [worker] = hub.workers

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const { storedAtSignal } = yield* terminateMidJob(fx, worker!)
        expect(worker!.child.exitCode, Processes.logOf(worker!).slice(-3000)).toBe(0)
        const log = Processes.logOf(worker!)
        expect(log, "the worker interrupted the job when the grace ran out").toContain(`did not finish within ${graceMs} ms`)
        // Put back in the queue at once, or (if its program had not stopped in time) left to stall: never failed.
        expect(log).toMatch(/interrupted by shutdown and put back in the queue|left to stall and be re-run/u)
        console.info(`fault 2 (grace ${graceMs} ms): the job was ${log.includes("put back in the queue") ? "put back in the queue" : "left to stall"}; ${storedAtSignal} rows stored at SIGTERM`)
        const left = yield* FaultHub.job("ingest")
        expect(left?.state, "the job is waiting for a worker, not finished").toMatch(/^(waiting|wait|delayed|active|prioritized)$/u)
        const storedAtExit = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema)
        expect(storedAtExit, "the job had not finished").toBeLessThan(sourceRows)
        expect(storedAtExit % pageSize, "only whole pages are stored").toBe(0)
        expect(storedAtExit).toBeGreaterThanOrEqual(storedAtSignal)

        const successor = yield* FaultHub.startWorker(fx.folder, "worker-restarted", hub.setup)
        yield* FaultHub.awaitStarted(successor, 180_000)
        const job = yield* FaultHub.awaitFinished("ingest", 120_000)
        expect(job?.state, Processes.logOf(successor).slice(-3000)).toBe("completed")
        expect(job?.returnValue, "the re-run starts from the committed cursor").toMatchObject({ accepted: sourceRows - storedAtExit })
        expect(yield* FaultHub.unfinished, "the pull queue is drained").toBe(0)
        yield* Processes.stop(successor)
        expect(successor.child.exitCode, Processes.logOf(successor).slice(-2000)).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 420_000)
})
