import { EffectTest } from "@hub/testing"
import { Effect, Schedule } from "effect"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Gateway from "./support/Gateway.ts"
import * as Processes from "./support/Processes.ts"
import * as TcpProxy from "./support/TcpProxy.ts"

const sourceRows = 30_000
const pageSize = 250
const cutMs = 6_000

/** The row a `spend-…#N` cursor points at (0 when unset). */
const cursorRow = (cursor: string | null): number => Number(/(\d+)$/u.exec(cursor ?? "")?.[1] ?? 0)

describe("PostgreSQL cut (loopback TCP proxy closed) in the middle of an ingest", () => {
  const fx = FaultHub.fixture("pgcut")

  EffectTest.effect("no partial page, the job retries with backoff, /readyz says 503 while cut, and everything completes after", () =>
    Effect.gen(function*() {
      // The worker and the gateway reach PostgreSQL only through the proxy; the test reads it directly.
      const pg = yield* TcpProxy.inFrontOf(fx.databaseUrl)
      const hub = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", String(sourceRows)],
        workerDatabaseUrl: pg.through(fx.databaseUrl),
        pageSize,
        extra: { HUB_JOB_ATTEMPTS: "30", HUB_JOB_BACKOFF_MS: "250" }
      })
      const worker = hub.workers[0]!
      const gateway = yield* Gateway.start(fx.folder, { ...hub.setup, databaseUrl: pg.through(fx.databaseUrl) })
      const before = yield* Gateway.readyz(gateway)
      expect(before.status, before.body).toBe(200)

      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        yield* FaultHub.storedCount(fx.databaseUrl, fx.schema).pipe(
          Effect.repeat({ until: (n) => n >= sourceRows / 5, schedule: Schedule.spaced("100 millis") }),
          Effect.timeout("120 seconds")
        )
        expect((yield* FaultHub.job("ingest"))?.state, "the job is running when PostgreSQL goes away").toBe("active")
        pg.cut()

        // While cut: /readyz answers 503 (problem+json naming the database).
        const down = yield* Gateway.readyz(gateway).pipe(
          Effect.repeat({ until: (r) => r.status === 503, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("20 seconds")
        )
        expect(down._tag, "readyz turned 503 while PostgreSQL was cut").toBe("Some")
        if (down._tag === "Some") expect(down.value.body).toMatch(/database|store|postgres/iu)

        // No partial page: what is stored is exactly the pages the cursor covers, and it stays put while cut.
        const atCut = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
        expect(atCut.stored, "stored rows = rows up to the committed cursor").toBe(cursorRow(atCut.cursor))
        expect(atCut.stored % pageSize, "whole pages only").toBe(0)
        yield* Effect.sleep(cutMs)
        const later = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
        expect(later.stored, "nothing written while cut").toBe(atCut.stored)
        expect(later.cursor).toBe(atCut.cursor)
        expect(later.stored).toBeLessThan(sourceRows)
        // Retries with backoff: the worker kept trying (refused connections at the proxy), the job is not failed.
        const during = yield* FaultHub.job("ingest")
        expect(["active", "delayed", "waiting"], `job state while cut: ${during?.state}`).toContain(during?.state)
        expect(pg.refused(), "the worker tried to reconnect while cut").toBeGreaterThan(0)
        expect(Processes.hasExited(worker.child), Processes.logOf(worker).slice(-3000)).toBe(false)

        pg.restore()
        const up = yield* Gateway.readyz(gateway).pipe(
          Effect.repeat({ until: (r) => r.status === 200, schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption("30 seconds")
        )
        expect(up._tag, "readyz back to 200 after PostgreSQL returned").toBe("Some")
        const job = yield* FaultHub.awaitFinished("ingest", 180_000)
        expect(job?.state, Processes.logOf(worker).slice(-3000)).toBe("completed")
        // A job added after PostgreSQL came back completes too.
        yield* FaultHub.requestPull("after-restore")
        expect((yield* FaultHub.awaitFinished("after-restore", 30_000))?.state).toBe("completed")
        expect(yield* FaultHub.unfinished).toBe(0)
        FaultHub.expectWorkersAlive(hub)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      yield* Processes.stop(gateway.process)
      yield* FaultHub.stopWorkers(hub)
      FaultHub.expectExact(yield* FaultHub.storeState(fx.databaseUrl, fx.schema), yield* FaultHub.served(hub.simulator.url), { rows: sourceRows })
      fx.pass()
    }), 300_000)
})
