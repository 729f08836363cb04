/**
 * The two kinds of statutory submission: their request schemas (shape errors are a synchronous 400) and the
 * rules NHS England checks when it processes them later (broken rules are reasons in a rejected
 * acknowledgement). The rules are pure functions of the submission and what the service knows.
 *
 * @since 0.1.0
 */
import { Pounds } from "@hub/simulator-kit"
import { Schema } from "effect"
import type { Allocations } from "./Allocations.ts"
import * as FinancialCalendar from "./FinancialCalendar.ts"
import { commissionersByCode, operationalForYear } from "./ReferenceData.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

const Money = Schema.String.check(Schema.makeFilter(Pounds.isPounds, { expected: "an amount in pounds such as 1234.56" }))
const IsoDate = Schema.String.check(Schema.makeFilter(FinancialCalendar.isIsoDate, { expected: "a date such as 2015-04-01" }))
const FinancialYear = Schema.String.check(
  Schema.makeFilter((s: string) => FinancialCalendar.parse(s) !== undefined, { expected: "a financial year such as 2015/16" })
)

/**
 * @category schemas
 * @since 0.1.0
 */
export const Category = Schema.Literals([
  "acute",
  "mental-health",
  "community",
  "continuing-care",
  "primary-care",
  "prescribing",
  "other-programme",
  "running-costs"
])

const Amounts = { plan: Money, actualYearToDate: Money, forecastOutturn: Money }

/**
 * The body of `POST /v1/financial-returns`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialReturn = Schema.Struct({
  commissionerCode: Schema.NonEmptyString,
  financialYear: FinancialYear,
  month: Schema.Literals(["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12"]),
  allocation: Money,
  lines: Schema.Array(Schema.Struct({ category: Category, ...Amounts })).check(Schema.isMinLength(1), Schema.isMaxLength(50)),
  totals: Schema.Struct(Amounts),
  version: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})

/**
 * @category models
 * @since 0.1.0
 */
export type FinancialReturn = typeof FinancialReturn.Type

/**
 * The co-commissioning levels, lowest first (southwark-2015 §15).
 *
 * @category constants
 * @since 0.1.0
 */
export const levels = ["greater-involvement", "joint-commissioning", "delegated-commissioning"] as const

/**
 * The body of `POST /v1/co-commissioning-declarations`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CoCommissioningDeclaration = Schema.Struct({
  commissionerCode: Schema.NonEmptyString,
  financialYear: FinancialYear,
  level: Schema.Literals(levels),
  effectiveFrom: IsoDate,
  approvedOn: Schema.optionalKey(IsoDate),
  version: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})

/**
 * @category models
 * @since 0.1.0
 */
export type CoCommissioningDeclaration = typeof CoCommissioningDeclaration.Type

/**
 * A field-level error (for 400s) or a broken rule (for acknowledgements).
 *
 * @category models
 * @since 0.1.0
 */
export interface Reason {
  readonly code: string
  readonly field: string
  readonly message: string
}

/**
 * Shape errors the schema cannot express: a category given twice.
 *
 * @category rules
 * @since 0.1.0
 */
export const duplicateCategories = (r: FinancialReturn): ReadonlyArray<{ readonly field: string; readonly message: string }> => {
  const seen = new Set<string>()
  const out: Array<{ field: string; message: string }> = []
  r.lines.forEach((line, i) => {
    if (seen.has(line.category)) out.push({ field: `lines[${i}].category`, message: `category "${line.category}" appears twice` })
    seen.add(line.category)
  })
  return out
}

// ---------------------------------------------------------------------------------------------------------
// rules
// ---------------------------------------------------------------------------------------------------------

const commissionerReasons = (code: string, fy: string): ReadonlyArray<Reason> => {
  const c = commissionersByCode.get(code)
  if (c === undefined) return [{ code: "UNKNOWN_COMMISSIONER", field: "commissionerCode", message: `NHS England knows no commissioner "${code}"` }]
  const year = FinancialCalendar.parse(fy) as number
  return operationalForYear(c, year)
    ? []
    : [{
      code: "COMMISSIONER_NOT_OPERATIONAL",
      field: "commissionerCode",
      message: `${code} (${c.name}, operational ${c.opened} to ${c.closed}) was not operational for the whole of ${fy}`
    }]
}

const pence = (text: string): number => Pounds.toPence(text) as number

/**
 * Why a financial return must be rejected (empty: accept), and its warnings.
 *
 * @category rules
 * @since 0.1.0
 */
export const checkFinancialReturn = (
  r: FinancialReturn,
  context: { readonly today: string; readonly allocations: Allocations }
): { readonly reasons: ReadonlyArray<Reason>; readonly warnings: ReadonlyArray<Reason> } => {
  const reasons: Array<Reason> = [...commissionerReasons(r.commissionerCode, r.financialYear)]
  const year = FinancialCalendar.parse(r.financialYear) as number
  const end = FinancialCalendar.monthEnd(year, Number(r.month.slice(1)))
  if (end > context.today) {
    reasons.push({ code: "PERIOD_IN_FUTURE", field: "month", message: `${r.month} ${r.financialYear} ends on ${end}, after today (${context.today})` })
  }
  for (const column of ["plan", "actualYearToDate", "forecastOutturn"] as const) {
    const sum = r.lines.reduce((acc, line) => acc + pence(line[column]), 0)
    if (sum !== pence(r.totals[column])) {
      reasons.push({
        code: "TOTALS_MISMATCH",
        field: `totals.${column}`,
        message: `totals.${column} is ${r.totals[column]} but the lines add up to ${Pounds.fromPence(sum)}`
      })
    }
  }
  if (pence(r.totals.plan) !== pence(r.allocation)) {
    reasons.push({ code: "PLAN_NOT_EQUAL_ALLOCATION", field: "totals.plan", message: `the plan (${r.totals.plan}) must equal the allocation (${r.allocation})` })
  }
  const published = context.allocations.totals.get(`${r.commissionerCode}|${r.financialYear}`)
  if (published === undefined || published.totalPence !== pence(r.allocation)) {
    reasons.push({
      code: "ALLOCATION_MISMATCH",
      field: "allocation",
      message: published === undefined
        ? `no allocation is published for ${r.commissionerCode} in ${r.financialYear}`
        : `allocation ${r.allocation} differs from the published allocations, ${Pounds.fromPence(published.totalPence)}`
    })
  }
  const warnings: Array<Reason> = []
  r.lines.forEach((line, i) => {
    if (line.category === "running-costs" && published !== undefined && pence(line.forecastOutturn) > published.runningCostsPence) {
      warnings.push({
        code: "RUNNING_COSTS_ABOVE_CAP",
        field: `lines[${i}].forecastOutturn`,
        message: `running costs forecast ${line.forecastOutturn} exceeds the running-costs allocation ${Pounds.fromPence(published.runningCostsPence)}`
      })
    }
  })
  return { reasons, warnings }
}

/**
 * Why a co-commissioning declaration must be rejected (empty: accept). `previousLevel` is the level of the
 * commissioner's latest accepted declaration for an earlier year, if any.
 *
 * @category rules
 * @since 0.1.0
 */
export const checkDeclaration = (
  d: CoCommissioningDeclaration,
  context: { readonly today: string; readonly previousLevel: (typeof levels)[number] | undefined }
): ReadonlyArray<Reason> => {
  const reasons: Array<Reason> = [...commissionerReasons(d.commissionerCode, d.financialYear)]
  const year = FinancialCalendar.parse(d.financialYear) as number
  if (year < 2015) {
    reasons.push({ code: "BEFORE_CO_COMMISSIONING", field: "financialYear", message: `co-commissioning began in 2015/16, not ${d.financialYear}` })
  }
  if (d.effectiveFrom !== `${year}-04-01`) {
    reasons.push({ code: "EFFECTIVE_DATE_NOT_1_APRIL", field: "effectiveFrom", message: `a level for ${d.financialYear} takes effect on ${year}-04-01, not ${d.effectiveFrom}` })
  }
  const todayYear = Number(context.today.slice(0, 4))
  if (`${year}-04-01` > `${todayYear + 1}-${context.today.slice(5)}`) {
    reasons.push({ code: "PERIOD_IN_FUTURE", field: "financialYear", message: `${d.financialYear} starts more than a year after today (${context.today})` })
  }
  const from = context.previousLevel ?? "greater-involvement"
  if (levels.indexOf(d.level) > levels.indexOf(from) + 1) {
    reasons.push({
      code: "LEVEL_JUMP",
      field: "level",
      message: `${d.commissionerCode} may move up one level a year: from ${from} to at most ${levels[levels.indexOf(from) + 1]}, not ${d.level}`
    })
  }
  return reasons
}
