/**
 * Delegations: who exercises which function for which population, on whose behalf, for which period. The
 * rules (no cycles, no overlaps, operational bodies) are the domain's; the store keeps what was recorded.
 *
 * @since 0.1.0
 */
import type { Period } from "@hub/domain"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as AuditLog from "./AuditLog.ts"
import * as BulkUpsert from "./BulkUpsert.ts"
import type { StoredValueError } from "./StoreError.ts"
import { column, decodeRows, type TableSpec } from "./TableSpec.ts"

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

  return { upsert, list }
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
}>()("@hub/store/DelegationRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(DelegationRepo, make)
}
