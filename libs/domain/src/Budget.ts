/**
 * A holder's budget for a financial year, split into programme (commissioning services) and administration
 * (running costs), with the fixed cap on administration that the NHS Commissioning Board sets for consortia
 * (southampton-2011 §8).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Codes from "./Codes.ts"
import * as Delegation from "./Delegation.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * A budget: who holds it, for which year, optionally for which delegated function, its programme and
 * administration parts, the administration cap if one is set, and where the figures come from.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Budget = Schema.Struct({
  holder: Codes.BodyCode,
  year: FinancialYear.FinancialYear,
  function: Schema.optionalKey(Delegation.CommissioningFunction),
  programme: Money.Pence,
  administration: Money.Pence,
  administrationCap: Schema.optionalKey(Money.Pence),
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Budget = typeof Budget.Type

/**
 * Budget totals for one holder and year.
 *
 * @category models
 * @since 0.1.0
 */
export interface HolderTotals {
  readonly holder: Codes.BodyCode
  readonly year: FinancialYear.FinancialYear
  readonly programme: Money.Pence
  readonly administration: Money.Pence
  readonly total: Money.Pence
}

// ---------------------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------------------

/**
 * Programme plus administration.
 *
 * @category accessors
 * @since 0.1.0
 */
export const total = (budget: Budget): Money.Pence => Money.add(budget.programme, budget.administration)

/**
 * How much more the holder may plan on administration (`cap - administration`; negative when over the cap), or
 * `undefined` when no cap is set.
 *
 * @category accessors
 * @since 0.1.0
 */
export const administrationHeadroom = (budget: Budget): Money.Pence | undefined =>
  budget.administrationCap === undefined ? undefined : Money.subtract(budget.administrationCap, budget.administration)

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * Totals by holder for a year, sorted by holder code.
 *
 * @category combinators
 * @since 0.1.0
 */
export const totalsByHolder = (budgets: ReadonlyArray<Budget>, year: FinancialYear.FinancialYear): ReadonlyArray<HolderTotals> => {
  const byHolder = new Map<Codes.BodyCode, { programme: Money.Pence; administration: Money.Pence }>()
  for (const b of budgets) {
    if (b.year !== year) continue
    const t = byHolder.get(b.holder) ?? { programme: Money.zero, administration: Money.zero }
    byHolder.set(b.holder, { programme: Money.add(t.programme, b.programme), administration: Money.add(t.administration, b.administration) })
  }
  return [...byHolder.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([holder, t]) => ({ holder, year, ...t, total: Money.add(t.programme, t.administration) }))
}

// ---------------------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------------------

/**
 * Every violation in a set of budgets: `budget/negative` (a negative programme, administration or cap),
 * `budget/duplicate` (two budgets for the same holder, year and function) and `budget/administration-cap`
 * (administration planned above the cap, southampton-2011 §8).
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (budgets: ReadonlyArray<Budget>): ReadonlyArray<Violation.Violation> => {
  const out: Array<Violation.Violation> = []
  const seen = new Set<string>()
  for (const b of budgets) {
    const what = `the ${b.year} budget of ${b.holder}${b.function === undefined ? "" : ` for ${b.function}`}`
    const dates = [FinancialYear.firstDay(b.year), FinancialYear.lastDay(b.year)]
    const key = `${b.holder}|${b.year}|${b.function ?? ""}`
    if (seen.has(key)) {
      out.push(Violation.make("budget/duplicate", `${what} is recorded more than once`, { bodies: [b.holder], dates }))
    }
    seen.add(key)
    const negative = (
      [["programme", b.programme], ["administration", b.administration], ["administration cap", b.administrationCap]] as const
    ).filter(([, v]) => v !== undefined && v < 0)
    for (const [part, amount] of negative) {
      out.push(Violation.make("budget/negative", `${what} has a negative ${part} of ${Money.format(amount!)}`, { bodies: [b.holder], dates }))
    }
    const headroom = administrationHeadroom(b)
    if (headroom !== undefined && headroom < 0) {
      out.push(
        Violation.make(
          "budget/administration-cap",
          `${what} plans ${Money.format(b.administration)} of administration against a cap of ${Money.format(b.administrationCap!)} (over by ${Money.format(Money.negate(headroom))})`,
          { bodies: [b.holder], dates, source: "southampton-2011 §8" }
        )
      )
    }
  }
  return out
}

/**
 * The budgets back when they keep every rule, otherwise every violation.
 *
 * @category validation
 * @since 0.1.0
 */
export const check = (budgets: ReadonlyArray<Budget>): Result.Result<ReadonlyArray<Budget>, Violation.RuleViolations> => {
  const violations = validate(budgets)
  return violations.length === 0
    ? Result.succeed(budgets)
    : Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
}
