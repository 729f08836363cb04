import { Producer } from "@hub/queue"
import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { afterAll, describe, expect } from "vitest"
import * as FaultHub from "./FaultHub.ts"
import * as PrivateRedis from "./PrivateRedis.ts"
import * as Processes from "./Processes.ts"
import * as Env from "./test-support/Env.ts"

const sourceRows = 60_000

describe("Redis restarted (SIGTERM, AOF) in the middle of a large council-spend ingest", () => {
  const folder = mkdtempSync(join(tmpdir(), "hub-fault-redis-restart-"))
  const outcome = { passed: false }
  const schema = Env.freshName("hub_fault_restart")
  const databaseUrl = Env.testDatabaseUrl()
  afterAll(async () => {
    await Effect.runPromise(FaultHub.dropSchema(databaseUrl, schema))
    // A failing test keeps its folder (every process log) for inspection.
    if (outcome.passed) rmSync(folder, { recursive: true, force: true })
  })

  EffectTest.effect("the worker resumes without a restart, the ingest completes exactly, and a later job completes within 30 s", () =>
    Effect.gen(function*() {
      const redis = yield* PrivateRedis.start(folder)
      const simulator = yield* FaultHub.startSimulator(folder, ["--spend-rows", String(sourceRows)])
      const prefix = "{hubfault}"
      const setup = { databaseUrl, schema, redisUrl: redis.url, prefix, simulatorUrl: simulator.url }
      const worker = yield* FaultHub.startWorker(folder, "worker", setup)
      yield* FaultHub.awaitStarted(worker)

      yield* Effect.gen(function*() {
        const producer = yield* Producer.Producer
        yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "big-ingest" })
        // Restart Redis once a good part, but not all, of the stream is stored.
        const before = yield* FaultHub.storedCount(databaseUrl, schema).pipe(
          Effect.repeat({ until: (n) => n >= sourceRows / 5, schedule: Schedule.spaced("200 millis") }),
          Effect.timeout("120 seconds")
        )
        const running = yield* FaultHub.job("big-ingest")
        expect(running?.state, "the job is running when Redis goes down").toBe("active")
        yield* redis.restart(1000)
        const after = yield* FaultHub.storedCount(databaseUrl, schema)
        expect(after, "the restart happened before the ingest finished").toBeLessThan(sourceRows)
        expect(before).toBeGreaterThan(0)

        const job = yield* FaultHub.awaitFinished("big-ingest", 180_000)
        expect(job?.state, Processes.logOf(worker).slice(-3000)).toBe("completed")

        // A job added after recovery is picked up by the same worker process within 30 s.
        const addedAt = performance.now()
        yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "after-recovery" })
        const later = yield* FaultHub.awaitFinished("after-recovery", 30_000)
        expect(later?.state).toBe("completed")
        expect(performance.now() - addedAt).toBeLessThan(30_000)

        expect(Processes.hasExited(worker.child), "the worker process never exited").toBe(false)
        expect(FaultHub.starts(worker), "the worker started once").toBe(1)
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(setup)))

      yield* Processes.stop(worker)
      expect(worker.child.exitCode).toBe(0)

      const source = yield* FaultHub.served(simulator.url)
      const state = yield* FaultHub.storeState(databaseUrl, schema)
      expect(source.count).toBe(sourceRows)
      expect(state.stored + state.quarantined.length).toBe(source.count)
      expect(state.quarantined).toHaveLength(0)
      expect(state.distinctKeys).toBe(state.stored)
      expect(state.pence).toBe(source.pence)
      expect(state.cursor).toMatch(new RegExp(`(^|#)${sourceRows}$`, "u"))
      expect(state.openOutbox).toBe(0)
      outcome.passed = true
    }), 300_000)
})
