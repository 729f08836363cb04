/**
 * The quarantine as ops read it: rows the ingest rejected (which plugin and stream, the line in the source, the
 * raw row and every reason), oldest first, paged by id.
 *
 * libs/store's `IngestRepo.quarantined` has no "after id" filter, so this query reads the store's
 * `quarantined_rows` table itself (the same columns) to page by key rather than by offset.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as IdCursor from "../../http/IdCursor.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { ValidationFailed } from "../../problems/GatewayErrors.ts"

const cursorKind = "quarantine"

/**
 * The query of `GET /v1/quarantine`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  plugin: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a plugin id such as london-cbs" }))
      .annotate({ description: "Only rows of this plugin (e.g. council-finance)." })
  ),
  stream: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._-]{1,100}$/u, { expected: "a stream name such as spend" }))
      .annotate({ description: "Only rows of this stream (e.g. spend)." })
  ),
  limit: Schema.optionalKey(QueryParams.Limit),
  cursor: Schema.optionalKey(IdCursor.CursorParam)
})

/**
 * One problem with a rejected row.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Reason = Schema.Struct({ field: Schema.String, reason: Schema.String })

/**
 * A quarantined row: where it came from, its line in the source, the raw text and why it was rejected.
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuarantinedRow = Schema.Struct({
  id: Schema.Int,
  plugin: Schema.String,
  stream: Schema.String,
  line: Schema.Int,
  raw: Schema.String,
  reasons: Schema.Array(Reason),
  createdAt: Schema.String.annotate({ description: "When the row was first rejected (ISO 8601)" }),
  lastSeenAt: Schema.String.annotate({ description: "When it was last seen again (a replayed page)" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type QuarantinedRow = typeof QuarantinedRow.Type

/**
 * A page of quarantined rows; `nextCursor` fetches the next (null on the last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuarantinePage = Schema.Struct({ items: Schema.Array(QuarantinedRow), nextCursor: Schema.NullOr(Schema.String) })

/**
 * @category models
 * @since 0.1.0
 */
export type QuarantinePage = typeof QuarantinePage.Type

interface Row {
  readonly id: bigint | number | string
  readonly plugin: string
  readonly stream: string
  readonly line: number
  readonly raw: string
  readonly reasons: ReadonlyArray<{ readonly field: string; readonly reason: string }>
  readonly created_at: Date
  readonly last_seen_at: Date
}

/**
 * Decodes a page cursor or fails naming the `cursor` parameter.
 *
 * @category cursors
 * @since 0.1.0
 */
export const afterId = (kind: string, cursor: string | undefined): Effect.Effect<number | undefined, ValidationFailed> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  const id = IdCursor.decode(kind, cursor)
  return id === undefined
    ? Effect.fail(new ValidationFailed({ target: "query", issues: [{ path: ["query", "cursor"], message: "Expected a cursor returned as nextCursor of this list" }] }))
    : Effect.succeed(id)
}

/**
 * One page of the quarantine.
 *
 * @category queries
 * @since 0.1.0
 */
export const list = Effect.fnUntraced(function* (query: typeof ListQuery.Type) {
  const sql = yield* SqlClient.SqlClient
  const after = yield* afterId(cursorKind, query.cursor)
  const limit = query.limit ?? QueryParams.defaultLimit
  const rows = yield* sql<Row>`SELECT id, plugin, stream, line, raw, reasons, created_at, last_seen_at
    FROM quarantined_rows
    WHERE ${sql.and([
      ...(query.plugin === undefined ? [] : [sql`plugin = ${query.plugin}`]),
      ...(query.stream === undefined ? [] : [sql`stream = ${query.stream}`]),
      ...(after === undefined ? [] : [sql`id > ${after}`])
    ])}
    ORDER BY id LIMIT ${limit + 1}`
  const items = rows.slice(0, limit).map((r): QuarantinedRow => ({
    id: Number(r.id),
    plugin: r.plugin,
    stream: r.stream,
    line: r.line,
    raw: r.raw,
    reasons: r.reasons.map((p) => ({ field: p.field, reason: p.reason })),
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString()
  }))
  const last = items.at(-1)
  const page: QuarantinePage = { items, nextCursor: rows.length > limit && last !== undefined ? IdCursor.encode(cursorKind, last.id) : null }
  return page
})
