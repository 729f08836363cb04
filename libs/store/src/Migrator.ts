/**
 * Applies the store's migrations at start: under a PostgreSQL advisory lock, inside one transaction, recording
 * each applied version in `store_migrations`. Running it twice, or from two processes at once, applies each
 * migration exactly once: the second process waits for the lock and then finds nothing left to do.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { createHash } from "node:crypto"
import * as Migrations from "./Migrations.ts"
import { MigrationError } from "./StoreError.ts"

/**
 * What a run did: the versions it applied now (empty when the database was already up to date).
 *
 * @category models
 * @since 0.1.0
 */
export interface MigrationReport {
  readonly applied: ReadonlyArray<number>
  readonly latest: number
}

/**
 * The checksum recorded for a migration, so an applied migration edited afterwards is noticed.
 *
 * @category migrations
 * @since 0.1.0
 */
export const checksum = (migration: Migrations.Migration): string =>
  createHash("sha256").update(migration.sql).digest("hex")

/**
 * Brings the database (or the given schema of it) up to the latest migration. `schema` is created when
 * missing; connections must have it on their `search_path` (the store's layers arrange this).
 *
 * @category migrations
 * @since 0.1.0
 */
export const migrate = Effect.fn("Migrator.migrate")(function*(options: {
  readonly schema?: string | undefined
  readonly migrations?: ReadonlyArray<Migrations.Migration> | undefined
} = {}): Effect.fn.Return<MigrationReport, SqlError | MigrationError, SqlClient.SqlClient> {
  const sql = yield* SqlClient.SqlClient
  const migrations = options.migrations ?? Migrations.all
  const lockName = `hub-store-migrations:${options.schema ?? "public"}`
  return yield* sql.withTransaction(Effect.gen(function*() {
    // Transaction-scoped: released by COMMIT or ROLLBACK, never left behind by a crashed process.
    yield* sql`SELECT pg_advisory_xact_lock(hashtext(${lockName}))`
    if (options.schema !== undefined) yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(options.schema)}`
    yield* sql`CREATE TABLE IF NOT EXISTS store_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`
    const rows = yield* sql<{ readonly version: number; readonly checksum: string }>`
      SELECT version, checksum FROM store_migrations ORDER BY version`
    const known = new Map(migrations.map((m) => [m.version, m]))
    for (const row of rows) {
      const migration = known.get(row.version)
      if (migration === undefined) {
        return yield* new MigrationError({
          version: row.version,
          reason: "the database has a migration this code does not know (is the code older than the database?)"
        })
      }
      if (checksum(migration) !== row.checksum) {
        return yield* new MigrationError({
          version: row.version,
          reason: `"${migration.name}" was changed after it was applied; add a new migration instead`
        })
      }
    }
    const done = new Set(rows.map((r) => r.version))
    const applied: Array<number> = []
    for (const migration of migrations) {
      if (done.has(migration.version)) continue
      for (const statement of Migrations.statements(migration)) {
        yield* sql.unsafe(statement).unprepared
      }
      yield* sql`INSERT INTO store_migrations (version, name, checksum)
        VALUES (${migration.version}, ${migration.name}, ${checksum(migration)})`
      applied.push(migration.version)
    }
    return { applied, latest: migrations.reduce((max, m) => Math.max(max, m.version), 0) }
  }))
})
