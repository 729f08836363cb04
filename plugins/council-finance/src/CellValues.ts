/**
 * Reading the cells of council finance files as they really are: amounts with `£`, thousands separators,
 * brackets, `CR` and trailing minus for credits; dates in ISO or UK forms; and spreadsheet formula cells
 * (`=`, `+`, `-`, `@`, tab, carriage return), which are never passed on unmarked.
 *
 * @since 0.1.0
 */
import { CalendarDate, Money } from "@hub/domain"
import { Result } from "effect"

// ---------------------------------------------------------------------------------------------------------
// formulas
// ---------------------------------------------------------------------------------------------------------

const numeric = /^[+-]?\s*£?\s*[\d,]*\.?\d+\s*$/u

/**
 * Whether a cell would be run as a formula by a spreadsheet (CSV injection): it starts with `=`, `@`, a tab or a
 * carriage return, or with `+`/`-` not followed by a number (`-12.50` and `+44 20` are values, `-2+3` or
 * `+cmd|...` are not).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isFormula = (cell: string): boolean => {
  const first = cell.charAt(0)
  if (first === "=" || first === "@" || first === "\t" || first === "\r") return true
  if (first === "+" || first === "-") return !numeric.test(cell) && !/^\+[\d\s()]+$/u.test(cell)
  return false
}

/**
 * A formula cell made inert for spreadsheets: prefixed with an apostrophe.
 *
 * @category formatting
 * @since 0.1.0
 */
export const neutralise = (cell: string): string => `'${cell}`

// ---------------------------------------------------------------------------------------------------------
// amounts
// ---------------------------------------------------------------------------------------------------------

const plainDecimal = /^-?\d{1,13}(?:\.\d{1,2})?$/u

/**
 * Reads an amount in pounds as councils print it into exact pence: `1234.56`, `£1,234.56`, `-12.00`,
 * `(12.00)`, `(£2,076.25)`, `£-5`, `12.00CR`, `12.00-`, `−3.10` (Unicode minus). Thousands separators must
 * group by three; more than two decimal places only when the extra digits are zeros. The error says why.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseAmount = (cell: string): Result.Result<Money.Pence, string> => {
  // Fast path: most cells are already plain decimals.
  if (plainDecimal.test(cell)) {
    const pence = Money.parsePounds(cell)
    if (pence !== undefined) return Result.succeed(pence)
  }
  const text = cell.trim()
  if (text === "") return Result.fail("the amount is empty")
  if (isFormula(text)) return Result.fail(`${JSON.stringify(cell)} is a spreadsheet formula, not an amount`)
  let t = text.replace(/\u2212/gu, "-").replace(/\s+/gu, "")
  let negative = false
  const flip = (): void => {
    negative = !negative
  }
  if (/^\(.*\)$/u.test(t)) {
    flip()
    t = t.slice(1, -1)
  }
  if (/cr$/iu.test(t)) {
    flip()
    t = t.slice(0, -2)
  } else if (/dr$/iu.test(t)) {
    t = t.slice(0, -2)
  }
  if (t.endsWith("-")) {
    flip()
    t = t.slice(0, -1)
  }
  if (t.startsWith("-")) {
    flip()
    t = t.slice(1)
  }
  if (t.startsWith("£")) t = t.slice(1)
  if (t.startsWith("-")) {
    flip()
    t = t.slice(1)
  }
  if (t.startsWith("(") && t.endsWith(")")) {
    flip()
    t = t.slice(1, -1)
  }
  if (t.startsWith("£")) t = t.slice(1)
  if (t.includes(",")) {
    if (!/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u.test(t)) return Result.fail(`${JSON.stringify(cell)} has misplaced thousands separators`)
    t = t.replace(/,/gu, "")
  }
  const m = /^(\d+)(?:\.(\d+))?$/u.exec(t)
  if (m === null) return Result.fail(`${JSON.stringify(cell)} is not an amount in pounds`)
  const decimals = m[2] ?? ""
  if (decimals.length > 2 && !/^0+$/u.test(decimals.slice(2))) {
    return Result.fail(`${JSON.stringify(cell)} has fractions of a penny`)
  }
  const pence = Money.parsePounds(`${m[1]}${decimals === "" ? "" : `.${decimals.slice(0, 2)}`}`)
  if (pence === undefined) return Result.fail(`${JSON.stringify(cell)} is too large`)
  return Result.succeed(negative ? Money.negate(pence) : pence)
}

// ---------------------------------------------------------------------------------------------------------
// dates
// ---------------------------------------------------------------------------------------------------------

/**
 * The date forms a profile can accept, tried in the profile's order.
 *
 * @category models
 * @since 0.1.0
 */
export const dateFormats = ["iso", "dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "dd/mm/yy", "dd-mmm-yyyy", "d mmmm yyyy"] as const

/**
 * @category models
 * @since 0.1.0
 */
export type DateFormat = (typeof dateFormats)[number]

const shortMonths = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
const longMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

/** 1..12 for a month name (`Jan`, `Sept`, `January`), 0 when it is none. */
const monthOf = (name: string): number => {
  const lower = name.toLowerCase()
  const index = lower === "sept" ? 8 : Math.max(shortMonths.indexOf(lower), longMonths.indexOf(lower))
  return index + 1
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/u

const midnight = "(?:[ T]00:00(?::00(?:\\.0+)?)?)?"

const readers: Record<DateFormat, (text: string) => CalendarDate.CalendarDate | undefined> = {
  iso: (t) => {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/u.exec(t)
    return m === null ? undefined : CalendarDate.parse(m[1] as string)
  },
  "dd/mm/yyyy": (t) => numericDate(t, "/", 4),
  "dd-mm-yyyy": (t) => numericDate(t, "-", 4),
  "dd.mm.yyyy": (t) => numericDate(t, ".", 4),
  "dd/mm/yy": (t) => numericDate(t, "/", 2),
  "dd-mmm-yyyy": (t) => {
    const m = new RegExp(`^(\\d{1,2})[- ]([A-Za-z]{3,4})[- ](\\d{2}|\\d{4})${midnight}$`, "u").exec(t)
    if (m === null) return undefined
    const year = (m[3] as string).length === 2 ? 2000 + Number(m[3]) : Number(m[3])
    const month = monthOf(m[2] as string)
    return month === 0 ? undefined : CalendarDate.fromParts(year, month, Number(m[1]))
  },
  "d mmmm yyyy": (t) => {
    const m = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})$/u.exec(t)
    if (m === null) return undefined
    const month = monthOf(m[2] as string)
    return month === 0 ? undefined : CalendarDate.fromParts(Number(m[3]), month, Number(m[1]))
  }
}

const numericDate = (text: string, separator: string, yearDigits: 2 | 4): CalendarDate.CalendarDate | undefined => {
  const s = separator === "." ? "\\." : separator
  const m = new RegExp(`^(\\d{1,2})${s}(\\d{1,2})${s}(\\d{${yearDigits}})${midnight}$`, "u").exec(text)
  if (m === null) return undefined
  const year = yearDigits === 2 ? 2000 + Number(m[3]) : Number(m[3])
  return CalendarDate.fromParts(year, Number(m[2]), Number(m[1]))
}

/**
 * Reads a date in the first of the given forms that fits (a midnight time is allowed and ignored). The error
 * lists the forms tried.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseDate = (
  cell: string,
  formats: ReadonlyArray<DateFormat>
): Result.Result<CalendarDate.CalendarDate, string> => {
  const text = cell.trim()
  if (text === "") return Result.fail("the date is empty")
  if (isFormula(text)) return Result.fail(`${JSON.stringify(cell)} is a spreadsheet formula, not a date`)
  if (formats.includes("iso") && isoDay.test(text)) {
    const date = CalendarDate.parse(text)
    if (date !== undefined) return Result.succeed(date)
  }
  for (const format of formats) {
    const date = readers[format](text)
    if (date !== undefined) return Result.succeed(date)
  }
  return Result.fail(`${JSON.stringify(cell)} is not a real date in any of: ${formats.join(", ")}`)
}
