/**
 * The audit log: every write made through the store records who did it, what, when, to which entity, with a
 * short before/after summary, in the same transaction as the write itself. Who is the `Actor` reference,
 * which the gateway sets to the API key's name and workers to their job (default "system").
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { StoredValueError } from "./StoreError.ts"
import { jsonText, traverse } from "./TableSpec.ts"

/**
 * Who is writing: provide it around a use case (`Effect.provideService(AuditLog.Actor, "api-key:ops-team")`).
 *
 * @category references
 * @since 0.1.0
 */
export const Actor = Context.Reference<string>("@hub/store/AuditLog/Actor", { defaultValue: () => "system" })

/**
 * What a write records.
 *
 * @category models
 * @since 0.1.0
 */
export interface AuditInput {
  readonly action: string
  readonly entityType: string
  readonly entityKey: string
  readonly before?: unknown
  readonly after?: unknown
}

/**
 * A recorded write. `at` is the database's transaction time as an ISO timestamp.
 *
 * @category models
 * @since 0.1.0
 */
export interface AuditEntry extends AuditInput {
  readonly id: number
  readonly at: string
  readonly actor: string
}

/**
 * Records one audit entry with the current `Actor`, in the caller's transaction when there is one.
 *
 * @category writes
 * @since 0.1.0
 */
export const write = (sql: SqlClient.SqlClient, entry: AuditInput): Effect.Effect<void, SqlError> =>
  Effect.flatMap(Effect.service(Actor), (actor) =>
    sql`INSERT INTO audit_log (actor, action, entity_type, entity_key, before, after)
      VALUES (${actor}, ${entry.action}, ${entry.entityType}, ${entry.entityKey},
        ${entry.before === undefined ? null : jsonText(entry.before)},
        ${entry.after === undefined ? null : jsonText(entry.after)})`.pipe(Effect.asVoid))

interface AuditRow {
  readonly id: bigint | number
  readonly at: Date
  readonly actor: string
  readonly action: string
  readonly entity_type: string
  readonly entity_key: string
  readonly before: unknown
  readonly after: unknown
}

const toEntry = (row: AuditRow): Result.Result<AuditEntry, StoredValueError> => {
  const id = Number(row.id)
  if (!Number.isSafeInteger(id)) {
    return Result.fail(new StoredValueError({ table: "audit_log", column: "id", reason: `${String(row.id)} is not a safe integer` }))
  }
  return Result.succeed({
    id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityKey: row.entity_key,
    ...(row.before === null ? {} : { before: row.before }),
    ...(row.after === null ? {} : { after: row.after })
  })
}

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const record = Effect.fn("AuditLog.record")(function*(entry: AuditInput) {
    yield* write(sql, entry)
  })

  const list = Effect.fn("AuditLog.list")(function*(filter: {
    readonly entityType?: string
    readonly entityKey?: string
    readonly afterId?: number
    readonly limit?: number
  } = {}) {
    const conditions = [
      ...(filter.entityType === undefined ? [] : [sql`entity_type = ${filter.entityType}`]),
      ...(filter.entityKey === undefined ? [] : [sql`entity_key = ${filter.entityKey}`]),
      ...(filter.afterId === undefined ? [] : [sql`id > ${filter.afterId}`])
    ]
    const rows = yield* sql<AuditRow>`SELECT id, at, actor, action, entity_type, entity_key, before, after
      FROM audit_log WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${filter.limit ?? 1000}`
    return yield* Effect.fromResult(traverse(rows, toEntry))
  })

  return { record, list }
})

/**
 * Reads and appends the audit log.
 *
 * @category services
 * @since 0.1.0
 */
export class AuditLog extends Context.Service<AuditLog, {
  /** Appends an entry made outside the store's repositories (a use case's own decision, for example). */
  readonly record: (entry: AuditInput) => Effect.Effect<void, SqlError>
  /** Entries oldest first, optionally for one entity type/key, after an id (for paging), at most `limit` (1000). */
  readonly list: (filter?: {
    readonly entityType?: string
    readonly entityKey?: string
    readonly afterId?: number
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<AuditEntry>, SqlError | StoredValueError>
}>()("@hub/store/AuditLog") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(AuditLog, make)
}
