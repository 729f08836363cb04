import { type CalendarDate, Money } from "@hub/domain"
import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect } from "vitest"
import { IngestRepo } from "./IngestRepo.ts"
import * as Migrations from "./Migrations.ts"
import * as Migrator from "./Migrator.ts"
import { RecordRepo } from "./RecordRepo.ts"
import * as Store from "./Store.ts"
import * as Backends from "./test-support/Backends.ts"
import { spendLine, storeSuite } from "./test-support/StoreSuite.ts"

storeSuite(Backends.pglite)

describe("store on PGlite", () => {
  EffectTest.effect("Store.layer picks the embedded database when no URL is set", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ readonly version: string }>`SELECT version() AS version`
      expect(row?.version).toMatch(/PGlite/u)
    }).pipe(Effect.provide(Store.layer({ databaseUrl: "  " }))))

  EffectTest.effect("a database in a new data folder keeps committed pages after it is closed and opened again", () =>
    Effect.gen(function*() {
      const folder = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "hub-store-"))),
        (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
      )
      const dataDir = join(folder, "not-yet", "there", "db")
      const page = {
        plugin: "disk-test",
        stream: "spend",
        kind: "council-spend-line" as const,
        records: [spendLine("disk.csv", 1, Number.MAX_SAFE_INTEGER)],
        rejections: [],
        nextCursor: "after-1"
      }
      yield* Effect.gen(function*() {
        const ingest = yield* IngestRepo
        return yield* ingest.commitPage(page)
      }).pipe(
        Effect.provide(Store.layerPglite({ dataDir }))
      )
      const reopened = yield* Effect.gen(function*() {
        const ingest = yield* IngestRepo
        const records = yield* RecordRepo
        return {
          cursor: yield* ingest.cursor(page),
          amounts: (yield* records.list("council-spend-line", { plugin: "disk-test" })).map((r) => r.amount)
        }
      }).pipe(Effect.provide(Store.layerPglite({ dataDir })))
      expect(reopened).toEqual({ cursor: "after-1", amounts: [Money.pence(Number.MAX_SAFE_INTEGER)] })
    }), 120_000)

  EffectTest.effect("a database at migration 4 upgrades to the contracts table and keeps its records", () =>
    Effect.gen(function*() {
      const atFour = Migrations.all.filter((m) => m.version <= 4)
      expect((yield* Migrator.migrate({ migrations: atFour })).applied).toEqual([1, 2, 3, 4])
      const sql = yield* SqlClient.SqlClient
      const tables = () => sql<{ readonly name: string }>`SELECT tablename AS name FROM pg_tables WHERE tablename = 'contracts'`
      expect(yield* tables()).toEqual([])
      yield* Effect.gen(function*() {
        const ingest = yield* IngestRepo
        yield* ingest.commitPage({ plugin: "upgrade-test", stream: "spend", kind: "council-spend-line", records: [spendLine("u.csv", 1, 7)], rejections: [], nextCursor: "u1" })
      }).pipe(Effect.provide(Store.layerRepositories))
      const upgrade = yield* Migrator.migrate()
      expect(upgrade.applied).toEqual(Migrations.all.filter((m) => m.version > 4).map((m) => m.version))
      expect(yield* tables()).toEqual([{ name: "contracts" }])
      const kept = yield* Effect.gen(function*() {
        const records = yield* RecordRepo
        return yield* records.list("council-spend-line", { plugin: "upgrade-test" })
      }).pipe(Effect.provide(Store.layerRepositories))
      expect(kept.map((r) => r.amount)).toEqual([Money.pence(7)])
    }).pipe(Effect.provide(Store.layerPgliteClient())), 120_000)

  const shared = EffectTest.layer(Store.layerTest)

  shared.effect("an interrupted transaction leaves nothing behind and the connection keeps working", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE interrupt_probe (n integer)`
      const exit = yield* Effect.exit(
        sql.withTransaction(Effect.gen(function*() {
          yield* sql`INSERT INTO interrupt_probe VALUES (1)`
          yield* Effect.sleep("2 seconds")
          yield* sql`INSERT INTO interrupt_probe VALUES (2)`
        })).pipe(Effect.timeout("100 millis"))
      )
      expect(exit._tag).toBe("Failure")
      const [row] = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM interrupt_probe`
      expect(row?.n).toBe(0)
      const ingest = yield* IngestRepo
      const result = yield* ingest.commitPage({
        plugin: "interrupt-test", stream: "s", kind: "council-spend-line",
        records: [spendLine("i.csv", 1, 1)], rejections: [], nextCursor: "i"
      })
      expect(result.stored).toBe(1)
    }))

  shared.effect("concurrent pages on one PGlite connection queue up instead of interleaving their transactions", () =>
    Effect.gen(function*() {
      const ingest = yield* IngestRepo
      const records = yield* RecordRepo
      const pages = Array.from({ length: 12 }, (_, n) => ({
        plugin: "concurrency-test",
        stream: `s${n}`,
        kind: "council-spend-line" as const,
        records: Array.from({ length: 50 }, (_, i) => spendLine(`c${n}.csv`, i, n * 1000 + i)),
        rejections: [],
        nextCursor: `done-${n}`
      }))
      // Every third page fails at its last record; its siblings running at the same time must not be affected.
      const commits = pages.map((page, n) =>
        n % 3 === 0
          ? Effect.exit(ingest.commitPage({ ...page, records: [...page.records, { ...page.records[0]!, line: 999, paymentDate: "2019-02-30" as CalendarDate.CalendarDate }] }))
          : Effect.exit(ingest.commitPage(page)))
      yield* Effect.all(commits, { concurrency: "unbounded" })
      const cursors = yield* Effect.forEach(pages, (p) => ingest.cursor(p))
      expect(cursors).toEqual(pages.map((p, n) => (n % 3 === 0 ? null : p.nextCursor)))
      expect(yield* records.count("council-spend-line", { plugin: "concurrency-test" })).toBe(8 * 50)
    }))
})
