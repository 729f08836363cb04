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
import { OutboxRepo, type StoreError } from "@hub/store"
import type { SqlError } from "effect/sql/SqlError"
import * as IdCursor from "../../http/IdCursor.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { NotFound, type ValidationFailed } from "../../problems/GatewayErrors.ts"
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

// conversions
// ---------------------------------------------------------------------------------------------------------

/**
 * A stored submission (libs/store's `OutboxEntry`) as a client sees it.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toSubmission = (entry: OutboxRepo.OutboxEntry): Submission => ({
  id: entry.id,
  key: entry.idempotencyKey,
  plugin: entry.plugin,
  kind: entry.kind,
  body: entry.body,
  period: entry.period,
  version: entry.version,
  ...(entry.supersedes === undefined ? {} : { supersedes: entry.supersedes }),
  state: entry.status,
  ...(entry.receipt === undefined ? {} : { receipt: entry.receipt }),
  ...(entry.acknowledgement === undefined ? {} : { acknowledgement: entry.acknowledgement }),
  ...(entry.reasons === undefined ? {} : { reasons: entry.reasons }),
  createdAt: entry.createdAt,
  updatedAt: entry.updatedAt
})

/**
 * A stored submission with its payload.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toDetail = (entry: OutboxRepo.OutboxEntry): SubmissionDetail => ({ ...toSubmission(entry), payload: entry.payload })

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

/**
 * The stored submission `id`, or `NotFound` naming it.
 *
 * @category queries
 * @since 0.1.0
 */
export const findEntry: (
  id: number
) => Effect.Effect<OutboxRepo.OutboxEntry, NotFound | SqlError | StoreError.StoredValueError, OutboxRepo.OutboxRepo> = Effect.fnUntraced(function*(id: number) {
  const outbox = yield* OutboxRepo.OutboxRepo
  const entry = yield* outbox.get(id)
  if (entry === undefined) return yield* new NotFound({ entity: "submission", key: String(id) })
  return entry
})

/**
 * Submission `id` with its payload, receipt and acknowledgement.
 *
 * @category queries
 * @since 0.1.0
 */
export const find = (
  id: number
): Effect.Effect<SubmissionDetail, NotFound | SqlError | StoreError.StoredValueError, OutboxRepo.OutboxRepo> => Effect.map(findEntry(id), toDetail)

/**
 * One page of submissions, oldest first.
 *
 * @category queries
 * @since 0.1.0
 */
export const list: (
  query: typeof ListQuery.Type
) => Effect.Effect<SubmissionPage, ValidationFailed | SqlError | StoreError.StoredValueError, OutboxRepo.OutboxRepo> = Effect.fnUntraced(function*(query: typeof ListQuery.Type) {
  const outbox = yield* OutboxRepo.OutboxRepo
  const after = yield* afterId(cursorKind, query.cursor)
  const limit = query.limit ?? QueryParams.defaultLimit
  const entries = yield* outbox.list({
    ...(query.plugin === undefined ? {} : { plugin: query.plugin }),
    ...(query.state === undefined ? {} : { status: query.state }),
    ...(after === undefined ? {} : { afterId: after }),
    limit: limit + 1
  })
  const items = entries.slice(0, limit).map(toSubmission)
  const last = items.at(-1)
  const page: SubmissionPage = { items, nextCursor: entries.length > limit && last !== undefined ? IdCursor.encode(cursorKind, last.id) : null }
  return page
})
