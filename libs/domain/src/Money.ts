/**
 * Money as exact integer pence. Never binary floating point: amounts are parsed from decimal text straight into
 * pence and every operation stays in safe integers (up to about £90 trillion).
 *
 * @since 0.1.0
 */
import { Schema, SchemaTransformation } from "effect"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * An exact amount of money in pence (may be negative: credit notes, refunds, underspends).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Pence = Schema.Int.pipe(
  Schema.check(Schema.makeFilter((n: number) => Number.isSafeInteger(n), { expected: "a whole number of pence" })),
  Schema.brand("Pence")
)

/**
 * @category models
 * @since 0.1.0
 */
export type Pence = typeof Pence.Type

const decimalPattern = /^(-)?(\d+)(?:\.(\d{1,2}))?$/u

/**
 * Parses a plain decimal amount in pounds (`1234.5`, `-12.34`, `7`) into exact pence, or `undefined` when the
 * text is not such an amount or has fractions of a penny. Currency signs, separators and brackets are for the
 * importers to strip first (see the council-finance plugin).
 *
 * @category constructors
 * @since 0.1.0
 */
export const parsePounds = (text: string): Pence | undefined => {
  const m = decimalPattern.exec(text.trim())
  if (m === null) return undefined
  const pounds = Number(m[2])
  const pence = Number((m[3] ?? "").padEnd(2, "0"))
  const value = pounds * 100 + pence
  if (!Number.isSafeInteger(value)) return undefined
  return (m[1] === "-" && value !== 0 ? -value : value) as Pence
}

/**
 * A decimal string in pounds (`"1234.56"`, `"-0.05"`) decoded to pence and encoded back: the wire form of money
 * in the hub's APIs and files, so no client ever has to round a float.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PoundsString = Schema.String.pipe(
  Schema.check(Schema.isPattern(decimalPattern, { expected: "an amount in pounds such as 1234.56" })),
  Schema.decodeTo(
    Pence,
    SchemaTransformation.transform({
      // The pattern has already been checked, so the text always parses.
      decode: (text: string): number => parsePounds(text) as number,
      encode: (amount: number): string => toPoundsString(amount as Pence)
    })
  )
)

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * @category constructors
 * @since 0.1.0
 */
export const pence = (n: number): Pence => {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of pence: ${n}`)
  return n as Pence
}

/**
 * @category constructors
 * @since 0.1.0
 */
export const zero: Pence = 0 as Pence

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * @category combinators
 * @since 0.1.0
 */
export const add = (a: Pence, b: Pence): Pence => pence(a + b)

/**
 * @category combinators
 * @since 0.1.0
 */
export const subtract = (a: Pence, b: Pence): Pence => pence(a - b)

/**
 * @category combinators
 * @since 0.1.0
 */
export const negate = (a: Pence): Pence => pence(-a)

/**
 * @category combinators
 * @since 0.1.0
 */
export const sum = (amounts: Iterable<Pence>): Pence => {
  let total = 0
  for (const a of amounts) total += a
  return pence(total)
}

/**
 * An amount times a whole number (twelve months of a monthly charge).
 *
 * @category combinators
 * @since 0.1.0
 */
export const multiply = (amount: Pence, factor: number): Pence => {
  if (!Number.isSafeInteger(factor)) throw new RangeError(`multiply: factor must be a whole number, got ${factor}`)
  return fromBigInt(BigInt(amount) * BigInt(factor))
}

/**
 * Exact pence from a BigInt (the intermediate form of rational arithmetic). Throws when outside safe integers,
 * which no real commissioning sum reaches.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromBigInt = (n: bigint): Pence => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount out of range: ${n} pence`)
  }
  return Number(n) as Pence
}

/**
 * The rational `numerator / denominator` pence rounded to a whole penny, half away from zero (`2.5p` is `3p`,
 * `-2.5p` is `-3p`): "round half up" on the magnitude, the usual rule in public-sector finance. Exact: BigInt
 * throughout, no floating point.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromRational = (numerator: bigint, denominator: bigint): Pence => {
  if (denominator === 0n) throw new RangeError("fromRational: denominator is zero")
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const rounded = (2n * n + d) / (2n * d)
  return fromBigInt(negative ? -rounded : rounded)
}

/**
 * Splits `total` into parts proportional to `weights` (whole numbers, not all zero) without losing or inventing a
 * penny: the parts always sum to `total`, and each part is within 1p of its exact share `total * w / sum(w)`.
 *
 * Method: largest remainder. Every part first gets the floor of its exact share (of the magnitude, for a negative
 * total); the pennies left over go one each to the parts with the largest remainders. Tie-break: equal remainders
 * go to the part that comes first in `weights`, so the result depends only on the order the caller gives. A zero
 * weight always gets exactly zero. Throws a `RangeError` on negative, fractional or all-zero weights (validate
 * shares from data before calling; see `Dividend` and `PooledBudget`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const allocate = (total: Pence, weights: ReadonlyArray<number | bigint>): ReadonlyArray<Pence> => {
  const ws = weights.map((w, i) => {
    if (typeof w === "number" && !Number.isSafeInteger(w)) {
      throw new RangeError(`allocate: weight ${i} must be a whole number, got ${w}`)
    }
    const b = BigInt(w)
    if (b < 0n) throw new RangeError(`allocate: weight ${i} is negative (${w})`)
    return b
  })
  const totalWeight = ws.reduce((a, b) => a + b, 0n)
  if (totalWeight === 0n) throw new RangeError("allocate: the weights are empty or all zero")
  const magnitude = BigInt(Math.abs(total))
  const floors = ws.map((w) => (magnitude * w) / totalWeight)
  const remainders = ws.map((w) => (magnitude * w) % totalWeight)
  let leftover = magnitude - floors.reduce((a, b) => a + b, 0n)
  const byRemainder = ws
    .map((_, i) => i)
    .sort((a, b) => (remainders[a]! > remainders[b]! ? -1 : remainders[a]! < remainders[b]! ? 1 : a - b))
  const parts = [...floors]
  for (const i of byRemainder) {
    if (leftover === 0n) break
    parts[i] = parts[i]! + 1n
    leftover -= 1n
  }
  return parts.map((p) => fromBigInt(total < 0 ? -p : p))
}

/**
 * Splits `total` into `count` equal parts by `allocate` (earlier parts take the odd pennies): a straight-line
 * monthly profile of an annual sum.
 *
 * @category combinators
 * @since 0.1.0
 */
export const splitEvenly = (total: Pence, count: number): ReadonlyArray<Pence> =>
  allocate(total, Array.from({ length: count }, () => 1))

// ---------------------------------------------------------------------------------------------------------
// formatting
// ---------------------------------------------------------------------------------------------------------

/**
 * Plain decimal pounds with two places, `-` for negatives: `123456` is `"1234.56"`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toPoundsString = (amount: Pence): string => {
  const abs = Math.abs(amount)
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
  return amount < 0 ? `-${text}` : text
}

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/gu, ",")

const poundsWithSign = (amount: Pence): string => {
  const abs = Math.abs(amount)
  return `£${groupThousands(String(Math.floor(abs / 100)))}.${String(abs % 100).padStart(2, "0")}`
}

/**
 * How negatives are shown: `plain` as `-£1,234.56`, `finance` in brackets `(£1,234.56)` as budget papers do.
 *
 * @category formatting
 * @since 0.1.0
 */
export type FormatStyle = "plain" | "finance"

/**
 * UK presentation with the pound sign and thousands separators: `123456` is `£1,234.56`; `-123456` is
 * `-£1,234.56` (plain, the default) or `(£1,234.56)` (finance).
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (amount: Pence, style: FormatStyle = "plain"): string => {
  const text = poundsWithSign(amount)
  if (amount >= 0) return text
  return style === "finance" ? `(${text})` : `-${text}`
}

/**
 * `format(amount, "finance")`: negatives in brackets.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatFinance = (amount: Pence): string => format(amount, "finance")
