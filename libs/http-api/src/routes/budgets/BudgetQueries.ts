/**
 * Budgets set for bodies (by financial year and scope, with the administration cap where one applies), the
 * allocations the centre published, and the budget positions the hub recomputes after each ingest, as
 * libs/store's `BudgetRepo` holds them. Amounts are whole pence.
 *
 * @since 0.1.0
 */
import { Codes, FinancialYear } from "@hub/domain"
import { BudgetRepo, type StoreError } from "@hub/store"
import { Effect, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"

/**
 * The query of `GET /v1/budgets`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BudgetQuery = Schema.Struct({
  holder: Schema.optionalKey(Codes.BodyCode.annotate({ description: "Only budgets held by this body (hub code, e.g. 08Q)." })),
  year: Schema.optionalKey(FinancialYear.FinancialYear.annotate({ description: "Only this financial year (e.g. 2015/16)." }))
})

/**
 * The query of `GET /v1/budgets/allocations`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AllocationQuery = Schema.Struct({
  organisation: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[A-Z0-9]{2,12}$/u, { expected: "an organisation code such as 08Q" }))
      .annotate({ description: "Only allocations to this organisation (its ODS code)." })
  ),
  year: Schema.optionalKey(FinancialYear.FinancialYear.annotate({ description: "Only this financial year (e.g. 2015/16)." }))
})

const Pence = (description: string) => Schema.Int.annotate({ description })

/**
 * A budget.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Budget = Schema.Struct({
  holder: Schema.String.annotate({ description: "The body the budget is set for" }),
  financialYear: Schema.String,
  scope: Schema.String.annotate({ description: "What it covers: total, a function (urgent-care), admin" }),
  amountPence: Pence("The budget, in pence"),
  adminCapPence: Schema.optionalKey(Pence("The administration cap, in pence, where one applies")),
  source: Schema.optionalKey(Schema.String.annotate({ description: "Where the figure comes from (a paper)" }))
})

/**
 * @category models
 * @since 0.1.0
 */
export type Budget = typeof Budget.Type

/**
 * An allocation published by the centre.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Allocation = Schema.Struct({
  organisation: Schema.String,
  financialYear: Schema.String,
  allocationType: Schema.String,
  amountPence: Pence("The allocation, in pence"),
  publishedOn: Schema.String.annotate({ description: "When the centre published it (YYYY-MM-DD)" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type Allocation = typeof Allocation.Type

/**
 * The budgets answer.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Budgets = Schema.Struct({ items: Schema.Array(Budget) })

/**
 * The allocations answer.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Allocations = Schema.Struct({ items: Schema.Array(Allocation) })

/**
 * Budgets by holder and year, sorted by holder, year and scope.
 *
 * @category queries
 * @since 0.1.0
 */
export const budgets: (
  query: typeof BudgetQuery.Type
) => Effect.Effect<typeof Budgets.Type, SqlError | StoreError.StoredValueError, BudgetRepo.BudgetRepo> = Effect.fnUntraced(function* (query: typeof BudgetQuery.Type) {
  const repo = yield* BudgetRepo.BudgetRepo
  const rows = yield* repo.list({
    ...(query.holder === undefined ? {} : { bodyCode: query.holder }),
    ...(query.year === undefined ? {} : { financialYear: query.year })
  })
  return {
    items: rows.map((b): Budget => ({
      holder: b.bodyCode,
      financialYear: b.financialYear,
      scope: b.scope,
      amountPence: b.amount,
      ...(b.adminCap === undefined ? {} : { adminCapPence: b.adminCap }),
      ...(b.source === undefined ? {} : { source: b.source })
    }))
  }
})

/**
 * Allocations by organisation and year, sorted by organisation, year and type.
 *
 * @category queries
 * @since 0.1.0
 */
export const allocations: (
  query: typeof AllocationQuery.Type
) => Effect.Effect<typeof Allocations.Type, SqlError | StoreError.StoredValueError, BudgetRepo.BudgetRepo> = Effect.fnUntraced(function* (query: typeof AllocationQuery.Type) {
  const repo = yield* BudgetRepo.BudgetRepo
  const rows = yield* repo.allocations({
    ...(query.organisation === undefined ? {} : { organisationCode: query.organisation }),
    ...(query.year === undefined ? {} : { financialYear: query.year })
  })
  return {
    items: rows.map((a): Allocation => ({
      organisation: a.organisationCode,
      financialYear: a.financialYear,
      allocationType: a.allocationType,
      amountPence: a.amount,
      publishedOn: a.publishedOn
    }))
  }
})

/**
 * The query of `GET /v1/budgets/positions`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PositionQuery = Schema.Struct({
  body: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/u, { expected: "a body code, council id or fund id such as 08Q, manchester or MAN-BCF" }))
      .annotate({ description: "Only positions of this body: a commissioner's code (08Q), a council's id (manchester) or a pooled fund's id (MAN-BCF)." })
  ),
  year: Schema.optionalKey(FinancialYear.FinancialYear.annotate({ description: "Only this financial year (e.g. 2018/19)." })),
  basis: Schema.optionalKey(
    Schema.Literals(["council-budget", "commissioner-allocation", "pooled-fund"])
      .annotate({ description: "Only positions on this basis: a council's budget book against its spend, a commissioner's allocations against its contract activity, a pooled fund's plan against its spend." })
  )
})

/**
 * A budget position at the end of a month (M1 = April). `variance = planToDate - actualToDate` and
 * `forecastVariance = annualPlan - forecastOutturn`: positive is an underspend.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Position = Schema.Struct({
  body: Schema.String,
  financialYear: Schema.String,
  basis: Schema.String,
  month: Schema.Int.annotate({ description: "The financial month the position is at the end of (1 = April)" }),
  annualPlanPence: Pence("The year's plan, in pence"),
  planToDatePence: Pence("The plan to the end of the month, in pence"),
  actualToDatePence: Pence("The actuals to the end of the month, in pence"),
  variancePence: Pence("Plan to date minus actual to date, in pence"),
  forecastOutturnPence: Pence("The forecast for the year, in pence"),
  forecastMethod: Schema.String.annotate({ description: "run-rate or supplied" }),
  forecastVariancePence: Pence("The year's plan minus the forecast, in pence"),
  overspend: Schema.Boolean,
  administrationBreach: Schema.Boolean,
  flags: Schema.Array(Schema.Struct({ rule: Schema.String, message: Schema.String })),
  sourceRows: Schema.Int.annotate({ description: "How many ingested rows the position is computed from" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type Position = typeof Position.Type

/**
 * The positions answer.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Positions = Schema.Struct({ items: Schema.Array(Position) })

/**
 * Positions by body, year and basis, sorted by body, year, basis and month.
 *
 * @category queries
 * @since 0.1.0
 */
export const positions: (
  query: typeof PositionQuery.Type
) => Effect.Effect<typeof Positions.Type, SqlError | StoreError.StoredValueError, BudgetRepo.BudgetRepo> = Effect.fnUntraced(function* (query: typeof PositionQuery.Type) {
  const repo = yield* BudgetRepo.BudgetRepo
  const rows = yield* repo.positions({
    ...(query.body === undefined ? {} : { bodyCode: query.body }),
    ...(query.year === undefined ? {} : { financialYear: query.year }),
    ...(query.basis === undefined ? {} : { basis: query.basis })
  })
  return {
    items: rows.map((p): Position => ({
      body: p.bodyCode,
      financialYear: p.financialYear,
      basis: p.basis,
      month: p.month,
      annualPlanPence: p.annualPlan,
      planToDatePence: p.planToDate,
      actualToDatePence: p.actualToDate,
      variancePence: p.variance,
      forecastOutturnPence: p.forecastOutturn,
      forecastMethod: p.forecastMethod,
      forecastVariancePence: p.forecastVariance,
      overspend: p.overspend,
      administrationBreach: p.adminBreach,
      flags: p.flags,
      sourceRows: p.sourceRows
    }))
  }
})
