/**
 * A contract between one commissioner and one provider for one financial year (London CBS `GET /v1/contracts`):
 * its type, term, annual value and status. The activity lines of `ContractActivityLine` refer to it by id.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialYearName, joinKey, Text } from "./Fields.ts"

/**
 * The kinds of service a contract buys.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ContractType = Schema.Literals(["acute", "mental-health", "community", "ambulance", "specialist"])

/**
 * @category models
 * @since 0.1.0
 */
export type ContractType = typeof ContractType.Type

/**
 * Whether a contract is in force (`active`) or has run its term (`expired`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ContractStatus = Schema.Literals(["active", "expired"])

/**
 * @category models
 * @since 0.1.0
 */
export type ContractStatus = typeof ContractStatus.Type

/**
 * One contract. `contractId` is the system's own id (one per commissioner, provider and year); `endDate` is the
 * last day of the term (inclusive; absent for an open-ended contract) and never before `startDate`;
 * `annualValue` the planned value for the year, exact pence once decoded.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Contract = Schema.Struct({
  contractId: Text,
  commissionerCode: Codes.OdsCode,
  providerCode: Codes.OdsCode,
  providerName: Schema.optionalKey(Text),
  financialYear: FinancialYearName,
  contractType: ContractType,
  startDate: CalendarDate.CalendarDate,
  endDate: Schema.optionalKey(CalendarDate.CalendarDate),
  annualValue: Amount,
  status: ContractStatus
}).pipe(
  Schema.check(
    Schema.makeFilter((c: { readonly startDate: string; readonly endDate?: string }) =>
      c.endDate === undefined || c.endDate >= c.startDate
        ? undefined
        : { path: ["endDate"], issue: `expected an end date on or after the start date ${c.startDate}, got ${c.endDate}` })
  )
)

/**
 * @category models
 * @since 0.1.0
 */
export type Contract = typeof Contract.Type

/**
 * The natural key: the contract id.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: Contract): string => joinKey([r.contractId])
