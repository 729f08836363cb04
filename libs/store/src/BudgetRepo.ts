/**
 * Budgets set for a body (by financial year and scope, with the administration cap where one applies) and the
 * allocations published by the centre, which the ingest stores as `allocation-line` records.
 *
 * @since 0.1.0
 */
import type { Money } from "@hub/domain"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as AuditLog from "./AuditLog.ts"
import * as BulkUpsert from "./BulkUpsert.ts"
import * as RecordKinds from "./RecordKinds.ts"
import type { StoredValueError } from "./StoreError.ts"
import { column, decodeRows, type TableSpec } from "./TableSpec.ts"

/**
 * A budget: `scope` is what it covers (`total`, a function such as `urgent-care`, `admin`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Budget {
  readonly bodyCode: string
  readonly financialYear: string
  readonly scope: string
  readonly amount: Money.Pence
  readonly adminCap?: Money.Pence
  readonly source?: string
}

const budgets: TableSpec<Budget> = {
  table: "budgets",
  key: ["body_code", "financial_year", "scope"],
  columns: [
    column("bodyCode", "body_code", "text"),
    column("financialYear", "financial_year", "text"),
    column("scope", "scope", "text"),
    column("amount", "amount_pence", "pence"),
    column("adminCap", "admin_cap_pence", "pence", { optional: true }),
    column("source", "source", "text", { optional: true })
  ]
}

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const upsert = Effect.fn("BudgetRepo.upsert")(function*(rows: ReadonlyArray<Budget>) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const result = yield* BulkUpsert.upsert(sql, budgets, rows, { touch: "updated_at" })
      yield* AuditLog.write(sql, {
        action: "budget.upsert",
        entityType: "budgets",
        entityKey: "*",
        after: { rows: rows.length, written: result.written }
      })
      return result
    }))
  })

  const list = Effect.fn("BudgetRepo.list")(function*(filter: {
    readonly bodyCode?: string
    readonly financialYear?: string
  } = {}) {
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM budgets WHERE ${sql.and([
      ...(filter.bodyCode === undefined ? [] : [sql`body_code = ${filter.bodyCode}`]),
      ...(filter.financialYear === undefined ? [] : [sql`financial_year = ${filter.financialYear}`])
    ])} ORDER BY body_code, financial_year, scope`
    return yield* Effect.fromResult(decodeRows(budgets, rows))
  })

  const allocations = Effect.fn("BudgetRepo.allocations")(function*(filter: {
    readonly organisationCode?: string
    readonly financialYear?: string
  } = {}) {
    const spec = RecordKinds.tables["allocation-line"]
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM allocations WHERE ${sql.and([
      ...(filter.organisationCode === undefined ? [] : [sql`organisation_code = ${filter.organisationCode}`]),
      ...(filter.financialYear === undefined ? [] : [sql`financial_year = ${filter.financialYear}`])
    ])} ORDER BY organisation_code, financial_year, allocation_type`
    return yield* Effect.fromResult(decodeRows(spec, rows))
  })

  return { upsert, list, allocations }
})

/**
 * Stores and reads budgets and allocations.
 *
 * @category services
 * @since 0.1.0
 */
export class BudgetRepo extends Context.Service<BudgetRepo, {
  /** Upserts by (body, financial year, scope). */
  readonly upsert: (budgets: ReadonlyArray<Budget>) => Effect.Effect<{ readonly written: number }, SqlError>
  readonly list: (filter?: {
    readonly bodyCode?: string
    readonly financialYear?: string
  }) => Effect.Effect<ReadonlyArray<Budget>, SqlError | StoredValueError>
  /** Allocations published by the centre (ingested `allocation-line` records). */
  readonly allocations: (filter?: {
    readonly organisationCode?: string
    readonly financialYear?: string
  }) => Effect.Effect<ReadonlyArray<RecordKinds.AllocationLine>, SqlError | StoredValueError>
}>()("@hub/store/BudgetRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(BudgetRepo, make)
}
