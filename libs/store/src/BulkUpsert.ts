/**
 * The one bulk write every table goes through: de-duplicate a batch by natural key, cut it into chunks whose
 * parameter count stays within the driver's limit, and send each chunk as one multi-row
 * `INSERT ... ON CONFLICT (natural key) DO UPDATE`. Rows whose columns did not change are left alone, so a
 * replayed batch writes nothing.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as TableSpec from "./TableSpec.ts"

/**
 * The most parameters one statement may carry. PostgreSQL accepts 65 535 (an unsigned 16-bit count in the
 * Bind message), but @effect/sql-pg 4.0.5 encodes the count as a signed 16-bit number and refuses more than
 * 32 767 before sending (PgProtocol.ts, "count exceeds 32767"), so that is the limit here.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxParameters = 32_767

/**
 * Columns written with every row of a batch, beside the row's own (where a record came from).
 *
 * @category models
 * @since 0.1.0
 */
export type Extra = Readonly<Record<string, string | number | boolean | null>>

/**
 * Rows per statement for a table with `columns` columns: as many as fit within `maxParameters`, capped by
 * `maxRows` so one statement's text and result stay small.
 *
 * @category chunking
 * @since 0.1.0
 */
export const rowsPerChunk = (columns: number, maxRows = 5_000): number =>
  Math.max(1, Math.min(maxRows, Math.floor(maxParameters / Math.max(1, columns))))

/**
 * Splits a batch into chunks of at most `size`, keeping order.
 *
 * @category chunking
 * @since 0.1.0
 */
export const chunk = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Keeps the last row for each natural key (one INSERT may not touch a row twice), in first-seen order.
 *
 * @category chunking
 * @since 0.1.0
 */
export const dedupe = <Row>(spec: TableSpec.TableSpec<Row>, rows: ReadonlyArray<Row>): ReadonlyArray<Row> => {
  const byKey = new Map<string, Row>()
  for (const row of rows) byKey.set(TableSpec.keyOf(spec, row), row)
  return byKey.size === rows.length ? rows : Array.from(byKey.values())
}

/**
 * The SQL text of one chunk's statement for `rowCount` rows.
 *
 * @category statements
 * @since 0.1.0
 */
export const upsertStatement = <Row>(
  spec: TableSpec.TableSpec<Row>,
  extraColumns: ReadonlyArray<string>,
  rowCount: number,
  options: { readonly touch?: string | undefined } = {}
): string => {
  const columns = [...spec.columns.map((c) => c.column), ...extraColumns]
  const q = TableSpec.quote
  const width = columns.length
  const tuples: Array<string> = []
  for (let r = 0; r < rowCount; r++) {
    const placeholders: Array<string> = []
    for (let c = 0; c < width; c++) placeholders.push(`$${r * width + c + 1}`)
    tuples.push(`(${placeholders.join(", ")})`)
  }
  const keySet = new Set(spec.key)
  const updatable = columns.filter((c) => !keySet.has(c))
  const set = updatable.map((c) => `${q(c)} = EXCLUDED.${q(c)}`)
  if (options.touch !== undefined) set.push(`${q(options.touch)} = now()`)
  const table = q(spec.table)
  const changed = updatable.length === 0
    ? "false"
    : updatable.length === 1
    ? `${table}.${q(updatable[0]!)} IS DISTINCT FROM EXCLUDED.${q(updatable[0]!)}`
    : `(${updatable.map((c) => `${table}.${q(c)}`).join(", ")}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${q(c)}`).join(", ")})`
  // A table that is all key has nothing to update: a replayed row is simply skipped.
  const onConflict = set.length === 0 ? "DO NOTHING" : `DO UPDATE SET ${set.join(", ")} WHERE ${changed}`
  return `INSERT INTO ${table} (${columns.map(q).join(", ")}) VALUES ${tuples.join(", ")} ` +
    `ON CONFLICT (${spec.key.map(q).join(", ")}) ${onConflict} RETURNING 1 AS written`
}

/**
 * Upserts a batch by natural key through `sql`. Returns how many distinct rows the batch held (`rows`, one per
 * natural key) and how many were inserted or changed (`written`, 0 when the same batch is written again). Runs
 * in the caller's transaction when there is one; wrap it in `sql.withTransaction` for a batch that must land
 * whole.
 *
 * @category writes
 * @since 0.1.0
 */
export const upsert = Effect.fn("BulkUpsert.upsert")(function*<Row>(
  sql: SqlClient.SqlClient,
  spec: TableSpec.TableSpec<Row>,
  rows: ReadonlyArray<Row>,
  options: { readonly extra?: Extra | undefined; readonly touch?: string | undefined } = {}
): Effect.fn.Return<{ readonly rows: number; readonly written: number }, SqlError> {
  if (rows.length === 0) return { rows: 0, written: 0 }
  const extraColumns = Object.keys(options.extra ?? {})
  const extraValues = extraColumns.map((c) => (options.extra ?? {})[c])
  const unique = dedupe(spec, rows)
  const size = rowsPerChunk(spec.columns.length + extraColumns.length)
  let written = 0
  for (const part of chunk(unique, size)) {
    const params: Array<unknown> = []
    for (const row of part) {
      for (const value of TableSpec.encodeRow(spec, row)) params.push(value)
      for (const value of extraValues) params.push(value)
    }
    const text = upsertStatement(spec, extraColumns, part.length, options)
    const result = yield* sql.unsafe<{ readonly written: number }>(text, params)
    written += result.length
  }
  return { rows: unique.length, written }
})
