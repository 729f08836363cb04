/**
 * Money on the simulators' wire: decimal strings in pounds (`"1234.50"`), held as integer pence so no amount
 * ever passes through binary floating point. Independent of the domain's Money on purpose: a simulator must
 * not share a bug with the code it tests.
 *
 * @since 0.1.0
 */

const pattern = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/u

/**
 * Parses a decimal amount in pounds (at most two decimals, optional minus sign) to integer pence, or
 * `undefined` when the text is not such an amount.
 *
 * @category parsing
 * @since 0.1.0
 */
export const toPence = (text: string): number | undefined => {
  const m = pattern.exec(text)
  if (m === null) return undefined
  const value = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"))
  return m[1] === "-" && value !== 0 ? -value : value
}

/**
 * Formats integer pence as pounds with exactly two decimals (`-5` → `"-0.05"`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const fromPence = (pence: number): string => {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`Pounds.fromPence: not a whole number of pence: ${pence}`)
  const abs = Math.abs(pence)
  const pounds = Math.floor(abs / 100)
  const rest = String(abs % 100).padStart(2, "0")
  return `${pence < 0 ? "-" : ""}${pounds}.${rest}`
}

/**
 * True when the text is a decimal amount in pounds ({@link toPence} accepts it).
 *
 * @category parsing
 * @since 0.1.0
 */
export const isPounds = (text: string): boolean => toPence(text) !== undefined
