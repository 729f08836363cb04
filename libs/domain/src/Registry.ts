/**
 * The organisation registry: bodies, their relationships and successions, validated together and indexed so
 * every question can be asked "as at" a date (DOMAIN.md §1). The answer for 2010-07-15 and for 2016-04-01 come
 * from the same data.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type * as BodyKind from "./BodyKind.ts"
import type * as CalendarDate from "./CalendarDate.ts"
import type * as Organisation from "./Organisation.ts"
import * as Period from "./Period.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * A validated registry. Its fields are indexes for this module's queries; read it through the functions here.
 *
 * @category models
 * @since 0.1.0
 */
export interface Registry {
  /** Bodies sorted by code. */
  readonly all: ReadonlyArray<Organisation.Body>
  readonly byCode: ReadonlyMap<string, Organisation.Body>
  readonly byOds: ReadonlyMap<string, Organisation.Body>
  readonly byGss: ReadonlyMap<string, Organisation.Body>
  /** Relationships by the code of either end, in the order given. */
  readonly relationshipsByBody: ReadonlyMap<string, ReadonlyArray<Organisation.Relationship>>
  readonly relationshipsFrom: ReadonlyMap<string, ReadonlyArray<Organisation.Relationship>>
  readonly relationshipsTo: ReadonlyMap<string, ReadonlyArray<Organisation.Relationship>>
  readonly successionsFrom: ReadonlyMap<string, ReadonlyArray<Organisation.Succession>>
  readonly successionsTo: ReadonlyMap<string, ReadonlyArray<Organisation.Succession>>
}

// ---------------------------------------------------------------------------------------------------------
// internals
// ---------------------------------------------------------------------------------------------------------

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const sortByCode = (bodies: Iterable<Organisation.Body>): Array<Organisation.Body> =>
  [...bodies].sort((a, b) => compareText(a.code, b.code))

const push = <V>(map: Map<string, Array<V>>, key: string, value: V): void => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

const periodDates = (period: Period.Period): Array<string> =>
  period.closed === undefined ? [period.opened] : [period.opened, period.closed]

const describe = (body: Organisation.Body): string => `${body.code} (${body.name}) ${Period.format(body.period)}`

/**
 * Strongly connected components (Tarjan, iterative so long chains cannot overflow the stack). Returns the
 * components that contain a cycle: two or more nodes, or one node with an edge to itself.
 */
const cyclicComponents = (
  nodes: Iterable<string>,
  next: (node: string) => ReadonlyArray<string>
): Array<Array<string>> => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: Array<string> = []
  const found: Array<Array<string>> = []
  let counter = 0
  for (const root of nodes) {
    if (index.has(root)) continue
    const work: Array<{ node: string; edges: ReadonlyArray<string>; i: number }> = []
    const open = (node: string): void => {
      index.set(node, counter)
      low.set(node, counter)
      counter += 1
      stack.push(node)
      onStack.add(node)
      work.push({ node, edges: next(node), i: 0 })
    }
    open(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edges: ReadonlyArray<string>; i: number }
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i] as string
        frame.i += 1
        if (!index.has(to)) open(to)
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0))
      if (low.get(frame.node) !== index.get(frame.node)) continue
      const component: Array<string> = []
      for (;;) {
        const member = stack.pop() as string
        onStack.delete(member)
        component.push(member)
        if (member === frame.node) break
      }
      if (component.length > 1 || frame.edges.includes(frame.node)) found.push(component.sort(compareText))
    }
  }
  return found
}

const checkCodes = (data: Organisation.OrganisationData, out: Array<Violation.Violation>): void => {
  const byCode = new Map<string, Array<Organisation.Body>>()
  const byOds = new Map<string, Array<Organisation.Body>>()
  const byGss = new Map<string, Array<Organisation.Body>>()
  for (const body of data.bodies) {
    push(byCode, body.code, body)
    if (body.odsCode !== undefined) push(byOds, body.odsCode, body)
    if (body.gssCode !== undefined) push(byGss, body.gssCode, body)
  }
  // `minCodes`: a register code repeated only by records of one hub code is already a duplicate code.
  const report = (rule: string, label: string, groups: Map<string, Array<Organisation.Body>>, minCodes: number): void => {
    for (const [code, bodies] of groups) {
      const distinct = [...new Set(bodies.map((b) => b.code))]
      if (bodies.length < 2 || distinct.length < minCodes) continue
      out.push(
        Violation.make(rule, `${label} ${code} is used by ${bodies.length} bodies: ${bodies.map(describe).join(", ")}`, {
          bodies: distinct,
          dates: bodies.map((b) => b.period.opened)
        })
      )
    }
  }
  report("registry/duplicate-code", "code", byCode, 1)
  report("registry/duplicate-ods-code", "ODS code", byOds, 2)
  report("registry/duplicate-gss-code", "GSS code", byGss, 2)
}

const checkRelationships = (
  data: Organisation.OrganisationData,
  byCode: ReadonlyMap<string, Organisation.Body>,
  out: Array<Violation.Violation>
): void => {
  for (const r of data.relationships) {
    const what = `${r.from} ${r.type} ${r.to} during ${Period.format(r.period)}`
    const unknown = [r.from, r.to].filter((code, i, all) => !byCode.has(code) && all.indexOf(code) === i)
    if (unknown.length > 0) {
      out.push(
        Violation.make("registry/relationship-unknown-body", `${what} names no known body ${unknown.join(" or ")}`, {
          bodies: [r.from, r.to],
          dates: periodDates(r.period)
        })
      )
      continue
    }
    if (r.from === r.to) {
      out.push(
        r.type === "member-of"
          ? Violation.make("registry/membership-cycle", `${r.from} is a member of itself during ${Period.format(r.period)}`, {
            bodies: [r.from],
            dates: periodDates(r.period)
          })
          : Violation.make("registry/self-relationship", `${what}: a body cannot be related to itself`, {
            bodies: [r.from],
            dates: periodDates(r.period)
          })
      )
      continue
    }
    for (const code of [r.from, r.to]) {
      const body = byCode.get(code) as Organisation.Body
      if (Period.covers(body.period, r.period)) continue
      out.push(
        Violation.make(
          "registry/relationship-outside-period",
          `${what} falls outside the operational period of ${describe(body)}`,
          { bodies: [r.from, r.to], dates: [...periodDates(r.period), ...periodDates(body.period)] }
        )
      )
    }
  }
}

const checkSuccessions = (
  data: Organisation.OrganisationData,
  byCode: ReadonlyMap<string, Organisation.Body>,
  out: Array<Violation.Violation>
): void => {
  for (const s of data.successions) {
    const what = `${s.predecessor} succeeded by ${s.successor} (${s.type}) on ${s.date}`
    const unknown = [s.predecessor, s.successor].filter((code, i, all) => !byCode.has(code) && all.indexOf(code) === i)
    if (unknown.length > 0) {
      out.push(
        Violation.make("registry/succession-unknown-body", `${what} names no known body ${unknown.join(" or ")}`, {
          bodies: [s.predecessor, s.successor],
          dates: [s.date]
        })
      )
      continue
    }
    const predecessor = byCode.get(s.predecessor) as Organisation.Body
    const successor = byCode.get(s.successor) as Organisation.Body
    if (predecessor.period.closed === undefined || predecessor.period.closed > s.date) {
      out.push(
        Violation.make(
          "registry/succession-overlap",
          `${what}, but the predecessor ${describe(predecessor)} is still operational on or after that date`,
          { bodies: [s.predecessor, s.successor], dates: [s.date, ...periodDates(predecessor.period)] }
        )
      )
    }
    if (!Period.contains(successor.period, s.date)) {
      out.push(
        Violation.make(
          "registry/succession-successor-not-operational",
          `${what}, but the successor ${describe(successor)} is not operational on that date`,
          { bodies: [s.predecessor, s.successor], dates: [s.date, ...periodDates(successor.period)] }
        )
      )
    }
  }
}

const checkSuccessionCycles = (
  successionsFrom: ReadonlyMap<string, ReadonlyArray<Organisation.Succession>>,
  out: Array<Violation.Violation>
): void => {
  const next = (code: string): ReadonlyArray<string> => (successionsFrom.get(code) ?? []).map((s) => s.successor)
  for (const component of cyclicComponents(successionsFrom.keys(), next)) {
    const members = new Set(component)
    const dates = new Set<string>()
    for (const code of component) {
      for (const s of successionsFrom.get(code) ?? []) if (members.has(s.successor)) dates.add(s.date)
    }
    out.push(
      Violation.make(
        "registry/succession-cycle",
        `successions form a cycle: ${component.join(", ")} each (indirectly) succeed one another`,
        { bodies: component, dates: [...dates].sort(compareText) }
      )
    )
  }
}

// A member-of cycle only matters if every link is in force at once. The links' periods then share a first day,
// the latest opening date among them, so checking the graph in force on each opening date finds every cycle.
// Only links inside a cycle of the timeless graph can take part, which keeps the usual case linear.
const checkMembershipCycles = (
  memberships: ReadonlyArray<Organisation.Relationship>,
  out: Array<Violation.Violation>
): void => {
  const timeless = new Map<string, Array<string>>()
  for (const r of memberships) push(timeless, r.from, r.to)
  const components = cyclicComponents(timeless.keys(), (code) => timeless.get(code) ?? [])
  const reported = new Set<string>()
  for (const component of components) {
    const members = new Set(component)
    const links = memberships.filter((r) => members.has(r.from) && members.has(r.to))
    const openings = [...new Set(links.map((r) => r.period.opened))].sort(compareText)
    for (const date of openings) {
      const active = new Map<string, Array<string>>()
      for (const r of links) if (Period.contains(r.period, date)) push(active, r.from, r.to)
      for (const cycle of cyclicComponents(active.keys(), (code) => active.get(code) ?? [])) {
        const key = cycle.join(" ")
        if (reported.has(key)) continue
        reported.add(key)
        out.push(
          Violation.make(
            "registry/membership-cycle",
            `member-of forms a cycle on ${date}: ${cycle.join(", ")} are (indirectly) members of one another`,
            { bodies: cycle, dates: [date] }
          )
        )
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * Validates the data and builds the registry, reporting every problem at once as `RuleViolations`:
 * `registry/duplicate-code`, `registry/duplicate-ods-code`, `registry/duplicate-gss-code`,
 * `registry/relationship-unknown-body`, `registry/relationship-outside-period` (the relationship's period is not
 * within both bodies' periods), `registry/self-relationship`, `registry/succession-unknown-body`,
 * `registry/succession-overlap` (the predecessor is still operational on or after the succession date),
 * `registry/succession-successor-not-operational`, `registry/succession-cycle` and `registry/membership-cycle`
 * (member-of links in force at the same time forming a cycle).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (data: Organisation.OrganisationData): Result.Result<Registry, Violation.RuleViolations> => {
  const violations: Array<Violation.Violation> = []
  checkCodes(data, violations)

  const byCode = new Map<string, Organisation.Body>()
  const byOds = new Map<string, Organisation.Body>()
  const byGss = new Map<string, Organisation.Body>()
  for (const body of data.bodies) {
    if (!byCode.has(body.code)) byCode.set(body.code, body)
    if (body.odsCode !== undefined && !byOds.has(body.odsCode)) byOds.set(body.odsCode, body)
    if (body.gssCode !== undefined && !byGss.has(body.gssCode)) byGss.set(body.gssCode, body)
  }

  checkRelationships(data, byCode, violations)
  checkSuccessions(data, byCode, violations)

  const relationshipsByBody = new Map<string, Array<Organisation.Relationship>>()
  const relationshipsFrom = new Map<string, Array<Organisation.Relationship>>()
  const relationshipsTo = new Map<string, Array<Organisation.Relationship>>()
  const memberships: Array<Organisation.Relationship> = []
  for (const r of data.relationships) {
    push(relationshipsByBody, r.from, r)
    if (r.to !== r.from) push(relationshipsByBody, r.to, r)
    push(relationshipsFrom, r.from, r)
    push(relationshipsTo, r.to, r)
    if (r.type === "member-of" && r.from !== r.to && byCode.has(r.from) && byCode.has(r.to)) memberships.push(r)
  }
  const successionsFrom = new Map<string, Array<Organisation.Succession>>()
  const successionsTo = new Map<string, Array<Organisation.Succession>>()
  for (const s of data.successions) {
    push(successionsFrom, s.predecessor, s)
    push(successionsTo, s.successor, s)
  }
  for (const list of successionsFrom.values()) list.sort((a, b) => compareText(a.date, b.date))
  for (const list of successionsTo.values()) list.sort((a, b) => compareText(a.date, b.date))

  checkSuccessionCycles(successionsFrom, violations)
  checkMembershipCycles(memberships, violations)

  if (violations.length > 0) {
    return Result.fail(
      new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] })
    )
  }
  return Result.succeed({
    all: sortByCode(byCode.values()),
    byCode,
    byOds,
    byGss,
    relationshipsByBody,
    relationshipsFrom,
    relationshipsTo,
    successionsFrom,
    successionsTo
  })
}

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

/**
 * Every body, sorted by code.
 *
 * @category queries
 * @since 0.1.0
 */
export const bodies = (registry: Registry): ReadonlyArray<Organisation.Body> => registry.all

/**
 * The body with a hub code, whatever its period.
 *
 * @category queries
 * @since 0.1.0
 */
export const get = (registry: Registry, code: string): Organisation.Body | undefined => registry.byCode.get(code)

/**
 * The body registered under an ODS code.
 *
 * @category queries
 * @since 0.1.0
 */
export const findByOdsCode = (registry: Registry, ods: string): Organisation.Body | undefined => registry.byOds.get(ods)

/**
 * The body registered under a GSS code.
 *
 * @category queries
 * @since 0.1.0
 */
export const findByGssCode = (registry: Registry, gss: string): Organisation.Body | undefined => registry.byGss.get(gss)

/**
 * The bodies operational on `date`, optionally only those of one kind, sorted by code.
 *
 * @category queries
 * @since 0.1.0
 */
export const operationalAt = (
  registry: Registry,
  date: CalendarDate.CalendarDate,
  options?: { readonly kind?: BodyKind.BodyKind }
): ReadonlyArray<Organisation.Body> => {
  const kind = options?.kind
  return registry.all.filter((b) => (kind === undefined || b.kind === kind) && Period.contains(b.period, date))
}

/**
 * Whether the body with `code` is operational on `date` (false for an unknown code).
 *
 * @category queries
 * @since 0.1.0
 */
export const isOperational = (registry: Registry, code: string, date: CalendarDate.CalendarDate): boolean => {
  const body = registry.byCode.get(code)
  return body !== undefined && Period.contains(body.period, date)
}

const endsAt = (
  relationships: ReadonlyArray<Organisation.Relationship> | undefined,
  type: Organisation.RelationshipType,
  date: CalendarDate.CalendarDate,
  end: (r: Organisation.Relationship) => string,
  registry: Registry
): ReadonlyArray<Organisation.Body> => {
  const found = new Map<string, Organisation.Body>()
  for (const r of relationships ?? []) {
    if (r.type !== type || !Period.contains(r.period, date)) continue
    const body = registry.byCode.get(end(r))
    if (body !== undefined) found.set(body.code, body)
  }
  return sortByCode(found.values())
}

/**
 * The members of `group` on `date` (bodies with a member-of relationship to it in force then), sorted by code.
 *
 * @category queries
 * @since 0.1.0
 */
export const membersAt = (registry: Registry, group: string, date: CalendarDate.CalendarDate): ReadonlyArray<Organisation.Body> =>
  endsAt(registry.relationshipsTo.get(group), "member-of", date, (r) => r.from, registry)

/**
 * The bodies `code` is related to on `date` by relationships of `type` (default `member-of`: the groups it
 * belongs to; `hosted-by`: its host; `nominated-to`: where it is represented), sorted by code.
 *
 * @category queries
 * @since 0.1.0
 */
export const groupsOf = (
  registry: Registry,
  code: string,
  date: CalendarDate.CalendarDate,
  type: Organisation.RelationshipType = "member-of"
): ReadonlyArray<Organisation.Body> => endsAt(registry.relationshipsFrom.get(code), type, date, (r) => r.to, registry)

/**
 * Every relationship with `code` at either end, in the order given, whatever its period.
 *
 * @category queries
 * @since 0.1.0
 */
export const relationshipsOf = (registry: Registry, code: string): ReadonlyArray<Organisation.Relationship> =>
  registry.relationshipsByBody.get(code) ?? []

/**
 * The bodies that carry `code`'s population on `date`, sorted by code: the body itself when operational then;
 * when it has closed, the successors it passed to on or before `date`, followed forward through later
 * successions (merger, split, rename) to those operational on `date`; nothing when `date` is before it opened,
 * or when it closed without a successor.
 *
 * @category queries
 * @since 0.1.0
 */
export const successorsAt = (
  registry: Registry,
  code: string,
  date: CalendarDate.CalendarDate
): ReadonlyArray<Organisation.Body> => {
  const found = new Map<string, Organisation.Body>()
  const seen = new Set<string>([code])
  const pending = [code]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const body = registry.byCode.get(next)
    if (body === undefined || date < body.period.opened) continue
    if (Period.contains(body.period, date)) {
      found.set(body.code, body)
      continue
    }
    for (const s of registry.successionsFrom.get(next) ?? []) {
      if (s.date > date || seen.has(s.successor)) continue
      seen.add(s.successor)
      pending.push(s.successor)
    }
  }
  return sortByCode(found.values())
}

/**
 * Every body `code` descends from through successions, directly or through a chain, sorted by code.
 *
 * @category queries
 * @since 0.1.0
 */
export const predecessorsOf = (registry: Registry, code: string): ReadonlyArray<Organisation.Body> => {
  const found = new Map<string, Organisation.Body>()
  const seen = new Set<string>([code])
  const pending = [code]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const s of registry.successionsTo.get(next) ?? []) {
      if (seen.has(s.predecessor)) continue
      seen.add(s.predecessor)
      pending.push(s.predecessor)
      const body = registry.byCode.get(s.predecessor)
      if (body !== undefined) found.set(body.code, body)
    }
  }
  return sortByCode(found.values())
}

/**
 * The succession records `code` takes part in, as predecessor or successor, in date order.
 *
 * @category queries
 * @since 0.1.0
 */
export const successionsOf = (registry: Registry, code: string): ReadonlyArray<Organisation.Succession> =>
  [...(registry.successionsTo.get(code) ?? []), ...(registry.successionsFrom.get(code) ?? [])]
    .filter((s, i, all) => all.indexOf(s) === i)
    .sort((a, b) => compareText(a.date, b.date))
