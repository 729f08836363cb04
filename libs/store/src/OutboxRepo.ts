/**
 * The submission outbox: preparing a submission writes a row under its business idempotency key, the push job
 * sends it with that key and records the receipt, and the outside system's acknowledgement (or rejection)
 * closes it. A corrected return is a new version that supersedes the previous one; a row is never edited
 * into a different submission.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import { SqlError } from "effect/sql/SqlError"
import * as AuditLog from "./AuditLog.ts"
import { NotFound, OutboxConflict, StoredValueError } from "./StoreError.ts"
import { jsonText, traverse } from "./TableSpec.ts"

/**
 * Where a submission is: `prepared` (written, not yet sent), `sent` (the outside system holds it), then
 * `acknowledged` or `rejected` by it; `failed` when sending failed for good (ops may send it again).
 *
 * @category models
 * @since 0.1.0
 */
export type OutboxStatus = "prepared" | "sent" | "acknowledged" | "rejected" | "failed"

/**
 * The series a submission belongs to: one return of one body for one period, through one plugin.
 *
 * @category models
 * @since 0.1.0
 */
export interface Series {
  readonly plugin: string
  readonly kind: string
  readonly body: string
  readonly period: string
}

/**
 * A submission to prepare: version 1 starts a series, version n + 1 supersedes version n.
 *
 * @category models
 * @since 0.1.0
 */
export interface Submission extends Series {
  readonly idempotencyKey: string
  readonly version: number
  readonly payload: unknown
}

/**
 * A stored submission.
 *
 * @category models
 * @since 0.1.0
 */
export interface OutboxEntry extends Submission {
  readonly id: number
  readonly supersedes?: string
  readonly status: OutboxStatus
  readonly receipt?: unknown
  readonly acknowledgement?: unknown
  readonly reasons?: unknown
  readonly createdAt: string
  readonly updatedAt: string
}

/**
 * The hub's standard idempotency key for a submission: plugin, kind, body, period and version, so the same
 * business submission always has the same key and a correction a new one.
 *
 * @category constructors
 * @since 0.1.0
 */
export const idempotencyKey = (series: Series, version: number): string => `${keyPrefix(series)}${version}`

/** The standard key without its version number: `plugin:kind:body:period:v`. */
const keyPrefix = (series: Series): string =>
  `${[series.plugin, series.kind, series.body, series.period].map(encodeURIComponent).join(":")}:v`

/**
 * The next version of a series to prepare: its payload, and the payload field that carries the version (set to
 * the version the store gives it). See `OutboxRepo.prepareNext`.
 *
 * @category models
 * @since 0.1.0
 */
export interface NextSubmission extends Series {
  readonly payload: Readonly<Record<string, unknown>>
  readonly versionField: string
}

/** Which statuses each transition may start from (repeating a transition is harmless). */
const transitions = {
  sent: ["prepared", "failed", "sent"],
  acknowledged: ["sent", "acknowledged"],
  rejected: ["sent", "rejected"],
  failed: ["prepared", "sent", "failed"]
} as const satisfies Record<string, ReadonlyArray<OutboxStatus>>

interface OutboxRow {
  readonly id: bigint | number
  readonly idempotency_key: string
  readonly plugin: string
  readonly kind: string
  readonly body: string
  readonly period: string
  readonly version: number
  readonly supersedes: string | null
  readonly payload: unknown
  readonly status: OutboxStatus
  readonly receipt: unknown
  readonly acknowledgement: unknown
  readonly reasons: unknown
  readonly created_at: Date
  readonly updated_at: Date
}

const toEntry = (row: OutboxRow): Result.Result<OutboxEntry, StoredValueError> => {
  const id = Number(row.id)
  if (!Number.isSafeInteger(id)) {
    return Result.fail(new StoredValueError({ table: "submission_outbox", column: "id", reason: `${String(row.id)} is not a safe integer` }))
  }
  return Result.succeed({
    id,
    idempotencyKey: row.idempotency_key,
    plugin: row.plugin,
    kind: row.kind,
    body: row.body,
    period: row.period,
    version: row.version,
    ...(row.supersedes === null ? {} : { supersedes: row.supersedes }),
    payload: row.payload,
    status: row.status,
    ...(row.receipt === null ? {} : { receipt: row.receipt }),
    ...(row.acknowledgement === null ? {} : { acknowledgement: row.acknowledgement }),
    ...(row.reasons === null ? {} : { reasons: row.reasons }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  })
}

/**
 * What a status change stores beside the new status (each kept as it was when not given).
 *
 * @category models
 * @since 0.1.0
 */
export interface Details {
  readonly receipt?: unknown
  readonly acknowledgement?: unknown
  readonly reasons?: unknown
}

/**
 * What a status move answers: the status it found, and the moved row; when the status did not allow the move,
 * `previous_status` and every row column are null (the outer join found no moved row).
 */
type MovedRow =
  | (OutboxRow & { readonly current_status: OutboxStatus; readonly previous_status: OutboxStatus })
  | { readonly current_status: OutboxStatus; readonly previous_status: null }

const json = (value: unknown): string | null => (value === undefined ? null : jsonText(value))

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const selectByKey = (key: string) =>
    sql<OutboxRow>`SELECT * FROM submission_outbox WHERE idempotency_key = ${key}`

  const latestRow = (series: Series) =>
    sql<OutboxRow>`SELECT * FROM submission_outbox WHERE plugin = ${series.plugin} AND kind = ${series.kind}
      AND body = ${series.body} AND period = ${series.period} ORDER BY version DESC LIMIT 1`

  /**
   * Why a submission was not inserted, read after the fact (a replay, a key used for other content, a version
   * that does not follow, or a concurrent preparer that took the key or version first).
   */
  const notInserted = (submission: Submission, seriesName: string) =>
    Effect.gen(function*() {
      const key = submission.idempotencyKey
      const [existing] = yield* sql<OutboxRow & { readonly same_payload: boolean }>`SELECT *,
        payload = ${json(submission.payload)}::jsonb AS same_payload
        FROM submission_outbox WHERE idempotency_key = ${key}`
      if (existing !== undefined) return yield* replayOf(submission, existing)
      const [latest] = yield* latestRow(submission)
      const expected = (latest?.version ?? 0) + 1
      if (submission.version !== expected) {
        return yield* new OutboxConflict({
          idempotencyKey: key,
          reason: `version ${submission.version} does not follow the latest version ${latest?.version ?? "(none)"} of ${seriesName}; expected ${expected}`
        })
      }
      return yield* new OutboxConflict({ idempotencyKey: key, reason: "the key or version was taken by a concurrent submission" })
    })

  /** The stored row under a submission's key: the same submission (`created: false`) or a conflict. */
  const replayOf = (submission: Submission, existing: OutboxRow & { readonly same_payload: boolean }) => {
    const same = existing.same_payload && existing.plugin === submission.plugin && existing.kind === submission.kind &&
      existing.body === submission.body && existing.period === submission.period && existing.version === submission.version
    return same
      ? Effect.map(Effect.fromResult(toEntry(existing)), (entry) => ({ entry, created: false }))
      : Effect.fail(new OutboxConflict({ idempotencyKey: submission.idempotencyKey, reason: "the key is already used by a different submission" }))
  }

  // One statement (one round trip, atomic on its own or inside the caller's transaction): the row under the key
  // if there is one; otherwise the insert, when the version follows the series' latest, superseding it, with its
  // audit entry. A concurrent preparer of the same key or version makes the insert do nothing (the unique
  // constraints, waiting for that preparer's commit), and `notInserted` reads what happened.
  const prepare = Effect.fn("OutboxRepo.prepare")(function*(submission: Submission) {
    const key = submission.idempotencyKey
    const seriesName = [submission.plugin, submission.kind, submission.body, submission.period].join("|")
    const payload = json(submission.payload)
    const actor = yield* Effect.service(AuditLog.Actor)
    const [row] = yield* sql<OutboxRow & { readonly created: boolean; readonly same_payload: boolean }>`WITH existing AS (
        SELECT * FROM submission_outbox WHERE idempotency_key = ${key}
      ), latest AS (
        SELECT version, idempotency_key FROM submission_outbox WHERE plugin = ${submission.plugin} AND kind = ${submission.kind}
          AND body = ${submission.body} AND period = ${submission.period} ORDER BY version DESC LIMIT 1
      ), inserted AS (
        INSERT INTO submission_outbox (idempotency_key, plugin, kind, body, period, version, supersedes, payload)
        SELECT ${key}, ${submission.plugin}, ${submission.kind}, ${submission.body}, ${submission.period}, ${submission.version}::integer,
          (SELECT idempotency_key FROM latest), ${payload}::jsonb
        WHERE NOT EXISTS (SELECT 1 FROM existing) AND ${submission.version}::integer = COALESCE((SELECT version FROM latest), 0) + 1
        ON CONFLICT DO NOTHING
        RETURNING *
      ), audit AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_key, before, after)
        SELECT ${actor}, 'outbox.prepare', 'submission', idempotency_key, NULL,
          jsonb_build_object('status', 'prepared', 'version', version, 'supersedes', supersedes)
        FROM inserted
      )
      SELECT true AS created, true AS same_payload, inserted.* FROM inserted
      UNION ALL
      SELECT false, existing.payload = ${payload}::jsonb, existing.* FROM existing`.pipe(
      // Kept from the transaction this replaced: `ON CONFLICT DO NOTHING` leaves no unique violation to catch.
      Effect.catchIf(
        (e): e is SqlError => e instanceof SqlError && e.reason._tag === "UniqueViolation",
        () => Effect.fail(new OutboxConflict({ idempotencyKey: key, reason: "the key or version was taken by a concurrent submission" }))
      )
    )
    if (row === undefined) return yield* notInserted(submission, seriesName)
    if (!row.created) return yield* replayOf(submission, row)
    return { entry: yield* Effect.fromResult(toEntry(row)), created: true }
  })

  // One statement (one round trip): the series' latest version when its payload is the same as this one (the
  // version field aside; jsonb equality ignores key order), else the insert of the next version, under its
  // standard key, superseding the latest, with the version field set to it and its audit entry. A concurrent
  // preparer that takes the version first makes the insert do nothing (the unique constraints, waiting for its
  // commit): the statement runs once more, now seeing that version as the latest.
  const prepareNextOnce = (next: NextSubmission, actor: string) => {
    const payload = json(next.payload)
    return sql<OutboxRow & { readonly created: boolean }>`WITH latest AS (
        SELECT * FROM submission_outbox WHERE plugin = ${next.plugin} AND kind = ${next.kind}
          AND body = ${next.body} AND period = ${next.period} ORDER BY version DESC LIMIT 1
      ), same AS (
        SELECT * FROM latest WHERE (payload - ${next.versionField}::text) = (${payload}::jsonb - ${next.versionField}::text)
      ), next AS (
        SELECT COALESCE((SELECT version FROM latest), 0) + 1 AS version
      ), inserted AS (
        INSERT INTO submission_outbox (idempotency_key, plugin, kind, body, period, version, supersedes, payload)
        SELECT ${keyPrefix(next)} || next.version::text, ${next.plugin}, ${next.kind}, ${next.body}, ${next.period}, next.version,
          (SELECT idempotency_key FROM latest), jsonb_set(${payload}::jsonb, ARRAY[${next.versionField}::text], to_jsonb(next.version))
        FROM next WHERE NOT EXISTS (SELECT 1 FROM same)
        ON CONFLICT DO NOTHING
        RETURNING *
      ), audit AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_key, before, after)
        SELECT ${actor}, 'outbox.prepare', 'submission', idempotency_key, NULL,
          jsonb_build_object('status', 'prepared', 'version', version, 'supersedes', supersedes)
        FROM inserted
      )
      SELECT true AS created, inserted.* FROM inserted
      UNION ALL
      SELECT false, same.* FROM same`
  }

  const prepareNext = Effect.fn("OutboxRepo.prepareNext")(function*(next: NextSubmission) {
    const actor = yield* Effect.service(AuditLog.Actor)
    const [row] = yield* prepareNextOnce(next, actor)
    const [answered] = row === undefined ? yield* prepareNextOnce(next, actor) : [row]
    if (answered === undefined) {
      return yield* new OutboxConflict({
        idempotencyKey: keyPrefix(next).slice(0, -2),
        reason: "the next version was taken by concurrent submissions twice"
      })
    }
    return { entry: yield* Effect.fromResult(toEntry(answered)), created: answered.created }
  })

  // One statement: locks the row, moves it when its status allows, records the audit entry with the status it
  // had, and answers the status it found (none: no such submission).
  const move = (to: keyof typeof transitions, action: string) =>
    Effect.fn(`OutboxRepo.${action}`)(function*(key: string, details: Details = {}) {
      const from: ReadonlyArray<OutboxStatus> = transitions[to]
      const actor = yield* Effect.service(AuditLog.Actor)
      const [row] = yield* sql<MovedRow>`WITH old AS (
          SELECT id, status FROM submission_outbox WHERE idempotency_key = ${key} FOR UPDATE
        ), updated AS (
          UPDATE submission_outbox o SET status = ${to},
            receipt = COALESCE(${json(details.receipt)}::jsonb, o.receipt),
            acknowledgement = COALESCE(${json(details.acknowledgement)}::jsonb, o.acknowledgement),
            reasons = COALESCE(${json(details.reasons)}::jsonb, o.reasons),
            updated_at = now()
          FROM old WHERE o.id = old.id AND old.status IN ${sql.in(from)}
          RETURNING o.*, old.status AS previous_status
        ), audit AS (
          INSERT INTO audit_log (actor, action, entity_type, entity_key, before, after)
          SELECT ${actor}, ${`outbox.${action}`}, 'submission', ${key},
            jsonb_build_object('status', previous_status), jsonb_build_object('status', ${to}::text)
          FROM updated
        )
        SELECT old.status AS current_status, updated.* FROM old LEFT JOIN updated ON true`
      if (row === undefined) return yield* new NotFound({ entity: "submission", key })
      if (row.previous_status === null) {
        return yield* new OutboxConflict({ idempotencyKey: key, reason: `cannot go from ${row.current_status} to ${to}` })
      }
      return yield* Effect.fromResult(toEntry(row))
    })

  const markSent = move("sent", "markSent")
  const markAcknowledged = move("acknowledged", "markAcknowledged")
  const markRejected = move("rejected", "markRejected")
  const markFailed = move("failed", "markFailed")

  const find = Effect.fn("OutboxRepo.find")(function*(key: string) {
    const [row] = yield* selectByKey(key)
    return row === undefined ? undefined : yield* Effect.fromResult(toEntry(row))
  })

  const latest = Effect.fn("OutboxRepo.latest")(function*(series: Series) {
    const [row] = yield* latestRow(series)
    return row === undefined ? undefined : yield* Effect.fromResult(toEntry(row))
  })

  const nextVersion = Effect.fn("OutboxRepo.nextVersion")(function*(series: Series) {
    const [row] = yield* latestRow(series)
    const version = (row?.version ?? 0) + 1
    return { version, idempotencyKey: idempotencyKey(series, version), ...(row === undefined ? {} : { supersedes: row.idempotency_key }) }
  })

  const get = Effect.fn("OutboxRepo.get")(function*(id: number) {
    const [row] = yield* sql<OutboxRow>`SELECT * FROM submission_outbox WHERE id = ${id}`
    return row === undefined ? undefined : yield* Effect.fromResult(toEntry(row))
  })

  const list = Effect.fn("OutboxRepo.list")(function*(filter: {
    readonly status?: OutboxStatus
    readonly plugin?: string
    readonly afterId?: number
    readonly limit?: number
  } = {}) {
    const rows = yield* sql<OutboxRow>`SELECT * FROM submission_outbox WHERE ${sql.and([
      ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
      ...(filter.plugin === undefined ? [] : [sql`plugin = ${filter.plugin}`]),
      ...(filter.afterId === undefined ? [] : [sql`id > ${filter.afterId}`])
    ])} ORDER BY id LIMIT ${filter.limit ?? 1000}`
    return yield* Effect.fromResult(traverse(rows, toEntry))
  })

  return { prepare, prepareNext, markSent, markAcknowledged, markRejected, markFailed, find, get, latest, nextVersion, list }
})

/**
 * Prepares, tracks and reads submissions.
 *
 * @category services
 * @since 0.1.0
 */
export class OutboxRepo extends Context.Service<OutboxRepo, {
  /**
   * Writes a submission as `prepared`. Preparing the same submission again returns the stored one
   * (`created: false`); the same key for different content, or a version that does not follow the series'
   * latest, is an `OutboxConflict`. Version n + 1 records that it supersedes version n.
   */
  readonly prepare: (
    submission: Submission
  ) => Effect.Effect<{ readonly entry: OutboxEntry; readonly created: boolean }, SqlError | OutboxConflict | StoredValueError>
  /**
   * Prepares the next version of a series in one statement: when the series' latest version has the same
   * payload (its `versionField` aside), that one (`created: false`); otherwise version latest + 1 under the
   * standard {@link idempotencyKey}, superseding the latest, with `payload[versionField]` set to the version.
   */
  readonly prepareNext: (
    next: NextSubmission
  ) => Effect.Effect<{ readonly entry: OutboxEntry; readonly created: boolean }, SqlError | OutboxConflict | StoredValueError>
  /** prepared | failed | sent → sent, storing the receipt. */
  readonly markSent: (key: string, details?: Details) => Effect.Effect<OutboxEntry, SqlError | OutboxConflict | NotFound | StoredValueError>
  /** sent → acknowledged, storing the acknowledgement. */
  readonly markAcknowledged: (key: string, details?: Details) => Effect.Effect<OutboxEntry, SqlError | OutboxConflict | NotFound | StoredValueError>
  /** sent → rejected, storing the acknowledgement and reasons. */
  readonly markRejected: (key: string, details?: Details) => Effect.Effect<OutboxEntry, SqlError | OutboxConflict | NotFound | StoredValueError>
  /** prepared | sent → failed, storing the reasons. */
  readonly markFailed: (key: string, details?: Details) => Effect.Effect<OutboxEntry, SqlError | OutboxConflict | NotFound | StoredValueError>
  readonly find: (key: string) => Effect.Effect<OutboxEntry | undefined, SqlError | StoredValueError>
  /** The submission stored under `id` (its row id). */
  readonly get: (id: number) => Effect.Effect<OutboxEntry | undefined, SqlError | StoredValueError>
  /** The highest version of a series. */
  readonly latest: (series: Series) => Effect.Effect<OutboxEntry | undefined, SqlError | StoredValueError>
  /** The version, standard key and superseded key a new submission of the series would have. */
  readonly nextVersion: (series: Series) => Effect.Effect<{
    readonly version: number
    readonly idempotencyKey: string
    readonly supersedes?: string
  }, SqlError>
  /** Submissions oldest first, optionally by status and plugin and after row id `afterId`, at most `limit` (1000). */
  readonly list: (filter?: {
    readonly status?: OutboxStatus
    readonly plugin?: string
    readonly afterId?: number
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<OutboxEntry>, SqlError | StoredValueError>
}>()("@hub/store/OutboxRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(OutboxRepo, make)
}
