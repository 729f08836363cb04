/**
 * The NHS financial year, 1 April to 31 March, named like "2015/16", and its months M1 (April) to M12 (March)
 * (DOMAIN.md §4): which year and month a date falls in, and which dates a year or month covers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as CalendarDate from "./CalendarDate.ts"
import * as Period from "./Period.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

const namePattern = /^(\d{4})\/(\d{2})$/u

const isConsistentName = (text: string): boolean => {
  const m = namePattern.exec(text)
  return m !== null && (Number(m[1]) + 1) % 100 === Number(m[2])
}

/**
 * A financial year by name: `"2015/16"` runs from 1 April 2015 to 31 March 2016. `"2015/17"` is rejected.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialYear = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(namePattern, { expected: "a financial year such as 2015/16" }),
    Schema.makeFilter(isConsistentName, { expected: "a financial year whose second part is the next year (2015/16)" })
  ),
  Schema.brand("FinancialYear")
)

/**
 * @category models
 * @since 0.1.0
 */
export type FinancialYear = typeof FinancialYear.Type

/**
 * A month of the financial year: 1 is M1 (April), 12 is M12 (March).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Month = Schema.Literals([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])

/**
 * @category models
 * @since 0.1.0
 */
export type Month = typeof Month.Type

/**
 * Every month in order, M1 to M12.
 *
 * @category constants
 * @since 0.1.0
 */
export const months: ReadonlyArray<Month> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]

/**
 * A month of a given financial year (`2015/16 M3` is June 2015).
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinancialMonth = Schema.Struct({ year: FinancialYear, month: Month })

/**
 * @category models
 * @since 0.1.0
 */
export type FinancialMonth = typeof FinancialMonth.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * The financial year starting on 1 April of `startYear` (`make(2015)` is `"2015/16"`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (startYear: number): FinancialYear => {
  if (!Number.isInteger(startYear) || startYear < 1 || startYear > 9998) {
    throw new RangeError(`not a financial year start: ${startYear}`)
  }
  return `${String(startYear).padStart(4, "0")}/${String((startYear + 1) % 100).padStart(2, "0")}` as FinancialYear
}

/**
 * Parses `"2015/16"`, or `undefined` when the text is not a consistent financial year name.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parse = (text: string): FinancialYear | undefined =>
  isConsistentName(text) ? (text as FinancialYear) : undefined

/**
 * The financial year a date falls in: 31 March 2016 is in 2015/16, 1 April 2016 in 2016/17.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ofDate = (date: CalendarDate.CalendarDate): FinancialYear =>
  make(CalendarDate.month(date) >= 4 ? CalendarDate.year(date) : CalendarDate.year(date) - 1)

/**
 * The financial month a date falls in: 1 April is M1, 31 March is M12.
 *
 * @category constructors
 * @since 0.1.0
 */
export const monthOfDate = (date: CalendarDate.CalendarDate): FinancialMonth => ({
  year: ofDate(date),
  month: (((CalendarDate.month(date) + 8) % 12) + 1) as Month
})

// ---------------------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------------------

/**
 * The calendar year in which the financial year starts (2015 for 2015/16).
 *
 * @category accessors
 * @since 0.1.0
 */
export const startYear = (year: FinancialYear): number => Number(year.slice(0, 4))

/**
 * 1 April of the year.
 *
 * @category accessors
 * @since 0.1.0
 */
export const firstDay = (year: FinancialYear): CalendarDate.CalendarDate =>
  CalendarDate.fromParts(startYear(year), 4, 1) as CalendarDate.CalendarDate

/**
 * 31 March at the end of the year.
 *
 * @category accessors
 * @since 0.1.0
 */
export const lastDay = (year: FinancialYear): CalendarDate.CalendarDate =>
  CalendarDate.fromParts(startYear(year) + 1, 3, 31) as CalendarDate.CalendarDate

/**
 * The year as a period `[1 April, next 1 April)`.
 *
 * @category accessors
 * @since 0.1.0
 */
export const period = (year: FinancialYear): Period.Period => ({
  opened: firstDay(year),
  closed: CalendarDate.addDays(lastDay(year), 1)
})

/**
 * The dates of a financial month as a period: `2015/16 M12` is `[2016-03-01, 2016-04-01)`.
 *
 * @category accessors
 * @since 0.1.0
 */
export const monthPeriod = (year: FinancialYear, month: Month): Period.Period => {
  const calendarMonth = ((month + 2) % 12) + 1
  const calendarYear = startYear(year) + (month >= 10 ? 1 : 0)
  const opened = CalendarDate.fromParts(calendarYear, calendarMonth, 1) as CalendarDate.CalendarDate
  const closed =
    calendarMonth === 12
      ? (CalendarDate.fromParts(calendarYear + 1, 1, 1) as CalendarDate.CalendarDate)
      : (CalendarDate.fromParts(calendarYear, calendarMonth + 1, 1) as CalendarDate.CalendarDate)
  return { opened, closed }
}

/**
 * `"M1"` to `"M12"`, as finance returns label months.
 *
 * @category formatting
 * @since 0.1.0
 */
export const monthLabel = (month: Month): string => `M${month}`

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * The year `n` years later (or earlier for negative `n`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const add = (year: FinancialYear, n: number): FinancialYear => make(startYear(year) + n)

// ---------------------------------------------------------------------------------------------------------
// predicates
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether the date is 1 April, the only day co-commissioning levels may change (southwark-2015 §16).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isFirstDay = (date: CalendarDate.CalendarDate): boolean =>
  CalendarDate.month(date) === 4 && CalendarDate.day(date) === 1
