/**
 * Field schemas shared by the canonical records: financial years and months as the NHS names them, money as a
 * pounds string on the wire and exact pence in memory, non-empty trimmed text.
 *
 * @since 0.1.0
 */
import { FinancialYear, Money } from "@hub/domain"
import { Schema } from "effect"

/**
 * A financial year named like `"2015/16"` (1 April 2015 to 31 March 2016): the domain's `FinancialYear`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialYearName = FinancialYear.FinancialYear

/**
 * A month of the financial year, 1 (M1, April) to 12 (M12, March): the domain's `FinancialYear.Month`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialMonthNumber = FinancialYear.Month

/**
 * Money: a decimal pounds string such as `"-1234.56"` on the wire, exact integer pence once decoded.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Amount = Money.PoundsString

/**
 * Text that is not blank.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Text = Schema.String.pipe(
  Schema.check(Schema.makeFilter((s: string) => s.trim().length > 0, { expected: "a non-blank text" }))
)

/**
 * A whole number of at least 1 (versions, line numbers).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PositiveInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

const keyEscaped = /[\\|]/u

/**
 * Joins key parts with a separator that cannot appear unescaped, so `["a|b","c"]` and `["a","b|c"]` differ.
 *
 * @category constructors
 * @since 0.1.0
 */
export const joinKey = (parts: ReadonlyArray<string | number>): string =>
  parts.map((p) => {
    const text = String(p)
    // Most parts hold neither character: test once instead of running both replacements on every part.
    return keyEscaped.test(text) ? text.replace(/\\/gu, "\\\\").replace(/\|/gu, "\\|") : text
  }).join("|")
