/**
 * Operational periods `[opened, closed)`: a body, relationship or delegation is in force from `opened`
 * (inclusive) until `closed` (exclusive), or open-ended. A period is never empty.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as CalendarDate from "./CalendarDate.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * A non-empty half-open period of calendar dates; `closed` absent means still in force.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Period = Schema.Struct({
  opened: CalendarDate.CalendarDate,
  closed: Schema.optionalKey(CalendarDate.CalendarDate)
}).pipe(
  Schema.check(
    Schema.makeFilter((p: { readonly opened: string; readonly closed?: string }) =>
      p.closed === undefined || p.closed > p.opened, { expected: "a period whose closing date is after its opening date" })
  )
)

/**
 * @category models
 * @since 0.1.0
 */
export type Period = typeof Period.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * Makes a period, or `undefined` when it would be empty (`closed <= opened`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (opened: CalendarDate.CalendarDate, closed?: CalendarDate.CalendarDate): Period | undefined =>
  closed === undefined ? { opened } : closed > opened ? { opened, closed } : undefined

/**
 * Makes a period from ISO literals known to be valid (constants and tests). Throws on a bug.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unsafeMake = (opened: string, closed?: string): Period => {
  const period = make(CalendarDate.unsafeMake(opened), closed === undefined ? undefined : CalendarDate.unsafeMake(closed))
  if (period === undefined) throw new Error(`empty period [${opened}, ${closed})`)
  return period
}

/**
 * A period from an opening date and the last day in force, as papers and ODS ("closed 31 March 2021") state it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromLastDay = (opened: CalendarDate.CalendarDate, lastDay?: CalendarDate.CalendarDate): Period | undefined =>
  make(opened, lastDay === undefined ? undefined : CalendarDate.addDays(lastDay, 1))

// ---------------------------------------------------------------------------------------------------------
// predicates
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether the period is in force on a date.
 *
 * @category predicates
 * @since 0.1.0
 */
export const contains = (period: Period, date: CalendarDate.CalendarDate): boolean =>
  period.opened <= date && (period.closed === undefined || date < period.closed)

/**
 * Whether two periods share at least one day.
 *
 * @category predicates
 * @since 0.1.0
 */
export const overlaps = (a: Period, b: Period): boolean =>
  (a.closed === undefined || b.opened < a.closed) && (b.closed === undefined || a.opened < b.closed)

/**
 * Whether `outer` covers every day of `inner`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const covers = (outer: Period, inner: Period): boolean =>
  outer.opened <= inner.opened &&
  (outer.closed === undefined || (inner.closed !== undefined && inner.closed <= outer.closed))

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * The days two periods share, or `undefined` when they share none.
 *
 * @category combinators
 * @since 0.1.0
 */
export const intersection = (a: Period, b: Period): Period | undefined => {
  const opened = CalendarDate.max(a.opened, b.opened)
  const closed =
    a.closed === undefined ? b.closed : b.closed === undefined ? a.closed : CalendarDate.min(a.closed, b.closed)
  return make(opened, closed)
}

/**
 * The last day in force, or `undefined` when open-ended.
 *
 * @category accessors
 * @since 0.1.0
 */
export const lastDay = (period: Period): CalendarDate.CalendarDate | undefined =>
  period.closed === undefined ? undefined : CalendarDate.previousDay(period.closed)

/**
 * Human-readable form used in rule violations: `[2013-04-01, 2020-04-01)` or `[2013-04-01, open)`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (period: Period): string => `[${period.opened}, ${period.closed ?? "open"})`
