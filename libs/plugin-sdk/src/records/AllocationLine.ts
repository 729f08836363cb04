/**
 * An allocation published by the centre (NHS England): how much a commissioner receives for a financial year,
 * by allocation type (programme, running costs/admin, primary care...).
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialYearName, joinKey, Text } from "./Fields.ts"

/**
 * One published allocation. A republished figure comes with a later `publishedOn`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AllocationLine = Schema.Struct({
  organisationCode: Codes.OdsCode,
  financialYear: FinancialYearName,
  allocationType: Text,
  amount: Amount,
  publishedOn: CalendarDate.CalendarDate
})

/**
 * @category models
 * @since 0.1.0
 */
export type AllocationLine = typeof AllocationLine.Type

/**
 * The natural key: organisation, year, allocation type.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: AllocationLine): string => joinKey([r.organisationCode, r.financialYear, r.allocationType])
