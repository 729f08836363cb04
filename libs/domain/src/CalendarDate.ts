/**
 * Calendar dates without a time of day or a time zone: the dates board papers and ODS extracts speak in
 * ("opened 1 April 2013"). Encoded as ISO `YYYY-MM-DD` strings, so they sort and compare as text.
 *
 * @since 0.1.0
 */
import { Order, Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/u

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/**
 * Whether a year is a leap year in the proleptic Gregorian calendar.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const isRealDate = (text: string): boolean => {
  const m = isoPattern.exec(text)
  if (m === null) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/**
 * A real calendar date as `YYYY-MM-DD` (2013-02-29 is rejected).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CalendarDate = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(isoPattern, { expected: "a date as YYYY-MM-DD" }),
    Schema.makeFilter(isRealDate, { expected: "a real calendar date" })
  ),
  Schema.brand("CalendarDate")
)

/**
 * @category models
 * @since 0.1.0
 */
export type CalendarDate = typeof CalendarDate.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * Parses an ISO date, returning `undefined` when it is not a real calendar date.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parse = (text: string): CalendarDate | undefined =>
  isRealDate(text) ? (text as CalendarDate) : undefined

/**
 * Makes a date from an ISO string that is known to be valid (constants in code and tests). Throws on a bad
 * literal, which is a bug, not an expected failure.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unsafeMake = (text: string): CalendarDate => {
  const date = parse(text)
  if (date === undefined) throw new Error(`not a calendar date: ${JSON.stringify(text)}`)
  return date
}

/**
 * Makes a date from its parts, or `undefined` when they name no real day.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromParts = (year: number, month: number, day: number): CalendarDate | undefined =>
  parse(`${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`)

/**
 * Parses the compact `YYYYMMDD` form used by ODS extracts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseCompact = (text: string): CalendarDate | undefined =>
  /^\d{8}$/u.test(text) ? parse(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`) : undefined

/**
 * Parses a UK date `dd/mm/yyyy` (also `d/m/yyyy`), as found in council finance files.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseUk = (text: string): CalendarDate | undefined => {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/u.exec(text)
  return m === null ? undefined : fromParts(Number(m[3]), Number(m[2]), Number(m[1]))
}

// ---------------------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------------------

/**
 * @category accessors
 * @since 0.1.0
 */
export const year = (date: CalendarDate): number => Number(date.slice(0, 4))

/**
 * @category accessors
 * @since 0.1.0
 */
export const month = (date: CalendarDate): number => Number(date.slice(5, 7))

/**
 * @category accessors
 * @since 0.1.0
 */
export const day = (date: CalendarDate): number => Number(date.slice(8, 10))

/**
 * Days since 1970-01-01 (negative before), computed without the platform clock or time zones.
 *
 * @category accessors
 * @since 0.1.0
 */
export const toEpochDay = (date: CalendarDate): number => {
  // Howard Hinnant's days_from_civil.
  const m = month(date)
  const d = day(date)
  const y = year(date) - (m <= 2 ? 1 : 0)
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * The date a number of days after 1970-01-01.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromEpochDay = (epochDay: number): CalendarDate => {
  const z = epochDay + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp + (mp < 10 ? 3 : -9)
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return fromParts(y, m, d) as CalendarDate
}

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * @category combinators
 * @since 0.1.0
 */
export const addDays = (date: CalendarDate, days: number): CalendarDate => fromEpochDay(toEpochDay(date) + days)

/**
 * The day before: turns an exclusive end (`closed`) into the last operational day that papers quote.
 *
 * @category combinators
 * @since 0.1.0
 */
export const previousDay = (date: CalendarDate): CalendarDate => addDays(date, -1)

/**
 * @category combinators
 * @since 0.1.0
 */
export const min = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b)

/**
 * @category combinators
 * @since 0.1.0
 */
export const max = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b)

// ---------------------------------------------------------------------------------------------------------
// instances
// ---------------------------------------------------------------------------------------------------------

/**
 * Chronological order (the ISO text order).
 *
 * @category instances
 * @since 0.1.0
 */
export const order: Order.Order<CalendarDate> = (a, b) => (a < b ? -1 : a > b ? 1 : 0)
