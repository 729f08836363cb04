/**
 * A monthly contract-activity monitoring line from London CBS: for a contract between a commissioner and a
 * provider, a month, a point of delivery and a specialty/HRG, the planned and actual activity and cost.
 *
 * @since 0.1.0
 */
import { Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialMonthNumber, FinancialYearName, joinKey, Text } from "./Fields.ts"

/**
 * One activity line. Activity counts are whole numbers (spells, attendances); costs are exact money.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ContractActivityLine = Schema.Struct({
  contractId: Text,
  providerCode: Codes.OdsCode,
  commissionerCode: Codes.OdsCode,
  financialYear: FinancialYearName,
  month: FinancialMonthNumber,
  pointOfDelivery: Text,
  specialty: Text,
  hrg: Schema.optionalKey(Schema.String),
  plannedActivity: Schema.Int,
  actualActivity: Schema.Int,
  plannedCost: Amount,
  actualCost: Amount
})

/**
 * @category models
 * @since 0.1.0
 */
export type ContractActivityLine = typeof ContractActivityLine.Type

/**
 * The natural key: contract, year, month, point of delivery, specialty, HRG.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: ContractActivityLine): string =>
  joinKey([r.contractId, r.financialYear, r.month, r.pointOfDelivery, r.specialty, r.hrg ?? ""])
