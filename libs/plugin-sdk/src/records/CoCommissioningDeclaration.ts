/**
 * A CCG's declaration of the primary-care co-commissioning level it takes for a year (greater involvement, joint
 * commissioning or delegated commissioning), submitted to NHS England.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes } from "@hub/domain"
import { Schema } from "effect"
import { FinancialYearName, joinKey, PositiveInt } from "./Fields.ts"

/**
 * One declaration; a later `version` supersedes an earlier one for the same CCG and year.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CoCommissioningDeclaration = Schema.Struct({
  ccgCode: Codes.OdsCode,
  financialYear: FinancialYearName,
  level: Schema.Literals(["greater-involvement", "joint", "delegated"]),
  declaredOn: CalendarDate.CalendarDate,
  version: PositiveInt
})

/**
 * @category models
 * @since 0.1.0
 */
export type CoCommissioningDeclaration = typeof CoCommissioningDeclaration.Type

/**
 * The natural key: CCG, year, version.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: CoCommissioningDeclaration): string => joinKey([r.ccgCode, r.financialYear, r.version])
