/**
 * Readiness over libs/store's SQL client: the database is ready when `SELECT 1` answers.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { type Check, fromChecks, Readiness } from "../ports/Readiness.ts"

/**
 * A `database` check that runs `SELECT 1` on the given client.
 *
 * @category checks
 * @since 0.1.0
 */
export const databaseCheck = (sql: SqlClient.SqlClient): Check => ({
  name: "database",
  run: Effect.asVoid(sql`SELECT 1`)
})

/**
 * Readiness checking the store's database first, then `others` (Redis, until libs/queue offers its own).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  others: ReadonlyArray<Check>,
  options?: { readonly timeoutMs?: number }
): Layer.Layer<Readiness, never, SqlClient.SqlClient> =>
  Layer.effect(Readiness, Effect.map(SqlClient.SqlClient, (sql) => fromChecks([databaseCheck(sql), ...others], options)))
