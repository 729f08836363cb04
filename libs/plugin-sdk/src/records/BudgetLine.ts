/**
 * A line of a budget book: what an organisation plans to spend on a service in a financial year, by expense
 * type (revenue or capital), as the council publishes it or as the NHS partner sets it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Amount, FinancialYearName, joinKey, Text } from "./Fields.ts"

/**
 * One budget line. `organisation` is the hub's id of the body (profile id or ODS/GSS code); `serviceCode` and
 * `expenseCode` are the body's own codes (its cost centre and subjective), `budget` the original budget and
 * `revisedBudget` the latest one when published.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BudgetLine = Schema.Struct({
  organisation: Text,
  financialYear: FinancialYearName,
  serviceCode: Text,
  service: Text,
  expenseCode: Text,
  expenseType: Text,
  capitalOrRevenue: Schema.Literals(["capital", "revenue"]),
  budget: Amount,
  revisedBudget: Schema.optionalKey(Amount)
})

/**
 * @category models
 * @since 0.1.0
 */
export type BudgetLine = typeof BudgetLine.Type

/**
 * The natural key: organisation, year, service code, expense code.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: BudgetLine): string =>
  joinKey([r.organisation, r.financialYear, r.serviceCode, r.expenseCode])
