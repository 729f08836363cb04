/**
 * Delegations: who exercises which function for which population, on whose behalf, for which period. The
 * rules (no cycles, no overlaps, operational bodies) are the domain's; the store keeps what was recorded.
 * Two shapes are kept: the flat rows of `upsert`/`list` (one population each, reference-data imports), and whole
 * kernel delegations recorded one at a time through the API (`record`/`page`), each checked against every
 * recorded one under a lock so two concurrent records cannot both pass the rules.
 *
 * @since 0.1.0
 */
import { Delegation as Kernel, type Period } from "@hub/domain"
import { Context, Effect, Layer, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { isUniqueViolation } from "./ApiKeyRepo.ts"
import * as AuditLog from "./AuditLog.ts"
import * as BulkUpsert from "./BulkUpsert.ts"
import { AlreadyExists, StoredValueError } from "./StoreError.ts"
import { column, decodeRows, type TableSpec, traverse } from "./TableSpec.ts"

/**
 * A recorded delegation. `population` is the body code or population label the function is exercised for;
 * `level` is the co-commissioning level where one applies.
 *
 * @category models
 * @since 0.1.0
 */
export interface Delegation {
  readonly function: string
  readonly delegator: string
  readonly delegate: string
  readonly population: string
  readonly period: Period.Period
  readonly level?: string
  readonly source?: string
}

interface DelegationRow {
  readonly function: string
  readonly delegator: string
  readonly delegate: string
  readonly population: string
  readonly opened: string
  readonly closed?: string
  readonly level?: string
  readonly source?: string
}

const delegations: TableSpec<DelegationRow> = {
  table: "delegations",
  key: ["function", "delegator", "delegate", "population", "opened"],
  columns: [
    column("function", "function", "text"),
    column("delegator", "delegator", "text"),
    column("delegate", "delegate", "text"),
    column("population", "population", "text"),
    column("opened", "opened", "date"),
    column("closed", "closed", "date", { optional: true }),
    column("level", "level", "text", { optional: true }),
    column("source", "source", "text", { optional: true })
  ]
}

const toRow = (d: Delegation): DelegationRow => {
  const { period, ...rest } = d
  return { ...rest, opened: period.opened, ...(period.closed === undefined ? {} : { closed: period.closed }) }
}

// Written from validated domain periods, so the dates read back are calendar dates.
const fromRow = (r: DelegationRow): Delegation => {
  const { opened, closed, ...rest } = r
  return { ...rest, period: { opened, ...(closed === undefined ? {} : { closed }) } as Period.Period }
}

/**
 * A delegation recorded through the API: the kernel's delegation (with its status made explicit), its place
 * in the order of recording (`seq`, what pages are cut by) and when it was recorded (ISO 8601).
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordedDelegation {
  readonly seq: number
  readonly delegation: Kernel.Delegation
  readonly recordedAt: string
}

/**
 * Which recorded delegations a page holds: the one with an id; of a function; with a delegator; with a delegate (a body or a joint
 * arrangement's member); involving a body in any role (delegator, delegate or population); in force on a date;
 * of a status; after a `seq`; at most `limit` (default 1000).
 *
 * @category models
 * @since 0.1.0
 */
export interface PageFilter {
  readonly id?: string
  readonly function?: string
  readonly delegator?: string
  readonly delegate?: string
  readonly body?: string
  readonly asAt?: string
  readonly status?: Kernel.Status
  readonly afterSeq?: number
  readonly limit?: number
}

interface RecordedRow {
  readonly seq: bigint | number | string
  readonly id: string
  readonly function: string
  readonly delegator: string
  readonly delegate_kind: string
  readonly delegate_codes: ReadonlyArray<string>
  readonly population: ReadonlyArray<string>
  readonly opened: string
  readonly closed: string | null
  readonly level: string | null
  readonly status: string
  readonly source: string | null
  readonly recorded_at: Date
}

const decodeDelegation = Schema.decodeUnknownResult(Kernel.Delegation)

// Read back through the kernel's schema, so a row edited by hand into something the kernel would refuse is
// reported (naming the delegation) rather than fed to the rules.
const toRecorded = (row: RecordedRow): Result.Result<RecordedDelegation, StoredValueError> => {
  const seq = Number(row.seq)
  const decoded = decodeDelegation({
    id: row.id,
    function: row.function,
    delegator: row.delegator,
    delegate: row.delegate_kind === "Joint" ? { _tag: "Joint", members: row.delegate_codes } : { _tag: "Body", code: row.delegate_codes[0] },
    population: row.population,
    period: row.closed === null ? { opened: row.opened } : { opened: row.opened, closed: row.closed },
    status: row.status,
    ...(row.level === null ? {} : { level: row.level }),
    ...(row.source === null ? {} : { source: row.source })
  })
  if (Result.isFailure(decoded)) {
    return Result.fail(new StoredValueError({ table: "recorded_delegations", column: "*", reason: `delegation ${row.id}: ${decoded.failure.message}` }))
  }
  if (!Number.isSafeInteger(seq)) {
    return Result.fail(new StoredValueError({ table: "recorded_delegations", column: "seq", reason: `${String(row.seq)} is not a safe integer` }))
  }
  return Result.succeed({ seq, delegation: decoded.success, recordedAt: row.recorded_at.toISOString() })
}

const recordedColumns = `seq, id, function, delegator, delegate_kind, delegate_codes, population, opened::text AS opened,
  closed::text AS closed, level, status, source, recorded_at`

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const upsert = Effect.fn("DelegationRepo.upsert")(function*(rows: ReadonlyArray<Delegation>) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const result = yield* BulkUpsert.upsert(sql, delegations, rows.map(toRow), { touch: "updated_at" })
      yield* AuditLog.write(sql, {
        action: "delegation.upsert",
        entityType: "delegations",
        entityKey: "*",
        after: { rows: rows.length, written: result.written }
      })
      return result
    }))
  })

  const list = Effect.fn("DelegationRepo.list")(function*(filter: {
    readonly function?: string
    readonly body?: string
  } = {}) {
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM delegations WHERE ${sql.and([
      ...(filter.function === undefined ? [] : [sql`function = ${filter.function}`]),
      ...(filter.body === undefined ? [] : [sql`(delegator = ${filter.body} OR delegate = ${filter.body} OR population = ${filter.body})`])
    ])} ORDER BY function, opened, delegator, delegate, population`
    return (yield* Effect.fromResult(decodeRows(delegations, rows))).map(fromRow)
  })

  const readRecorded = (rows: ReadonlyArray<RecordedRow>) => Effect.fromResult(traverse(rows, toRecorded))

  const record = <E, R>(
    delegation: Kernel.Delegation,
    admit: (recorded: ReadonlyArray<Kernel.Delegation>) => Effect.Effect<void, E, R>
  ): Effect.Effect<RecordedDelegation, E | AlreadyExists | SqlError | StoredValueError, R> =>
    sql.withTransaction(Effect.gen(function*() {
      // Readers go on; a second recorder waits here until this one commits, then sees this delegation.
      yield* sql`LOCK TABLE recorded_delegations IN SHARE ROW EXCLUSIVE MODE`
      const taken = yield* sql<{ readonly id: string }>`SELECT id FROM recorded_delegations WHERE id = ${delegation.id}`
      if (taken.length > 0) return yield* new AlreadyExists({ entity: "delegation", key: delegation.id })
      const existing = yield* readRecorded(yield* sql<RecordedRow>`SELECT ${sql.literal(recordedColumns)}
        FROM recorded_delegations ORDER BY seq`)
      yield* admit(existing.map((r) => r.delegation))
      const status = Kernel.statusOf(delegation)
      const [row] = yield* sql<RecordedRow>`INSERT INTO recorded_delegations
        (id, function, delegator, delegate_kind, delegate_codes, population, opened, closed, level, status, source)
        VALUES (${delegation.id}, ${delegation.function}, ${delegation.delegator}, ${delegation.delegate._tag},
          ${[...Kernel.delegateBodies(delegation.delegate)]}, ${[...delegation.population]}, ${delegation.period.opened},
          ${delegation.period.closed ?? null}, ${delegation.level ?? null}, ${status}, ${delegation.source ?? null})
        RETURNING ${sql.literal(recordedColumns)}`
      const recorded = yield* readRecorded(row === undefined ? [] : [row])
      yield* AuditLog.write(sql, {
        action: "delegation.record",
        entityType: "delegation",
        entityKey: delegation.id,
        after: { ...delegation, status }
      })
      return recorded[0]!
    })).pipe(
      // A record under the same id committed between the check above and this insert (PostgreSQL only).
      Effect.catchIf(isUniqueViolation, () => Effect.fail(new AlreadyExists({ entity: "delegation", key: delegation.id })))
    )

  const page = Effect.fn("DelegationRepo.page")(function*(filter: PageFilter = {}) {
    const rows = yield* sql<RecordedRow>`SELECT ${sql.literal(recordedColumns)} FROM recorded_delegations WHERE ${sql.and([
      ...(filter.id === undefined ? [] : [sql`id = ${filter.id}`]),
      ...(filter.function === undefined ? [] : [sql`function = ${filter.function}`]),
      ...(filter.delegator === undefined ? [] : [sql`delegator = ${filter.delegator}`]),
      ...(filter.delegate === undefined ? [] : [sql`${filter.delegate} = ANY (delegate_codes)`]),
      ...(filter.body === undefined
        ? []
        : [sql`(delegator = ${filter.body} OR ${filter.body} = ANY (delegate_codes) OR ${filter.body} = ANY (population))`]),
      ...(filter.asAt === undefined ? [] : [sql`opened <= ${filter.asAt}::date AND (closed IS NULL OR closed > ${filter.asAt}::date)`]),
      ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
      ...(filter.afterSeq === undefined ? [] : [sql`seq > ${filter.afterSeq}`])
    ])} ORDER BY seq LIMIT ${filter.limit ?? 1000}`
    return yield* readRecorded(rows)
  })

  return { upsert, list, record, page }
})

/**
 * Stores and reads delegations.
 *
 * @category services
 * @since 0.1.0
 */
export class DelegationRepo extends Context.Service<DelegationRepo, {
  /** Upserts by (function, delegator, delegate, population, opened). */
  readonly upsert: (delegations: ReadonlyArray<Delegation>) => Effect.Effect<{ readonly written: number }, SqlError>
  /** Delegations of a function and/or involving a body (as delegator, delegate or population). */
  readonly list: (filter?: {
    readonly function?: string
    readonly body?: string
  }) => Effect.Effect<ReadonlyArray<Delegation>, SqlError | StoredValueError>
  /**
   * Records a kernel delegation in one transaction: refuses a taken id (`AlreadyExists`), hands every recorded
   * delegation to `admit` (whose failure rolls everything back), then stores it with an audit entry naming the
   * current `AuditLog.Actor`. Concurrent records are serialised, so `admit` always sees every earlier one.
   */
  readonly record: <E, R>(
    delegation: Kernel.Delegation,
    admit: (recorded: ReadonlyArray<Kernel.Delegation>) => Effect.Effect<void, E, R>
  ) => Effect.Effect<RecordedDelegation, E | AlreadyExists | SqlError | StoredValueError, R>
  /** Recorded delegations in the order they were recorded, filtered and paged by `seq` (see `PageFilter`). */
  readonly page: (filter?: PageFilter) => Effect.Effect<ReadonlyArray<RecordedDelegation>, SqlError | StoredValueError>
}>()("@hub/store/DelegationRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(DelegationRepo, make)
}
