/**
 * An annual commissioning intention agreed by a commissioning group and pushed to London CBS (london-2006 §104):
 * what a commissioner means to buy from a provider, or decommission, in a coming year.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialYearName, joinKey, PositiveInt, Text } from "./Fields.ts"

/**
 * One intention. A corrected intention is a new `version` of the same `reference`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CommissioningIntention = Schema.Struct({
  reference: Text,
  version: PositiveInt,
  commissionerCode: Codes.OdsCode,
  providerCode: Schema.optionalKey(Codes.OdsCode),
  financialYear: FinancialYearName,
  service: Text,
  intention: Schema.Literals(["commission", "expand", "reduce", "decommission", "retender"]),
  summary: Text,
  indicativeValue: Schema.optionalKey(Amount),
  agreedOn: CalendarDate.CalendarDate
})

/**
 * @category models
 * @since 0.1.0
 */
export type CommissioningIntention = typeof CommissioningIntention.Type

/**
 * The natural key: commissioner, year, reference, version.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: CommissioningIntention): string =>
  joinKey([r.commissionerCode, r.financialYear, r.reference, r.version])
