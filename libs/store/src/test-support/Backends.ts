/**
 * The two databases the store's tests run against: PGlite in memory, and the machine's PostgreSQL in a fresh
 * schema of the test's own that is dropped when the layer is released.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { randomUUID } from "node:crypto"
import * as Store from "../Store.ts"

/** A backend under test: a name and a fresh, migrated store layer. */
export interface Backend {
  readonly name: string
  readonly layer: () => Layer.Layer<Store.Services, unknown>
}

/** The PostgreSQL server the integration tests use. */
export const testDatabaseUrl = (): string => process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"

/** A schema name no other test run uses. */
export const freshSchemaName = (): string => `store_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`

/** Drops `schema` (and everything in it) when the layer is released, over a connection of its own. */
export const dropSchemaOnRelease = (url: string, schema: string): Layer.Layer<never> =>
  Layer.effectDiscard(Effect.addFinalizer(() =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
    }).pipe(Effect.provide(Store.layerPostgresClient({ url, maxConnections: 1 })), Effect.orDie)
  ))

/** PGlite in memory: a new database per layer (copied from a template cluster, see `Store.layerTest`). */
export const pglite: Backend = { name: "PGlite (memory)", layer: () => Store.layerTest }

/** PostgreSQL in a fresh schema per layer, dropped afterwards. */
export const postgres: Backend = {
  name: "PostgreSQL",
  layer: () => {
    const url = testDatabaseUrl()
    const schema = freshSchemaName()
    return Store.layerPostgres({ url, schema, maxConnections: 4 }).pipe(
      Layer.provideMerge(dropSchemaOnRelease(url, schema))
    )
  }
}
