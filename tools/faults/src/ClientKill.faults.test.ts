import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const sourceRows = 60_000
const kills = 5

describe("Redis client connections killed (CLIENT KILL TYPE normal) several times during an ingest", () => {
  const fx = FaultHub.fixture("clientkill")

  EffectTest.effect("two workers keep consuming and exactly the source rows are stored", () =>
    Effect.gen(function*() {
      // The fault is for running workers (start waits for them): a kill during start-up is another fault.
      const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--spend-rows", String(sourceRows)], workers: 2 })
      const admin = yield* Effect.acquireRelease(Effect.sync(() => hub.redis.client()), (c) => Effect.sync(() => c.disconnect()))

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
          Effect.repeat({ until: (n) => n > 0, schedule: Schedule.spaced("100 millis") }),
          Effect.timeout("120 seconds")
        )
        expect((yield* FaultHub.job("ingest"))?.state, "the job is running when the kills start").toBe("active")
        // Kill every normal client connection (the workers', the producer's; SKIPME keeps this one) several times.
        const killed: Array<number> = []
        // Each round waits for a reconnected client first (CLIENT LIST counts this one too): on a loaded machine
        // the clients may take longer than the pause to come back, and a round that finds none tests nothing.
        const normalClients = Effect.promise(() => admin.call("CLIENT", "LIST", "TYPE", "normal")).pipe(
          Effect.map((list) => String(list).split("\n").filter((l) => l.trim() !== "").length)
        )
        for (let i = 0; i < kills; i++) {
          yield* normalClients.pipe(
            Effect.repeat({ until: (n) => n >= 2, schedule: Schedule.spaced("50 millis") }),
            Effect.timeoutOption("20 seconds")
          )
          killed.push(Number(yield* Effect.promise(() => admin.call("CLIENT", "KILL", "TYPE", "normal"))))
          yield* Effect.sleep("400 millis")
        }
        const during = yield* FaultHub.storedCount(fx.databaseUrl, fx.schema)
        expect(during, "the kills happened while the ingest was running").toBeLessThan(sourceRows)
        expect(killed.every((n) => n > 0), `connections killed per round: ${killed.join(", ")}`).toBe(true)

        const job = yield* FaultHub.awaitFinished("ingest", 180_000)
        expect(job?.state, hub.workers.map((w) => Processes.logOf(w).slice(-2000)).join("\n---\n")).toBe("completed")

        // Both workers still consume: a burst of jobs after the kills all complete.
        const ids = ["after-1", "after-2", "after-3", "after-4"]
        for (const id of ids) yield* FaultHub.requestPull(id)
        for (const id of ids) expect((yield* FaultHub.awaitFinished(id, 30_000))?.state).toBe("completed")
        expect(yield* FaultHub.unfinished).toBe(0)
        FaultHub.expectWorkersAlive(hub)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 300_000)
})
