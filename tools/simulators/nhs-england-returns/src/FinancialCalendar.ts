/**
 * NHS financial years (`"2015/16"`, 1 April to 31 March) and months (`M1` April to `M12` March), as the
 * returns service reads them. Plain functions over ISO date strings; nothing reads the clock.
 *
 * @since 0.1.0
 */

/**
 * `"2015/16"` for the year starting 1 April 2015.
 *
 * @category formatting
 * @since 0.1.0
 */
export const label = (startYear: number): string => `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`

/**
 * The start year of a `"YYYY/YY"` label whose two years follow each other, else `undefined`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (text: string): number | undefined => {
  const m = /^(\d{4})\/(\d{2})$/u.exec(text)
  if (m === null) return undefined
  const start = Number(m[1])
  return (start + 1) % 100 === Number(m[2]) ? start : undefined
}

/**
 * The last day (ISO date) of financial month `month` (1-12) of the year starting `startYear`.
 *
 * @category calendar
 * @since 0.1.0
 */
export const monthEnd = (startYear: number, month: number): string => {
  const [year, calendarMonth] = month <= 9 ? [startYear, month + 3] : [startYear + 1, month - 9]
  // Day 0 of the next month is the last day of this one (a fixed date, not the clock).
  const lastDay = new Date(Date.UTC(year, calendarMonth, 0)).getUTCDate()
  return `${year}-${String(calendarMonth).padStart(2, "0")}-${String(lastDay).padStart(2, "0")}`
}

/**
 * Whether the text is a real calendar date `YYYY-MM-DD`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const isIsoDate = (text: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text)
  if (m === null) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}
