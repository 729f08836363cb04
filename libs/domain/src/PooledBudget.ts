/**
 * Pooled budgets between NHS bodies and councils (Section 75 agreements, the Better Care Fund, place-based
 * budgets: southwark-2015 §13, §20): the partners, what each contributes, the host that holds the pool, what it
 * pays for, and the legal basis. Contributions must add up to the pool exactly.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Codes from "./Codes.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"
import * as Period from "./Period.ts"
import * as Registry from "./Registry.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * The legal basis of a pool: a Section 75 (NHS Act 2006) partnership agreement, a Section 256 transfer, the
 * Better Care Fund (itself pooled under Section 75), or an aligned budget that stays with each partner.
 *
 * @category schemas
 * @since 0.1.0
 */
export const LegalBasis = Schema.Literals(["section-75", "section-256", "better-care-fund", "aligned"])

/**
 * @category models
 * @since 0.1.0
 */
export type LegalBasis = typeof LegalBasis.Type

/**
 * @category schemas
 * @since 0.1.0
 */
export const Contribution = Schema.Struct({ partner: Codes.BodyCode, amount: Money.Pence })

/**
 * @category models
 * @since 0.1.0
 */
export type Contribution = typeof Contribution.Type

/**
 * A pooled budget for a financial year.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PooledBudget = Schema.Struct({
  id: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  name: Schema.String,
  year: FinancialYear.FinancialYear,
  host: Codes.BodyCode,
  contributions: Schema.NonEmptyArray(Contribution),
  total: Money.Pence,
  scope: Schema.Array(Schema.String),
  legalBasis: LegalBasis,
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type PooledBudget = typeof PooledBudget.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * A pool whose `total` is split between partners by whole-number shares (`Money.allocate`, largest remainder,
 * ties to the partner listed first), so the contributions always sum to the total.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromShares = (
  fields: Omit<PooledBudget, "contributions">,
  shares: readonly [{ readonly partner: Codes.BodyCode; readonly share: number }, ...Array<{ readonly partner: Codes.BodyCode; readonly share: number }>]
): PooledBudget => {
  const amounts = Money.allocate(fields.total, shares.map((s) => s.share))
  const contributions = shares.map((s, i) => ({ partner: s.partner, amount: amounts[i]! }))
  return { ...fields, contributions: contributions as [Contribution, ...Array<Contribution>] }
}

// ---------------------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------------------

/**
 * The sum of the contributions.
 *
 * @category accessors
 * @since 0.1.0
 */
export const contributed = (pool: PooledBudget): Money.Pence => Money.sum(pool.contributions.map((c) => c.amount))

/**
 * The partners, in the order recorded.
 *
 * @category accessors
 * @since 0.1.0
 */
export const partners = (pool: PooledBudget): ReadonlyArray<Codes.BodyCode> => pool.contributions.map((c) => c.partner)

// ---------------------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------------------

/**
 * Every violation in a pool: `pool/contributions-sum` (the contributions do not add up to the total, to the
 * penny), `pool/negative-contribution`, `pool/duplicate-partner`, `pool/single-partner` (a pool needs two
 * partners), `pool/host-not-partner` (the host must be one of the partners) and, when a registry is given,
 * `pool/partner-not-operational` (every partner must be operational for the whole financial year).
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (pool: PooledBudget, registry?: Registry.Registry): ReadonlyArray<Violation.Violation> => {
  const out: Array<Violation.Violation> = []
  const year = FinancialYear.period(pool.year)
  const dates = [FinancialYear.firstDay(pool.year), FinancialYear.lastDay(pool.year)]
  const codes = partners(pool)
  const what = `pool ${pool.id} (${pool.name}, ${pool.year})`
  const sum = contributed(pool)
  if (sum !== pool.total) {
    out.push(
      Violation.make(
        "pool/contributions-sum",
        `${what}: the contributions add up to ${Money.format(sum)}, not the pool's ${Money.format(pool.total)} (difference ${Money.format(Money.subtract(sum, pool.total))})`,
        { bodies: [...new Set(codes)].sort(), dates }
      )
    )
  }
  for (const c of pool.contributions) {
    if (c.amount < 0) {
      out.push(Violation.make("pool/negative-contribution", `${what}: ${c.partner} contributes ${Money.format(c.amount)}`, { bodies: [c.partner], dates }))
    }
  }
  const duplicates = [...new Set(codes.filter((c, i) => codes.indexOf(c) !== i))]
  for (const d of duplicates) {
    out.push(Violation.make("pool/duplicate-partner", `${what}: ${d} is listed as a partner more than once`, { bodies: [d], dates }))
  }
  if (new Set(codes).size < 2) {
    out.push(Violation.make("pool/single-partner", `${what}: a pooled budget needs at least two partners`, { bodies: [...new Set(codes)], dates }))
  }
  if (!codes.includes(pool.host)) {
    out.push(Violation.make("pool/host-not-partner", `${what}: the host ${pool.host} is not one of the partners`, { bodies: [pool.host], dates }))
  }
  if (registry !== undefined) {
    for (const code of new Set([...codes, pool.host])) {
      const body = Registry.get(registry, code)
      if (body === undefined || !Period.covers(body.period, year)) {
        out.push(
          Violation.make(
            "pool/partner-not-operational",
            `${what}: ${code} is ${body === undefined ? "not in the registry" : `operational ${Period.format(body.period)}, not for the whole year`}`,
            { bodies: [code], dates }
          )
        )
      }
    }
  }
  return out
}

/**
 * The pool back when it keeps every rule, otherwise every violation.
 *
 * @category validation
 * @since 0.1.0
 */
export const check = (pool: PooledBudget, registry?: Registry.Registry): Result.Result<PooledBudget, Violation.RuleViolations> => {
  const violations = validate(pool, registry)
  return violations.length === 0
    ? Result.succeed(pool)
    : Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
}
