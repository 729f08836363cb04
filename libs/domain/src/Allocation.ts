/**
 * Allocations from the centre to a holder for a financial year, and percentage uplifts applied to them exactly:
 * "10.6% over two years compared to an average rise of 11.3%" (london-councils-2009 §7). Percentages are exact
 * rationals read from decimal text or basis points, never floating point.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Codes from "./Codes.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * An exact percentage as the fraction `numerator / denominator` of a whole: 10.6% is `106 / 1000`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Percentage {
  readonly numerator: bigint
  readonly denominator: bigint
}

/**
 * A sum allocated to a holder for a financial year, with where the figure comes from.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Allocation = Schema.Struct({
  holder: Codes.BodyCode,
  year: FinancialYear.FinancialYear,
  amount: Money.Pence,
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Allocation = typeof Allocation.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

const percentPattern = /^(-)?(\d+)(?:\.(\d+))?%?$/u

/**
 * Reads a percentage from decimal text (`"10.6"`, `"10.6%"`, `"-2.25"`), exactly; `undefined` when the text is
 * not a plain decimal.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parsePercent = (text: string): Percentage | undefined => {
  const m = percentPattern.exec(text.trim())
  if (m === null) return undefined
  const fraction = m[3] ?? ""
  const digits = BigInt(`${m[2]}${fraction}`)
  return { numerator: m[1] === "-" ? -digits : digits, denominator: 100n * 10n ** BigInt(fraction.length) }
}

/**
 * A percentage from decimal text known to be valid (constants and tests); throws on a bad literal.
 *
 * @category constructors
 * @since 0.1.0
 */
export const percent = (text: string): Percentage => {
  const p = parsePercent(text)
  if (p === undefined) throw new Error(`not a percentage: ${JSON.stringify(text)}`)
  return p
}

/**
 * A percentage in basis points: `basisPoints(1060)` is 10.6%.
 *
 * @category constructors
 * @since 0.1.0
 */
export const basisPoints = (bp: number): Percentage => {
  if (!Number.isSafeInteger(bp)) throw new RangeError(`basis points must be a whole number, got ${bp}`)
  return { numerator: BigInt(bp), denominator: 10_000n }
}

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * `amount * (1 + p1) * (1 + p2) * ...`, computed as one exact fraction and rounded to the penny ONCE at the end,
 * half away from zero (`Money.fromRational`). Rounding year by year instead could drift by a penny a year; a
 * two-year uplift quoted as one figure ("10.6% over two years") is a single percentage.
 *
 * @category combinators
 * @since 0.1.0
 */
export const applyUplifts = (amount: Money.Pence, uplifts: ReadonlyArray<Percentage>): Money.Pence => {
  let numerator = BigInt(amount)
  let denominator = 1n
  for (const u of uplifts) {
    numerator *= u.denominator + u.numerator
    denominator *= u.denominator
  }
  return Money.fromRational(numerator, denominator)
}

/**
 * `amount * (1 + uplift)`, rounded once, half away from zero.
 *
 * @category combinators
 * @since 0.1.0
 */
export const applyUplift = (amount: Money.Pence, uplift: Percentage): Money.Pence => applyUplifts(amount, [uplift])

/**
 * The allocation `years` financial years later after an uplift (a two-year uplift is one percentage over
 * `years: 2`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const uplift = (
  allocation: Allocation,
  by: Percentage,
  options: { readonly years?: number; readonly source?: string } = {}
): Allocation => ({
  holder: allocation.holder,
  year: FinancialYear.add(allocation.year, options.years ?? 1),
  amount: applyUplift(allocation.amount, by),
  ...(options.source === undefined ? {} : { source: options.source })
})

/**
 * What an uplift below the benchmark costs: the base uplifted by what was received and by the benchmark, and the
 * shortfall between them (london-councils-2009 §7: London PCTs received 10.6% over two years against an average
 * of 11.3%). Each figure is rounded once, half away from zero; shortfall = benchmark - received exactly.
 *
 * @category combinators
 * @since 0.1.0
 */
export const compareUplift = (
  base: Money.Pence,
  received: Percentage,
  benchmark: Percentage
): { readonly received: Money.Pence; readonly benchmark: Money.Pence; readonly shortfall: Money.Pence } => {
  const r = applyUplift(base, received)
  const b = applyUplift(base, benchmark)
  return { received: r, benchmark: b, shortfall: Money.subtract(b, r) }
}

/**
 * A percentage as decimal text with as many places as it needs (`"10.6"`), or a rounded fraction for percentages
 * such as 1/3 that have no finite decimal (`"33.3333"`, four places).
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatPercent = (p: Percentage): string => {
  const negative = p.numerator < 0n !== p.denominator < 0n && p.numerator !== 0n
  const n = p.numerator < 0n ? -p.numerator : p.numerator
  const d = p.denominator < 0n ? -p.denominator : p.denominator
  let places = 0
  let scale = 1n
  while (places < 4 && (n * 100n * scale) % d !== 0n) {
    places += 1
    scale *= 10n
  }
  const scaled = (n * 100n * scale * 2n + d) / (2n * d)
  const whole = scaled / scale
  const fraction = places === 0 ? "" : `.${(scaled % scale).toString().padStart(places, "0")}`
  return `${negative ? "-" : ""}${whole}${fraction}`
}
