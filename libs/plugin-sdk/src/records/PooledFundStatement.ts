/**
 * Pooled and aligned budgets between NHS bodies and councils (Section 75 agreements, Better Care Fund): the
 * host's monthly statement of each partner's contribution and the pool's spend, and the contribution the NHS
 * partner pushes to the host (DOMAIN.md §4).
 *
 * @since 0.1.0
 */
import { Codes } from "@hub/domain"
import { Schema } from "effect"
import { Amount, FinancialMonthNumber, FinancialYearName, joinKey, Text } from "./Fields.ts"

/**
 * One line of a pooled-fund statement: for a fund, a month of a year and a partner, what the partner was to
 * put in (`planned`), what it did put in (`contributed`) and what the pool spent on its behalf (`spent`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PooledFundStatementLine = Schema.Struct({
  fundId: Text,
  fundName: Text,
  host: Text,
  financialYear: FinancialYearName,
  month: FinancialMonthNumber,
  partner: Text,
  partnerKind: Schema.Literals(["council", "nhs"]),
  planned: Amount,
  contributed: Amount,
  spent: Amount
})

/**
 * @category models
 * @since 0.1.0
 */
export type PooledFundStatementLine = typeof PooledFundStatementLine.Type

/**
 * The natural key of a statement line: fund, year, month, partner.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: PooledFundStatementLine): string =>
  joinKey([r.fundId, r.financialYear, r.month, r.partner])

/**
 * A contribution the NHS partner makes (or corrects: a higher `version` supersedes) to a pooled fund for a month.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PooledContribution = Schema.Struct({
  fundId: Text,
  financialYear: FinancialYearName,
  month: FinancialMonthNumber,
  partnerCode: Codes.OdsCode,
  amount: Amount,
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  reference: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type PooledContribution = typeof PooledContribution.Type

/**
 * The natural key of a contribution: fund, year, month, partner, version.
 *
 * @category keys
 * @since 0.1.0
 */
export const contributionKey = (r: PooledContribution): string =>
  joinKey([r.fundId, r.financialYear, r.month, r.partnerCode, r.version])
