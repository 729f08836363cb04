import { Producer } from "@hub/queue"
import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect } from "vitest"
import * as FaultHub from "./FaultHub.ts"
import * as PrivateRedis from "./PrivateRedis.ts"
import * as Processes from "./Processes.ts"
import * as Env from "./test-support/Env.ts"

const sourceRows = 60_000
const kills = 5

describe("Redis client connections killed (CLIENT KILL TYPE normal) several times during an ingest", () => {
  const folder = mkdtempSync(join(tmpdir(), "hub-fault-client-kill-"))
  const outcome = { passed: false }
  const schema = Env.freshName("hub_fault_clientkill")
  const databaseUrl = Env.testDatabaseUrl()
  afterAll(async () => {
    await Effect.runPromise(FaultHub.dropSchema(databaseUrl, schema))
    // A failing test keeps its folder (every process log) for inspection.
    if (outcome.passed) rmSync(folder, { recursive: true, force: true })
  })

  EffectTest.effect("two workers keep consuming and exactly the source rows are stored", () =>
    Effect.gen(function*() {
      const redis = yield* PrivateRedis.start(folder)
      const simulator = yield* FaultHub.startSimulator(folder, ["--spend-rows", String(sourceRows)])
      const prefix = "{hubfault}"
      const setup = { databaseUrl, schema, redisUrl: redis.url, prefix, simulatorUrl: simulator.url }
      const workers = [yield* FaultHub.startWorker(folder, "worker-1", setup), yield* FaultHub.startWorker(folder, "worker-2", setup)]
      // The fault is for running workers: a kill during start-up is another fault (see the README).
      for (const w of workers) yield* FaultHub.awaitStarted(w)
      const admin = yield* Effect.acquireRelease(Effect.sync(() => redis.client()), (c) => Effect.sync(() => c.disconnect()))

      yield* Effect.gen(function*() {
        const producer = yield* Producer.Producer
        yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "ingest" })
        yield* FaultHub.storedCount(databaseUrl, schema).pipe(
          Effect.repeat({ until: (n) => n > 0, schedule: Schedule.spaced("100 millis") }),
          Effect.timeout("120 seconds")
        )
        expect((yield* FaultHub.job("ingest"))?.state, "the job is running when the kills start").toBe("active")
        // Kill every normal client connection (the workers', the producer's; SKIPME keeps this one) several times.
        const killed: Array<number> = []
        for (let i = 0; i < kills; i++) {
          killed.push(Number(yield* Effect.promise(() => admin.call("CLIENT", "KILL", "TYPE", "normal"))))
          yield* Effect.sleep("400 millis")
        }
        const during = yield* FaultHub.storedCount(databaseUrl, schema)
        expect(during, "the kills happened while the ingest was running").toBeLessThan(sourceRows)
        expect(killed.every((n) => n > 0), `connections killed per round: ${killed.join(", ")}`).toBe(true)

        const job = yield* FaultHub.awaitFinished("ingest", 180_000)
        expect(job?.state, workers.map((w) => Processes.logOf(w).slice(-2000)).join("\n---\n")).toBe("completed")

        // Both workers still consume: a burst of jobs after the kills all complete.
        const ids = ["after-1", "after-2", "after-3", "after-4"]
        for (const id of ids) yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: id })
        for (const id of ids) expect((yield* FaultHub.awaitFinished(id, 30_000))?.state).toBe("completed")
        expect(yield* FaultHub.unfinished).toBe(0)
        for (const w of workers) {
          expect(Processes.hasExited(w.child), `${w.name} exited (${w.child.exitCode ?? w.child.signalCode}): ${Processes.logOf(w).slice(-4000)}`).toBe(false)
          expect(FaultHub.starts(w), `${w.name} started once`).toBe(1)
        }
      }).pipe(Effect.provide(FaultHub.queueLayer(setup)))

      for (const w of workers) {
        yield* Processes.stop(w)
        expect(w.child.exitCode, `${w.name} exit code`).toBe(0)
      }
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
