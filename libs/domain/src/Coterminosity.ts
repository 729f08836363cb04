/**
 * Coterminosity of health bodies with councils (DOMAIN.md §2): from the small areas each pair shares, whether a
 * health body is coterminous with one council, the union of several, within one, or crossing boundaries. Computed
 * in one pass over the areas, so a whole-country lookup costs time linear in the number of areas.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * How a health body's boundary relates to the councils it touches.
 *
 * - `coterminous`: exactly one council, and both hold the same areas (both shares whole);
 * - `union`: two or more councils, each held whole (City and Hackney);
 * - `within`: one council, held only in part (Central London CCG within Westminster);
 * - `crossing`: anything else (West London CCG: all of Kensington & Chelsea plus part of Westminster).
 *
 * @category models
 * @since 0.1.0
 */
export type Relation = "coterminous" | "union" | "within" | "crossing"

/**
 * One small area (usually an LSOA) with its weight (population, or 1) and the health body and council holding
 * it. A collection of assignments lists each area at most once.
 *
 * @category models
 * @since 0.1.0
 */
export interface Assignment {
  readonly area: string
  readonly weight: number
  readonly health: string
  readonly council: string
}

/**
 * What a health body H shares with one council C: the number of shared areas, their weight w(H∩C),
 * `shareOfBody` = w(H∩C)/w(H) and `shareOfCouncil` = w(H∩C)/w(C), where w(C) is the council's whole weight over
 * all health bodies.
 *
 * @category models
 * @since 0.1.0
 */
export interface CouncilShare {
  readonly council: string
  readonly areas: number
  readonly weight: number
  readonly shareOfBody: number
  readonly shareOfCouncil: number
}

/**
 * A health body's relation, its number of areas and total weight, and its share with each council it touches
 * (sorted by council code).
 *
 * @category models
 * @since 0.1.0
 */
export interface BodyRelation {
  readonly body: string
  readonly relation: Relation
  readonly areas: number
  readonly weight: number
  readonly councils: ReadonlyArray<CouncilShare>
}

/**
 * How many health bodies have each relation.
 *
 * @category models
 * @since 0.1.0
 */
export interface Summary {
  readonly coterminous: number
  readonly union: number
  readonly within: number
  readonly crossing: number
}

/**
 * Every health body's relation (sorted by body code) with the summary counts.
 *
 * @category models
 * @since 0.1.0
 */
export interface Report {
  readonly bodies: ReadonlyArray<BodyRelation>
  readonly summary: Summary
}

/**
 * `tolerance`: a share of at least `1 - tolerance` counts as whole (default 0, exact). It must be a valid
 * `Tolerance`; decode untrusted input with that schema first.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly tolerance?: number
}

/**
 * A valid tolerance: a number `t` with `0 <= t < 1` (NaN and infinities are rejected). A tolerance of 1 or more
 * would make every share "whole", so it is refused rather than clamped.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Tolerance = Schema.Number.pipe(
  Schema.check(
    Schema.isBetween(
      { minimum: 0, maximum: 1, exclusiveMaximum: true },
      { expected: "a tolerance t with 0 <= t < 1" }
    )
  )
)

/**
 * @category predicates
 * @since 0.1.0
 */
export const isTolerance: (u: unknown) => u is number = Schema.is(Tolerance)

/**
 * The default tolerance: shares must be exactly whole.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultTolerance = 0

// ---------------------------------------------------------------------------------------------------------
// classification
// ---------------------------------------------------------------------------------------------------------

/**
 * Classifies a health body from its shares with the councils it touches, where a share of at least
 * `1 - tolerance` is whole. An empty list (a body touching no council) is `crossing`, "anything else".
 *
 * @category classification
 * @since 0.1.0
 */
export const classify = (councils: ReadonlyArray<CouncilShare>, tolerance: number): Relation => {
  const whole = (share: number): boolean => share >= 1 - tolerance
  if (councils.length === 1) {
    const only = councils[0] as CouncilShare
    if (!whole(only.shareOfBody)) return "crossing"
    return whole(only.shareOfCouncil) ? "coterminous" : "within"
  }
  if (councils.length >= 2 && councils.every((c) => whole(c.shareOfCouncil))) return "union"
  return "crossing"
}

// ---------------------------------------------------------------------------------------------------------
// computation
// ---------------------------------------------------------------------------------------------------------

interface Tally {
  areas: number
  weight: number
}

const add = (map: Map<string, Tally>, key: string, weight: number): void => {
  const tally = map.get(key)
  if (tally === undefined) map.set(key, { areas: 1, weight })
  else {
    tally.areas += 1
    tally.weight += weight
  }
}

const byKey = <A>(key: (a: A) => string) => (a: A, b: A): number => {
  const x = key(a)
  const y = key(b)
  return x < y ? -1 : x > y ? 1 : 0
}

// A share of nothing: when every area involved weighs 0, fall back to the share of areas by count, so a body
// made only of weightless areas is still classified by its boundary.
const share = (part: Tally, whole: Tally): number =>
  whole.weight > 0 ? part.weight / whole.weight : whole.areas > 0 ? part.areas / whole.areas : 0

const relationFor = (
  body: string,
  total: Tally,
  shared: ReadonlyMap<string, Tally>,
  councilTotals: ReadonlyMap<string, Tally>,
  tolerance: number
): BodyRelation => {
  const councils: Array<CouncilShare> = []
  for (const [council, tally] of shared) {
    const councilTotal = councilTotals.get(council) ?? tally
    councils.push({
      council,
      areas: tally.areas,
      weight: tally.weight,
      shareOfBody: share(tally, total),
      shareOfCouncil: share(tally, councilTotal)
    })
  }
  councils.sort(byKey((c) => c.council))
  return { body, relation: classify(councils, tolerance), areas: total.areas, weight: total.weight, councils }
}

/**
 * The relation of every health body in the assignments to the councils, with summary counts. One pass
 * accumulates w(H), w(C) and w(H∩C) into maps; the cost is linear in the number of assignments (plus sorting
 * the bodies and their councils). Expects a valid `Tolerance` in `options`; each area listed at most once.
 *
 * @category computation
 * @since 0.1.0
 */
export const report = (assignments: Iterable<Assignment>, options?: Options): Report => {
  const tolerance = options?.tolerance ?? defaultTolerance
  const bodyTotals = new Map<string, Tally>()
  const councilTotals = new Map<string, Tally>()
  const shared = new Map<string, Map<string, Tally>>()
  for (const a of assignments) {
    add(bodyTotals, a.health, a.weight)
    add(councilTotals, a.council, a.weight)
    let byCouncil = shared.get(a.health)
    if (byCouncil === undefined) {
      byCouncil = new Map()
      shared.set(a.health, byCouncil)
    }
    add(byCouncil, a.council, a.weight)
  }
  const bodies: Array<BodyRelation> = []
  const summary = { coterminous: 0, union: 0, within: 0, crossing: 0 }
  for (const [body, total] of bodyTotals) {
    const relation = relationFor(body, total, shared.get(body) ?? new Map(), councilTotals, tolerance)
    summary[relation.relation] += 1
    bodies.push(relation)
  }
  bodies.sort(byKey((b) => b.body))
  return { bodies, summary }
}

/**
 * The relation of one health body, or `undefined` when no assignment names it. Still one pass over all the
 * assignments, because a council's whole weight counts the areas it shares with other bodies.
 *
 * @category computation
 * @since 0.1.0
 */
export const relationOf = (assignments: Iterable<Assignment>, body: string, options?: Options): BodyRelation | undefined => {
  const tolerance = options?.tolerance ?? defaultTolerance
  const councilTotals = new Map<string, Tally>()
  const shared = new Map<string, Tally>()
  let total: Tally | undefined
  for (const a of assignments) {
    add(councilTotals, a.council, a.weight)
    if (a.health !== body) continue
    add(shared, a.council, a.weight)
    if (total === undefined) total = { areas: 1, weight: a.weight }
    else {
      total.areas += 1
      total.weight += a.weight
    }
  }
  return total === undefined ? undefined : relationFor(body, total, shared, councilTotals, tolerance)
}
