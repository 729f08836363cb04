/**
 * Submissions as clients read them: outbox entries (a prepared return and its version, what it supersedes, where
 * it is) with the outside system's receipt, its acknowledgement or rejection and the reasons given, listed
 * oldest first and paged by id.
 *
 * libs/store's `OutboxRepo` finds entries by business key and lists without an "after id" filter, so these
 * queries read its `submission_outbox` table themselves (the same columns) to page by key and find by id.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as IdCursor from "../../http/IdCursor.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { NotFound } from "../../problems/GatewayErrors.ts"
import { afterId } from "../quarantine/QuarantineQueries.ts"

const cursorKind = "submissions"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * Where a submission is: `prepared` (not yet sent), `sent` (the outside system holds it), `acknowledged` or
 * `rejected` by it, or `failed` when sending failed for good.
 *
 * @category schemas
 * @since 0.1.0
 */
export const State = Schema.Literals(["prepared", "sent", "acknowledged", "rejected", "failed"])

/**
 * @category models
 * @since 0.1.0
 */
export type State = typeof State.Type

/**
 * A plugin id (`nhs-england-returns`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PluginId = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a plugin id such as nhs-england-returns" })
)

/**
 * The `{id}` path parameter: a submission id as listed.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IdParam = Schema.Struct({
  id: Schema.String.check(Schema.isPattern(/^[1-9][0-9]{0,14}$/u, { expected: "a submission id (a positive whole number)" }))
    .annotate({ description: "The submission id (`id` of a listed or prepared submission)." })
})

/**
 * The query of `GET /v1/submissions`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  plugin: Schema.optionalKey(PluginId.annotate({ description: "Only submissions pushed through this plugin." })),
  state: Schema.optionalKey(State.annotate({ description: "Only submissions in this state." })),
  limit: Schema.optionalKey(QueryParams.Limit),
  cursor: Schema.optionalKey(IdCursor.CursorParam)
})

/**
 * A submission without its payload: identity, version, state and what the outside system said.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Submission = Schema.Struct({
  id: Schema.Int.annotate({ description: "The submission id" }),
  key: Schema.String.annotate({ description: "Its business idempotency key: plugin, kind, body, period and version" }),
  plugin: Schema.String,
  kind: Schema.String.annotate({ description: "What is submitted (financial-return)" }),
  body: Schema.String.annotate({ description: "The body the submission is for (commissioner code)" }),
  period: Schema.String.annotate({ description: "The period it covers (2013/14 M1)" }),
  version: Schema.Int,
  supersedes: Schema.optionalKey(Schema.String.annotate({ description: "The key of the version this one corrects" })),
  state: State,
  receipt: Schema.optionalKey(Schema.Unknown.annotate({ description: "The outside system's receipt when it took the submission" })),
  acknowledgement: Schema.optionalKey(Schema.Unknown.annotate({ description: "The outside system's acknowledgement (accepted or rejected)" })),
  reasons: Schema.optionalKey(Schema.Unknown.annotate({ description: "Why it was rejected, or why sending failed" })),
  createdAt: Schema.String.annotate({ description: "When it was prepared (ISO 8601)" }),
  updatedAt: Schema.String.annotate({ description: "When its state last changed (ISO 8601)" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type Submission = typeof Submission.Type

/**
 * A submission with its payload (the return's figures as they are sent).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SubmissionDetail = Schema.Struct({
  ...Submission.fields,
  payload: Schema.Unknown.annotate({ description: "What is sent, as the plugin's schema has it" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type SubmissionDetail = typeof SubmissionDetail.Type

/**
 * A page of submissions; `nextCursor` fetches the next (null on the last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SubmissionPage = Schema.Struct({ items: Schema.Array(Submission), nextCursor: Schema.NullOr(Schema.String) })

/**
 * @category models
 * @since 0.1.0
 */
export type SubmissionPage = typeof SubmissionPage.Type

// ---------------------------------------------------------------------------------------------------------
// rows
// ---------------------------------------------------------------------------------------------------------

/**
 * A `submission_outbox` row.
 *
 * @category models
 * @since 0.1.0
 */
export interface Row {
  readonly id: bigint | number | string
  readonly idempotency_key: string
  readonly plugin: string
  readonly kind: string
  readonly body: string
  readonly period: string
  readonly version: number
  readonly supersedes: string | null
  readonly payload: unknown
  readonly status: State
  readonly receipt: unknown
  readonly acknowledgement: unknown
  readonly reasons: unknown
  readonly created_at: Date
  readonly updated_at: Date
}

/**
 * A row as a client sees it (ids past a safe integer cannot occur before 2^53 submissions).
 *
 * @category conversions
 * @since 0.1.0
 */
export const toSubmission = (row: Row): Submission => ({
  id: Number(row.id),
  key: row.idempotency_key,
  plugin: row.plugin,
  kind: row.kind,
  body: row.body,
  period: row.period,
  version: row.version,
  ...(row.supersedes === null ? {} : { supersedes: row.supersedes }),
  state: row.status,
  ...(row.receipt === null ? {} : { receipt: row.receipt }),
  ...(row.acknowledgement === null ? {} : { acknowledgement: row.acknowledgement }),
  ...(row.reasons === null ? {} : { reasons: row.reasons }),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString()
})

/**
 * A row with its payload.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toDetail = (row: Row): SubmissionDetail => ({ ...toSubmission(row), payload: row.payload })

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

/**
 * The row of submission `id`, or `NotFound` naming it.
 *
 * @category queries
 * @since 0.1.0
 */
export const findRow = Effect.fnUntraced(function*(id: number) {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Row>`SELECT * FROM submission_outbox WHERE id = ${id}`
  if (row === undefined) return yield* new NotFound({ entity: "submission", key: String(id) })
  return row
})

/**
 * The newest version of the row's series.
 *
 * @category queries
 * @since 0.1.0
 */
export const latestVersion = Effect.fnUntraced(function*(row: Row) {
  const sql = yield* SqlClient.SqlClient
  const [latest] = yield* sql<{ readonly version: number; readonly idempotency_key: string }>`SELECT version, idempotency_key
    FROM submission_outbox WHERE plugin = ${row.plugin} AND kind = ${row.kind} AND body = ${row.body} AND period = ${row.period}
    ORDER BY version DESC LIMIT 1`
  return latest
})

/**
 * Submission `id` with its payload, receipt and acknowledgement.
 *
 * @category queries
 * @since 0.1.0
 */
export const find = (id: number) => Effect.map(findRow(id), toDetail)

/**
 * One page of submissions, oldest first.
 *
 * @category queries
 * @since 0.1.0
 */
export const list = Effect.fnUntraced(function*(query: typeof ListQuery.Type) {
  const sql = yield* SqlClient.SqlClient
  const after = yield* afterId(cursorKind, query.cursor)
  const limit = query.limit ?? QueryParams.defaultLimit
  const rows = yield* sql<Row>`SELECT id, idempotency_key, plugin, kind, body, period, version, supersedes, NULL AS payload,
      status, receipt, acknowledgement, reasons, created_at, updated_at
    FROM submission_outbox
    WHERE ${sql.and([
      ...(query.plugin === undefined ? [] : [sql`plugin = ${query.plugin}`]),
      ...(query.state === undefined ? [] : [sql`status = ${query.state}`]),
      ...(after === undefined ? [] : [sql`id > ${after}`])
    ])}
    ORDER BY id LIMIT ${limit + 1}`
  const items = rows.slice(0, limit).map(toSubmission)
  const last = items.at(-1)
  const page: SubmissionPage = { items, nextCursor: rows.length > limit && last !== undefined ? IdCursor.encode(cursorKind, last.id) : null }
  return page
})
