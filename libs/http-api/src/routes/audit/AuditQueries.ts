/**
 * The audit log as people read it: who changed what and when (every write made through libs/store), oldest
 * first, optionally for one entity, paged by entry id.
 *
 * @since 0.1.0
 */
import { AuditLog, type StoreError } from "@hub/store"
import { Effect, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import * as IdCursor from "../../http/IdCursor.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import type { ValidationFailed } from "../../problems/GatewayErrors.ts"
import { afterId } from "../quarantine/QuarantineQueries.ts"

const cursorKind = "audit"

const Text = (description: string) =>
  Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200)).annotate({ description })

/**
 * The query of `GET /v1/audit`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  entityType: Schema.optionalKey(Text("Only entries about this kind of entity (api-key, stream, budgets, submission, ...).")),
  entityKey: Schema.optionalKey(Text("Only entries about this entity (a key id, `plugin/stream`, an idempotency key, ...).")),
  limit: Schema.optionalKey(QueryParams.Limit),
  cursor: Schema.optionalKey(IdCursor.CursorParam)
})

/**
 * One recorded write.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AuditEntry = Schema.Struct({
  id: Schema.Int,
  at: Schema.String.annotate({ description: "When (the database transaction's time, ISO 8601)" }),
  actor: Schema.String.annotate({ description: "Who: an API key (`api-key:<id>`), a worker job, `cli` or `system`" }),
  action: Schema.String.annotate({ description: "What, e.g. api-key.create, ingest.commit-page" }),
  entityType: Schema.String,
  entityKey: Schema.String,
  before: Schema.optionalKey(Schema.Unknown.annotate({ description: "A short summary of the state before" })),
  after: Schema.optionalKey(Schema.Unknown.annotate({ description: "A short summary of the state after" }))
})

/**
 * A page of entries; `nextCursor` fetches the next (null on the last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const AuditPage = Schema.Struct({ items: Schema.Array(AuditEntry), nextCursor: Schema.NullOr(Schema.String) })

/**
 * @category models
 * @since 0.1.0
 */
export type AuditPage = typeof AuditPage.Type

/**
 * One page of the audit log.
 *
 * @category queries
 * @since 0.1.0
 */
export const list: (
  query: typeof ListQuery.Type
) => Effect.Effect<AuditPage, ValidationFailed | SqlError | StoreError.StoredValueError, AuditLog.AuditLog> = Effect.fnUntraced(function* (query: typeof ListQuery.Type) {
  const log = yield* AuditLog.AuditLog
  const after = yield* afterId(cursorKind, query.cursor)
  const limit = query.limit ?? QueryParams.defaultLimit
  const entries = yield* log.list({
    ...(query.entityType === undefined ? {} : { entityType: query.entityType }),
    ...(query.entityKey === undefined ? {} : { entityKey: query.entityKey }),
    ...(after === undefined ? {} : { afterId: after }),
    limit: limit + 1
  })
  const items = entries.slice(0, limit)
  const last = items.at(-1)
  const page: AuditPage = { items, nextCursor: entries.length > limit && last !== undefined ? IdCursor.encode(cursorKind, last.id) : null }
  return page
})
