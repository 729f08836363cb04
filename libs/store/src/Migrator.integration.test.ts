import { EffectTest } from "@hub/testing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect } from "vitest"
import * as Migrations from "./Migrations.ts"
import * as Migrator from "./Migrator.ts"
import * as Store from "./Store.ts"
import { dropSchemaOnRelease, freshSchemaName, testDatabaseUrl } from "./test-support/Backends.ts"

describe("Migrator on PostgreSQL", () => {
  EffectTest.effect("several processes migrating one schema at once apply each migration exactly once", () =>
    Effect.gen(function*() {
      const url = testDatabaseUrl()
      const schema = freshSchemaName()
      yield* Layer.build(dropSchemaOnRelease(url, schema))
      // Each migrator has a pool of its own, as separate processes would.
      const migrator = (n: number) =>
        Migrator.migrate({ schema }).pipe(
          Effect.provide(Store.layerPostgresClient({ url, schema, maxConnections: 1, applicationName: `migrator-${n}` }))
        )
      const reports = yield* Effect.all([0, 1, 2, 3].map(migrator), { concurrency: "unbounded" })
      const applied = reports.flatMap((r) => r.applied).sort((a, b) => a - b)
      expect(applied).toEqual(Migrations.all.map((m) => m.version))
      expect(reports.filter((r) => r.applied.length > 0)).toHaveLength(1)

      const again = yield* migrator(4)
      expect(again.applied).toEqual([])
      const rows = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{ readonly version: number }>`SELECT version FROM store_migrations ORDER BY version`
      }).pipe(Effect.provide(Store.layerPostgresClient({ url, schema, maxConnections: 1 })))
      expect(rows.map((r) => r.version)).toEqual(Migrations.all.map((m) => m.version))
    }))

  EffectTest.effect("Store.layer picks PostgreSQL when a database URL is set", () =>
    Effect.gen(function*() {
      const url = testDatabaseUrl()
      const schema = freshSchemaName()
      const version = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<{ readonly version: string; readonly schema: string }>`
          SELECT version() AS version, current_schema() AS schema`
        return row!
      }).pipe(Effect.provide(Store.layer({ databaseUrl: url, schema }).pipe(Layer.provideMerge(dropSchemaOnRelease(url, schema)))))
      expect(version.version).not.toMatch(/PGlite/u)
      expect(version.schema).toBe(schema)
    }))
})
