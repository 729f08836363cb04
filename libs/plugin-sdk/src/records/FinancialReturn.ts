/**
 * A commissioner's monthly financial position return to NHS England: per line, plan, actual to date and
 * forecast outturn. A corrected return is a new version that supersedes the earlier one, never an edit.
 *
 * @since 0.1.0
 */
import { Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialMonthNumber, FinancialYearName, joinKey, PositiveInt, Text } from "./Fields.ts"

/**
 * One line of the return (`code` is the return template's line code).
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialReturnLine = Schema.Struct({
  code: Text,
  description: Schema.optionalKey(Schema.String),
  plan: Amount,
  actualToDate: Amount,
  forecastOutturn: Amount
})

/**
 * The return.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialReturn = Schema.Struct({
  organisationCode: Codes.OdsCode,
  financialYear: FinancialYearName,
  month: FinancialMonthNumber,
  version: PositiveInt,
  lines: Schema.NonEmptyArray(FinancialReturnLine)
})

/**
 * @category models
 * @since 0.1.0
 */
export type FinancialReturn = typeof FinancialReturn.Type

/**
 * The natural key: organisation, year, month, version.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: FinancialReturn): string =>
  joinKey([r.organisationCode, r.financialYear, r.month, r.version])
