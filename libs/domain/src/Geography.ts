/**
 * Boundaries as sets of small areas over time (DOMAIN.md §2): each area (usually an LSOA) has a weight, and is
 * covered by a health body and by a council, each for a period. Answers which areas a body held on a date and
 * produces the area assignments that `Coterminosity` compares.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type * as CalendarDate from "./CalendarDate.ts"
import type * as Coterminosity from "./Coterminosity.ts"
import * as Period from "./Period.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * Which side of coterminosity a body covers an area for.
 *
 * @category models
 * @since 0.1.0
 */
export type Role = "health" | "council"

/**
 * A small area and its weight: the population where known, otherwise 1 (the default).
 *
 * @category models
 * @since 0.1.0
 */
export interface Area {
  readonly code: string
  readonly weight?: number
}

/**
 * `body` covers `area` in `role` during `period` (a CCG holds an LSOA from 2013-04-01 to 2020-04-01).
 *
 * @category models
 * @since 0.1.0
 */
export interface Coverage {
  readonly area: string
  readonly body: string
  readonly role: Role
  readonly period: Period.Period
}

interface AreaEntry {
  readonly code: string
  readonly weight: number
  readonly health: ReadonlyArray<Coverage>
  readonly council: ReadonlyArray<Coverage>
}

/**
 * Validated areas and coverage, indexed by area and by body. Build it with `make`; read it with the functions
 * of this module.
 *
 * @category models
 * @since 0.1.0
 */
export interface Geography {
  /** Areas in the order given, with their weight and coverage. */
  readonly areas: ReadonlyArray<AreaEntry>
  /** Areas by code. */
  readonly byArea: ReadonlyMap<string, AreaEntry>
  /** Coverage records by body code. */
  readonly byBody: ReadonlyMap<string, ReadonlyArray<Coverage>>
}

/**
 * The weight an area has when none is given.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultWeight = 1

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

const periodDates = (period: Period.Period): Array<string> =>
  period.closed === undefined ? [period.opened] : [period.opened, period.closed]

const push = <K, V>(map: Map<K, Array<V>>, key: K, value: V): void => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

const overlapsWithin = (role: Role, area: string, records: ReadonlyArray<Coverage>, out: Array<Violation.Violation>): void => {
  // Records per area and role are few (a handful of boundary changes), so comparing pairs stays linear overall.
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i] as Coverage
      const b = records[j] as Coverage
      if (a.body === b.body) continue
      const shared = Period.intersection(a.period, b.period)
      if (shared === undefined) continue
      out.push(
        Violation.make(
          "geography/overlapping-coverage",
          `area ${area} is covered by two ${role === "health" ? "health bodies" : "councils"} at once: ${a.body} ${
            Period.format(a.period)
          } and ${b.body} ${Period.format(b.period)} overlap on ${Period.format(shared)}`,
          { bodies: [a.body, b.body].sort(), dates: periodDates(shared) }
        )
      )
    }
  }
}

/**
 * Validates areas and coverage and builds the geography, reporting every problem at once: an area listed twice
 * (`geography/duplicate-area`), a negative or non-finite weight (`geography/invalid-weight`), coverage of an
 * area not listed (`geography/unknown-area`), an area covered by two bodies of the same role at the same time
 * (`geography/overlapping-coverage`), and a body covering areas in both roles (`geography/conflicting-role`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  areas: Iterable<Area>,
  coverage: Iterable<Coverage>
): Result.Result<Geography, Violation.RuleViolations> => {
  const violations: Array<Violation.Violation> = []
  const weights = new Map<string, number>()
  const order: Array<string> = []
  for (const area of areas) {
    const weight = area.weight ?? defaultWeight
    if (!Number.isFinite(weight) || weight < 0) {
      violations.push(
        Violation.make(
          "geography/invalid-weight",
          `area ${area.code} has weight ${String(weight)}; a weight must be a finite number of at least 0`
        )
      )
    }
    if (weights.has(area.code)) {
      violations.push(Violation.make("geography/duplicate-area", `area ${area.code} is listed more than once`))
      continue
    }
    weights.set(area.code, weight)
    order.push(area.code)
  }

  const health = new Map<string, Array<Coverage>>()
  const council = new Map<string, Array<Coverage>>()
  const byBody = new Map<string, Array<Coverage>>()
  const roleOf = new Map<string, Coverage>()
  const conflicting = new Set<string>()
  for (const c of coverage) {
    if (!weights.has(c.area)) {
      violations.push(
        Violation.make(
          "geography/unknown-area",
          `${c.body} covers area ${c.area} during ${Period.format(c.period)}, but no such area is listed`,
          { bodies: [c.body], dates: periodDates(c.period) }
        )
      )
      continue
    }
    const first = roleOf.get(c.body)
    if (first === undefined) roleOf.set(c.body, c)
    else if (first.role !== c.role && !conflicting.has(c.body)) {
      conflicting.add(c.body)
      violations.push(
        Violation.make(
          "geography/conflicting-role",
          `${c.body} covers area ${first.area} as ${first.role} and area ${c.area} as ${c.role}; a body has one role`,
          { bodies: [c.body], dates: [...periodDates(first.period), ...periodDates(c.period)] }
        )
      )
    }
    push(c.role === "health" ? health : council, c.area, c)
    push(byBody, c.body, c)
  }

  for (const [area, records] of health) overlapsWithin("health", area, records, violations)
  for (const [area, records] of council) overlapsWithin("council", area, records, violations)

  if (violations.length > 0) {
    return Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
  }
  const entries = order.map((code): AreaEntry => ({
    code,
    weight: weights.get(code) ?? defaultWeight,
    health: health.get(code) ?? [],
    council: council.get(code) ?? []
  }))
  return Result.succeed({ areas: entries, byArea: new Map(entries.map((e) => [e.code, e])), byBody })
}

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

const inForce = (records: ReadonlyArray<Coverage>, date: CalendarDate.CalendarDate): Coverage | undefined =>
  records.find((c) => Period.contains(c.period, date))

/**
 * The areas held on `date` by exactly one health body and one council, with their weights, in the order the
 * areas were given: the input of `Coterminosity.report`. Areas missing either side on that date are left out.
 *
 * @category queries
 * @since 0.1.0
 */
export const assignmentsAt = (
  geography: Geography,
  date: CalendarDate.CalendarDate
): ReadonlyArray<Coterminosity.Assignment> => {
  const out: Array<Coterminosity.Assignment> = []
  for (const area of geography.areas) {
    const h = inForce(area.health, date)
    if (h === undefined) continue
    const c = inForce(area.council, date)
    if (c === undefined) continue
    out.push({ area: area.code, weight: area.weight, health: h.body, council: c.body })
  }
  return out
}

/**
 * The codes of the areas `body` covers on `date`, sorted.
 *
 * @category queries
 * @since 0.1.0
 */
export const areasOf = (geography: Geography, body: string, date: CalendarDate.CalendarDate): ReadonlyArray<string> => {
  const codes = new Set<string>()
  for (const c of geography.byBody.get(body) ?? []) if (Period.contains(c.period, date)) codes.add(c.area)
  return [...codes].sort()
}

/**
 * The weight of an area, or `undefined` when it is not listed.
 *
 * @category queries
 * @since 0.1.0
 */
export const weightOf = (geography: Geography, area: string): number | undefined =>
  geography.byArea.get(area)?.weight
