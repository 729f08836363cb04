/**
 * A budget position (DOMAIN.md §4): the plan against actual spend posted by month, the year-to-date variance, the
 * forecast outturn, the administration-cap headroom, and flags for an overspend (consortia will not be bailed
 * out, southampton-2011 §8) and an administration breach. A delegated function's position is managed by the
 * delegate and still reported by the accountable body; the two views reconcile.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Budget from "./Budget.ts"
import type * as Codes from "./Codes.ts"
import type * as DelegationResolution from "./DelegationResolution.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * Spend posted to a month of the budget's year, split like the budget. Several postings to one month add up.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MonthlyActual = Schema.Struct({
  month: FinancialYear.Month,
  programme: Money.Pence,
  administration: Money.Pence
})

/**
 * @category models
 * @since 0.1.0
 */
export type MonthlyActual = typeof MonthlyActual.Type

/**
 * What a position is computed from: the budget (the annual plan), optionally a monthly plan profile (twelve
 * amounts summing to the budget's total; straight-line otherwise), the actuals, and optionally a forecast
 * outturn supplied by the finance team (otherwise the run rate).
 *
 * @category models
 * @since 0.1.0
 */
export interface PositionInput {
  readonly budget: Budget.Budget
  readonly profile?: ReadonlyArray<Money.Pence>
  readonly actuals: ReadonlyArray<MonthlyActual>
  readonly forecastOutturn?: Money.Pence
}

/**
 * The administration part of a position. `headroom = cap - forecastOutturn`; `breach` when the administration
 * spent to date or forecast for the year exceeds the cap.
 *
 * @category models
 * @since 0.1.0
 */
export interface AdministrationPosition {
  readonly planned: Money.Pence
  readonly actualToDate: Money.Pence
  readonly forecastOutturn: Money.Pence
  readonly cap?: Money.Pence
  readonly headroom?: Money.Pence
  readonly breach: boolean
}

/**
 * A position at the end of month `month`. Sign convention: `variance = planToDate - actualToDate` and
 * `forecastVariance = annualPlan - forecastOutturn`, so a positive variance is an underspend and a negative one an
 * overspend. `overspend` is set when the forecast outturn exceeds the annual plan.
 *
 * @category models
 * @since 0.1.0
 */
export interface Position {
  readonly holder: Codes.BodyCode
  readonly year: FinancialYear.FinancialYear
  readonly function?: Budget.Budget["function"]
  readonly month: FinancialYear.Month
  readonly annualPlan: Money.Pence
  readonly planToDate: Money.Pence
  readonly actualToDate: Money.Pence
  readonly variance: Money.Pence
  readonly forecastOutturn: Money.Pence
  readonly forecastMethod: "run-rate" | "supplied"
  readonly forecastVariance: Money.Pence
  readonly overspend: boolean
  readonly administration: AdministrationPosition
}

// ---------------------------------------------------------------------------------------------------------
// computation
// ---------------------------------------------------------------------------------------------------------

/**
 * The plan for each month M1..M12: the profile when given, else the total split evenly (`Money.splitEvenly`:
 * earlier months take the odd pennies). Throws when a profile does not have twelve months or does not add up to
 * the budget's total (a bug in the caller: profiles are validated on import).
 *
 * @category computation
 * @since 0.1.0
 */
export const monthlyPlan = (budget: Budget.Budget, profile?: ReadonlyArray<Money.Pence>): ReadonlyArray<Money.Pence> => {
  const annual = Budget.total(budget)
  if (profile === undefined) return Money.splitEvenly(annual, 12)
  if (profile.length !== 12 || Money.sum(profile) !== annual) {
    throw new RangeError(`the plan profile of ${budget.holder} ${budget.year} must have 12 months adding up to ${Money.format(annual)}`)
  }
  return profile
}

const runRate = (toDate: Money.Pence, month: FinancialYear.Month): Money.Pence =>
  Money.fromRational(BigInt(toDate) * 12n, BigInt(month))

/**
 * The position at the end of `month`. Actuals posted to later months are ignored. The run-rate forecast is
 * `actualToDate * 12 / month`, rounded half away from zero to the penny once; a supplied forecast is used as
 * given. The administration forecast is always its run rate.
 *
 * @category computation
 * @since 0.1.0
 */
export const at = (input: PositionInput, month: FinancialYear.Month): Position => {
  const { budget } = input
  const plan = monthlyPlan(budget, input.profile)
  const planToDate = Money.sum(plan.slice(0, month))
  const toDate = input.actuals.filter((a) => a.month <= month)
  const programmeToDate = Money.sum(toDate.map((a) => a.programme))
  const administrationToDate = Money.sum(toDate.map((a) => a.administration))
  const actualToDate = Money.add(programmeToDate, administrationToDate)
  const annualPlan = Budget.total(budget)
  const forecastOutturn = input.forecastOutturn ?? runRate(actualToDate, month)
  const administrationForecast = runRate(administrationToDate, month)
  const cap = budget.administrationCap
  return {
    holder: budget.holder,
    year: budget.year,
    ...(budget.function === undefined ? {} : { function: budget.function }),
    month,
    annualPlan,
    planToDate,
    actualToDate,
    variance: Money.subtract(planToDate, actualToDate),
    forecastOutturn,
    forecastMethod: input.forecastOutturn === undefined ? "run-rate" : "supplied",
    forecastVariance: Money.subtract(annualPlan, forecastOutturn),
    overspend: forecastOutturn > annualPlan,
    administration: {
      planned: budget.administration,
      actualToDate: administrationToDate,
      forecastOutturn: administrationForecast,
      ...(cap === undefined ? {} : { cap, headroom: Money.subtract(cap, administrationForecast) }),
      breach: cap !== undefined && (administrationToDate > cap || administrationForecast > cap)
    }
  }
}

/**
 * The position's flags as violations a person can read: `position/overspend` and
 * `position/administration-breach` (both southampton-2011 §8).
 *
 * @category computation
 * @since 0.1.0
 */
export const flags = (position: Position): ReadonlyArray<Violation.Violation> => {
  const out: Array<Violation.Violation> = []
  const when = `${position.year} ${FinancialYear.monthLabel(position.month)}`
  const dates = [FinancialYear.monthPeriod(position.year, position.month).opened]
  if (position.overspend) {
    out.push(
      Violation.make(
        "position/overspend",
        `${position.holder} forecasts ${Money.format(position.forecastOutturn)} against a plan of ${Money.format(position.annualPlan)} at ${when}: an overspend of ${Money.formatFinance(position.forecastVariance)}, which will not be bailed out`,
        { bodies: [position.holder], dates, source: "southampton-2011 §8" }
      )
    )
  }
  if (position.administration.breach) {
    out.push(
      Violation.make(
        "position/administration-breach",
        `${position.holder} administration forecast ${Money.format(position.administration.forecastOutturn)} (spent ${Money.format(position.administration.actualToDate)}) exceeds its cap of ${Money.format(position.administration.cap ?? Money.zero)} at ${when}`,
        { bodies: [position.holder], dates, source: "southampton-2011 §8" }
      )
    )
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// delegated reporting
// ---------------------------------------------------------------------------------------------------------

/**
 * A position with who manages it (the bodies exercising the function) and who reports it (the accountable
 * body, the budget's holder).
 *
 * @category models
 * @since 0.1.0
 */
export interface AttributedPosition {
  readonly position: Position
  readonly managedBy: ReadonlyArray<Codes.BodyCode>
  readonly accountable: Codes.BodyCode
}

/**
 * Attributes a position to the bodies of a resolution of its function. The budget must be held by the
 * accountable body (`position/holder-not-accountable` otherwise: statutory responsibility, and so reporting,
 * stays with the holder, southwark-2015 §14).
 *
 * @category delegated reporting
 * @since 0.1.0
 */
export const attribute = (
  position: Position,
  resolution: DelegationResolution.Resolution | undefined
): { readonly line: AttributedPosition; readonly violations: ReadonlyArray<Violation.Violation> } => {
  if (resolution === undefined) {
    return { line: { position, managedBy: [position.holder], accountable: position.holder }, violations: [] }
  }
  const violations =
    resolution.accountable === position.holder && resolution.function === position.function
      ? []
      : [
          Violation.make(
            "position/holder-not-accountable",
            `the ${position.year} ${position.function ?? "budget"} position is held by ${position.holder}, but ${resolution.function} for ${resolution.subject} is accountable to ${resolution.accountable}`,
            { bodies: [position.holder, resolution.accountable], dates: [resolution.date], source: "southwark-2015 §14" }
          )
        ]
  return { line: { position, managedBy: resolution.exercisedBy, accountable: resolution.accountable }, violations }
}

/**
 * Summed figures of a report.
 *
 * @category models
 * @since 0.1.0
 */
export interface Totals {
  readonly annualPlan: Money.Pence
  readonly planToDate: Money.Pence
  readonly actualToDate: Money.Pence
  readonly variance: Money.Pence
  readonly forecastOutturn: Money.Pence
}

/**
 * One body's report: `managing` lists the positions it manages (alone or jointly, `by` then joins the codes
 * with `+`), `accountable` the positions it is accountable for.
 *
 * @category models
 * @since 0.1.0
 */
export interface Report {
  readonly view: "managing" | "accountable"
  readonly by: string
  readonly lines: ReadonlyArray<AttributedPosition>
  readonly totals: Totals
}

/**
 * Sums positions.
 *
 * @category delegated reporting
 * @since 0.1.0
 */
export const totals = (lines: ReadonlyArray<AttributedPosition>): Totals => ({
  annualPlan: Money.sum(lines.map((l) => l.position.annualPlan)),
  planToDate: Money.sum(lines.map((l) => l.position.planToDate)),
  actualToDate: Money.sum(lines.map((l) => l.position.actualToDate)),
  variance: Money.sum(lines.map((l) => l.position.variance)),
  forecastOutturn: Money.sum(lines.map((l) => l.position.forecastOutturn))
})

/**
 * The reports by managing body or by accountable body, sorted by body.
 *
 * @category delegated reporting
 * @since 0.1.0
 */
export const reports = (lines: ReadonlyArray<AttributedPosition>, view: Report["view"]): ReadonlyArray<Report> => {
  const groups = new Map<string, Array<AttributedPosition>>()
  for (const l of lines) {
    const by = view === "managing" ? l.managedBy.join("+") : l.accountable
    groups.set(by, [...(groups.get(by) ?? []), l])
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([by, ls]) => ({ view, by, lines: ls, totals: totals(ls) }))
}

/**
 * Checks that the managing and accountable views report the same totals: `position/reports-do-not-reconcile`
 * names the figures that differ.
 *
 * @category delegated reporting
 * @since 0.1.0
 */
export const reconcile = (managing: ReadonlyArray<Report>, accountable: ReadonlyArray<Report>): ReadonlyArray<Violation.Violation> => {
  const a = totals(managing.flatMap((r) => r.lines))
  const b = totals(accountable.flatMap((r) => r.lines))
  const differing = (Object.keys(a) as Array<keyof Totals>).filter((k) => a[k] !== b[k])
  return differing.length === 0
    ? []
    : [
        Violation.make(
          "position/reports-do-not-reconcile",
          `the managing and accountable reports differ in ${differing.map((k) => `${k} (${Money.format(a[k])} against ${Money.format(b[k])})`).join(", ")}`,
          { bodies: [...new Set([...managing.map((r) => r.by), ...accountable.map((r) => r.by)])].sort() }
        )
      ]
}
