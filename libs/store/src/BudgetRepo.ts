/**
 * Budgets set for a body (by financial year and scope, with the administration cap where one applies), the
 * allocations published by the centre, which the ingest stores as `allocation-line` records, and the budget
 * positions the hub recomputes after each ingest (with the summed plan and actuals they are computed from).
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

/**
 * What a position's plan and actuals come from: a council's budget book against its spend lines, a
 * commissioner's published allocations against its contract activity costs, or a pooled fund's planned
 * contributions against its spend.
 *
 * @category models
 * @since 0.1.0
 */
export type PositionBasis = "council-budget" | "commissioner-allocation" | "pooled-fund"

/**
 * Every basis, in a stable order.
 *
 * @category models
 * @since 0.1.0
 */
export const positionBases: ReadonlyArray<PositionBasis> = ["council-budget", "commissioner-allocation", "pooled-fund"]

/**
 * Whose position, for which year, on which basis: `bodyCode` is the council's id, the commissioner's ODS code or
 * the pooled fund's id as the records name them.
 *
 * @category models
 * @since 0.1.0
 */
export interface PositionKey {
  readonly bodyCode: string
  readonly financialYear: string
  readonly basis: PositionBasis
}

/**
 * A stored position at the end of `month` (the kernel's `Position` flattened; see libs/domain Position.ts for
 * the sign convention) with its flags and how many source rows went into it.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredPosition extends PositionKey {
  readonly month: number
  readonly annualPlan: Money.Pence
  readonly planToDate: Money.Pence
  readonly actualToDate: Money.Pence
  readonly variance: Money.Pence
  readonly forecastOutturn: Money.Pence
  readonly forecastMethod: "run-rate" | "supplied"
  readonly forecastVariance: Money.Pence
  readonly overspend: boolean
  readonly adminPlanned: Money.Pence
  readonly adminActualToDate: Money.Pence
  readonly adminForecastOutturn: Money.Pence
  readonly adminCap?: Money.Pence
  readonly adminHeadroom?: Money.Pence
  readonly adminBreach: boolean
  readonly flags: ReadonlyArray<{ readonly rule: string; readonly message: string }>
  readonly sourceRows: number
}

/**
 * A summed amount of a position's sources: `part` names what it is (an allocation type, `budget`, `planned`,
 * `spend`, `activity`), `month` the financial month it falls in (absent for annual figures), `rows` how many
 * source rows were summed.
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceSum {
  readonly part: string
  readonly month?: number
  readonly amount: Money.Pence
  readonly rows: number
}

/**
 * A position's sources summed in the database: the plan and the actuals by month.
 *
 * @category models
 * @since 0.1.0
 */
export interface PositionSources {
  readonly plan: ReadonlyArray<SourceSum>
  readonly actuals: ReadonlyArray<SourceSum>
}

const positions: TableSpec<StoredPosition> = {
  table: "budget_positions",
  key: ["body_code", "financial_year", "basis", "month"],
  columns: [
    column("bodyCode", "body_code", "text"),
    column("financialYear", "financial_year", "text"),
    column("basis", "basis", "text"),
    column("month", "month", "integer"),
    column("annualPlan", "annual_plan_pence", "pence"),
    column("planToDate", "plan_to_date_pence", "pence"),
    column("actualToDate", "actual_to_date_pence", "pence"),
    column("variance", "variance_pence", "pence"),
    column("forecastOutturn", "forecast_outturn_pence", "pence"),
    column("forecastMethod", "forecast_method", "text"),
    column("forecastVariance", "forecast_variance_pence", "pence"),
    column("overspend", "overspend", "boolean"),
    column("adminPlanned", "admin_planned_pence", "pence"),
    column("adminActualToDate", "admin_actual_to_date_pence", "pence"),
    column("adminForecastOutturn", "admin_forecast_outturn_pence", "pence"),
    column("adminCap", "admin_cap_pence", "pence", { optional: true }),
    column("adminHeadroom", "admin_headroom_pence", "pence", { optional: true }),
    column("adminBreach", "admin_breach", "boolean"),
    column("flags", "flags", "jsonb"),
    column("sourceRows", "source_rows", "integer")
  ]
}

const sums: TableSpec<SourceSum> = {
  table: "(sums)",
  key: ["part", "month"],
  columns: [
    column("part", "part", "text"),
    column("month", "month", "integer", { optional: true }),
    column("amount", "amount", "pence"),
    column("rows", "rows", "integer")
  ]
}

const keys: TableSpec<PositionKey> = {
  table: "(position keys)",
  key: ["body_code", "financial_year", "basis"],
  columns: [
    column("bodyCode", "body_code", "text"),
    column("financialYear", "financial_year", "text"),
    column("basis", "basis", "text")
  ]
}

/** The first day of a financial year named `2018/19`, and of the next one. */
const yearBounds = (financialYear: string): { readonly from: string; readonly to: string } => {
  const start = Number(financialYear.slice(0, 4))
  return { from: `${start}-04-01`, to: `${start + 1}-04-01` }
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

  const planOf = (key: PositionKey) => {
    const { bodyCode, financialYear } = key
    switch (key.basis) {
      case "council-budget":
        // Sums are cast back to bigint: sum(bigint) is numeric, which the driver would return as text.
        return sql<Record<string, unknown>>`SELECT 'budget' AS part, NULL::integer AS month,
          sum(coalesce(revised_budget_pence, budget_pence))::bigint AS amount, count(*)::integer AS rows
          FROM budget_lines WHERE organisation = ${bodyCode} AND financial_year = ${financialYear} HAVING count(*) > 0`
      case "commissioner-allocation":
        return sql<Record<string, unknown>>`SELECT allocation_type AS part, NULL::integer AS month,
          sum(amount_pence)::bigint AS amount, count(*)::integer AS rows
          FROM allocations WHERE organisation_code = ${bodyCode} AND financial_year = ${financialYear}
          GROUP BY allocation_type ORDER BY allocation_type`
      case "pooled-fund":
        return sql<Record<string, unknown>>`SELECT 'planned' AS part, month,
          sum(planned_pence)::bigint AS amount, count(*)::integer AS rows
          FROM pooled_fund_statements WHERE fund_id = ${bodyCode} AND financial_year = ${financialYear}
          GROUP BY month ORDER BY month`
    }
  }

  const actualsOf = (key: PositionKey) => {
    const { bodyCode, financialYear } = key
    switch (key.basis) {
      case "council-budget": {
        const { from, to } = yearBounds(financialYear)
        // The financial month of a payment date: April is M1, March M12.
        return sql<Record<string, unknown>>`SELECT 'spend' AS part,
          ((extract(month FROM payment_date)::integer + 8) % 12) + 1 AS month,
          sum(amount_pence)::bigint AS amount, count(*)::integer AS rows
          FROM council_spend_lines
          WHERE council = ${bodyCode} AND payment_date >= ${from}::date AND payment_date < ${to}::date
          GROUP BY 2 ORDER BY 2`
      }
      case "commissioner-allocation":
        return sql<Record<string, unknown>>`SELECT 'activity' AS part, month,
          sum(actual_cost_pence)::bigint AS amount, count(*)::integer AS rows
          FROM contract_activity_lines WHERE commissioner_code = ${bodyCode} AND financial_year = ${financialYear}
          GROUP BY month ORDER BY month`
      case "pooled-fund":
        return sql<Record<string, unknown>>`SELECT 'spend' AS part, month,
          sum(spent_pence)::bigint AS amount, count(*)::integer AS rows
          FROM pooled_fund_statements WHERE fund_id = ${bodyCode} AND financial_year = ${financialYear}
          GROUP BY month ORDER BY month`
    }
  }

  const positionSources = Effect.fn("BudgetRepo.positionSources")(function*(key: PositionKey) {
    const plan = yield* Effect.fromResult(decodeRows(sums, yield* planOf(key)))
    // Without a plan there is no position: the actuals are not even summed (spend ingested before its budget
    // book costs one indexed lookup per page).
    const actuals = plan.length === 0 ? [] : yield* Effect.fromResult(decodeRows(sums, yield* actualsOf(key)))
    const sources: PositionSources = { plan, actuals }
    return sources
  })

  const positionKeys = Effect.fn("BudgetRepo.positionKeys")(function*() {
    const rows = yield* sql<Record<string, unknown>>`
      SELECT DISTINCT organisation AS body_code, financial_year, 'council-budget' AS basis FROM budget_lines
      UNION SELECT DISTINCT organisation_code, financial_year, 'commissioner-allocation' FROM allocations
      UNION SELECT DISTINCT fund_id, financial_year, 'pooled-fund' FROM pooled_fund_statements
      ORDER BY 1, 2, 3`
    return yield* Effect.fromResult(decodeRows(keys, rows))
  })

  const replacePositions = Effect.fn("BudgetRepo.replacePositions")(function*(
    computed: ReadonlyArray<{ readonly key: PositionKey; readonly positions: ReadonlyArray<StoredPosition> }>
  ) {
    if (computed.length === 0) return { written: 0, removed: 0 }
    return yield* sql.withTransaction(Effect.gen(function*() {
      let removed = 0
      for (const { key, positions: rows } of computed) {
        const months = rows.map((p) => p.month)
        const gone = yield* sql<{ readonly n: number }>`DELETE FROM budget_positions WHERE ${sql.and([
          sql`body_code = ${key.bodyCode}`,
          sql`financial_year = ${key.financialYear}`,
          sql`basis = ${key.basis}`,
          ...(months.length === 0 ? [] : [sql`NOT ${sql.in("month", months)}`])
        ])} RETURNING 1 AS n`
        removed += gone.length
      }
      const result = yield* BulkUpsert.upsert(sql, positions, computed.flatMap((c) => c.positions), { touch: "updated_at" })
      // A recompute that changed nothing leaves no trace: replaying an ingest writes nothing, audit log included.
      if (result.written + removed > 0) {
        yield* AuditLog.write(sql, {
          action: "budget.replace-positions",
          entityType: "budget_positions",
          entityKey: computed.length === 1 ? `${computed[0]!.key.bodyCode}/${computed[0]!.key.financialYear}/${computed[0]!.key.basis}` : "*",
          after: { keys: computed.length, rows: result.rows, written: result.written, removed }
        })
      }
      return { written: result.written, removed }
    }))
  })

  const positionList = Effect.fn("BudgetRepo.positions")(function*(filter: PositionFilter = {}) {
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM budget_positions WHERE ${sql.and([
      ...(filter.bodyCode === undefined ? [] : [sql`body_code = ${filter.bodyCode}`]),
      ...(filter.financialYear === undefined ? [] : [sql`financial_year = ${filter.financialYear}`]),
      ...(filter.basis === undefined ? [] : [sql`basis = ${filter.basis}`]),
      ...(filter.month === undefined ? [] : [sql`month = ${filter.month}`])
    ])} ORDER BY body_code, financial_year, basis, month`
    return yield* Effect.fromResult(decodeRows(positions, rows))
  })

  return { upsert, list, allocations, positionSources, positionKeys, replacePositions, positions: positionList }
})

/**
 * Which stored positions to read.
 *
 * @category models
 * @since 0.1.0
 */
export interface PositionFilter {
  readonly bodyCode?: string
  readonly financialYear?: string
  readonly basis?: PositionBasis
  readonly month?: number
}

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
  /** A position's plan and monthly actuals, summed in the database from the ingested records. */
  readonly positionSources: (key: PositionKey) => Effect.Effect<PositionSources, SqlError | StoredValueError>
  /** Every (body, year, basis) the ingested budget lines, allocations and pooled-fund statements plan for. */
  readonly positionKeys: () => Effect.Effect<ReadonlyArray<PositionKey>, SqlError | StoredValueError>
  /**
   * Replaces the positions of each key with the ones given, in one transaction: months no longer computed are
   * removed, the rest upserted by (body, year, basis, month); unchanged rows are left alone (`written` 0).
   */
  readonly replacePositions: (
    computed: ReadonlyArray<{ readonly key: PositionKey; readonly positions: ReadonlyArray<StoredPosition> }>
  ) => Effect.Effect<{ readonly written: number; readonly removed: number }, SqlError>
  /** Stored positions, by body, year, basis and month. */
  readonly positions: (filter?: PositionFilter) => Effect.Effect<ReadonlyArray<StoredPosition>, SqlError | StoredValueError>
}>()("@hub/store/BudgetRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(BudgetRepo, make)
}
