/**
 * The rules a set of delegations and holdings must keep (DOMAIN.md §3), checked against the organisation
 * registry. Every violation found is reported, each naming the rule, the bodies, the dates and, where the rule
 * comes from a board paper, the paper and paragraph.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import * as BodyKind from "./BodyKind.ts"
import * as CalendarDate from "./CalendarDate.ts"
import * as Delegation from "./Delegation.ts"
import * as FinancialYear from "./FinancialYear.ts"
import type * as Organisation from "./Organisation.ts"
import * as Period from "./Period.ts"
import * as Registry from "./Registry.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * What the rules check and resolution reads: the delegations and, optionally, the holdings of statutory
 * responsibility they start from.
 *
 * @category models
 * @since 0.1.0
 */
export interface DelegationData {
  readonly delegations: ReadonlyArray<Delegation.Delegation>
  readonly holdings?: ReadonlyArray<Delegation.Holding>
}

/**
 * The rule identifiers this module reports, with the paper each comes from where it comes from one.
 *
 * @category constants
 * @since 0.1.0
 */
export const rules = {
  duplicateId: { rule: "delegation/duplicate-id" },
  unknownBody: { rule: "delegation/unknown-body" },
  notOperational: { rule: "delegation/party-not-operational" },
  supportBody: { rule: "delegation/support-body", source: "london-2006 §3.2" },
  cycle: { rule: "delegation/cycle" },
  overlap: { rule: "delegation/overlap" },
  levelMissing: { rule: "delegation/level-missing", source: "southwark-2015 §15" },
  levelNotApplicable: { rule: "delegation/level-not-applicable", source: "southwark-2015 §15" },
  levelChangeDate: { rule: "delegation/level-change-date", source: "southwark-2015 §16" },
  levelJump: { rule: "delegation/level-jump", source: "southwark-2015 §16" },
  statutoryResponsibility: { rule: "delegation/statutory-responsibility", source: "southwark-2015 §14" },
  holdingOverlap: { rule: "delegation/holding-overlap", source: "southwark-2015 §14" }
} as const

// ---------------------------------------------------------------------------------------------------------
// internals
// ---------------------------------------------------------------------------------------------------------

const periodDates = (period: Period.Period): Array<string> =>
  period.closed === undefined ? [period.opened] : [period.opened, period.closed]

const unique = (codes: Iterable<string>): Array<string> => [...new Set(codes)].sort()

const partiesOf = (d: Delegation.Delegation): Array<string> => unique([d.delegator, ...Delegation.delegateBodies(d.delegate)])

/** Whether `b` continues a chain from `a` (b's delegator is one of a's delegate bodies) or the reverse. */
const chainLinked = (a: Delegation.Delegation, b: Delegation.Delegation): boolean =>
  Delegation.delegateBodies(a.delegate).includes(b.delegator) ||
  Delegation.delegateBodies(b.delegate).includes(a.delegator)

const checkIds = (data: DelegationData, out: Array<Violation.Violation>): void => {
  const byId = new Map<string, Array<Delegation.Delegation>>()
  for (const d of data.delegations) byId.set(d.id, [...(byId.get(d.id) ?? []), d])
  for (const [id, ds] of byId) {
    if (ds.length > 1) {
      out.push(
        Violation.make(rules.duplicateId.rule, `delegation id ${id} is used by ${ds.length} records: ${ds.map(Delegation.describe).join("; ")}`, {
          bodies: unique(ds.flatMap(partiesOf))
        })
      )
    }
  }
}

const checkParty = (
  registry: Registry.Registry,
  code: string,
  role: string,
  period: Period.Period,
  what: string,
  out: Array<Violation.Violation>
): Organisation.Body | undefined => {
  const body = Registry.get(registry, code)
  if (body === undefined) {
    out.push(Violation.make(rules.unknownBody.rule, `${what}: the ${role} ${code} is not in the registry`, {
      bodies: [code],
      dates: periodDates(period)
    }))
  } else if (!Period.covers(body.period, period)) {
    out.push(
      Violation.make(
        rules.notOperational.rule,
        `${what}: the ${role} ${code} (${body.name}) is operational ${Period.format(body.period)}, not for the whole of ${Period.format(period)}`,
        { bodies: [code], dates: unique([...periodDates(period), ...periodDates(body.period)]) }
      )
    )
  }
  return body
}

const checkParties = (registry: Registry.Registry, data: DelegationData, out: Array<Violation.Violation>): void => {
  for (const d of data.delegations) {
    const what = Delegation.describe(d)
    checkParty(registry, d.delegator, "delegator", d.period, what, out)
    for (const code of Delegation.delegateBodies(d.delegate)) {
      const body = checkParty(registry, code, "delegate", d.period, what, out)
      if (body !== undefined && Delegation.functionInfo[d.function].decisionMaking && !BodyKind.info[body.kind].decisionMaking) {
        out.push(
          Violation.make(
            rules.supportBody.rule,
            `${what}: ${code} (${body.name}) is a ${BodyKind.info[body.kind].label}, a support body that may not receive the decision-making function ${d.function}`,
            { bodies: [code, d.delegator], dates: periodDates(d.period), source: rules.supportBody.source }
          )
        )
      }
    }
  }
  for (const h of data.holdings ?? []) {
    checkParty(registry, h.holder, "holder", h.period, `holding of ${h.function} by ${h.holder} ${Period.format(h.period)}`, out)
  }
}

/** Strongly connected groups of a small directed graph, by mutual reachability. */
const cyclicGroups = (edges: ReadonlyArray<readonly [string, string]>): Array<Array<string>> => {
  const next = new Map<string, Set<string>>()
  for (const [from, to] of edges) next.set(from, (next.get(from) ?? new Set()).add(to))
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>()
    const pending = [...(next.get(start) ?? [])]
    for (let n = pending.pop(); n !== undefined; n = pending.pop()) {
      if (seen.has(n)) continue
      seen.add(n)
      pending.push(...(next.get(n) ?? []))
    }
    return seen
  }
  const reachable = new Map([...next.keys()].map((n) => [n, reach(n)] as const))
  const groups = new Map<string, Array<string>>()
  for (const [n, r] of reachable) {
    if (!r.has(n)) continue
    const group = [...r].filter((m) => reachable.get(m)?.has(n) === true).sort()
    groups.set(group.join(","), group)
  }
  return [...groups.values()]
}

const checkCycles = (data: DelegationData, out: Array<Violation.Violation>): void => {
  const reported = new Set<string>()
  const byFunction = new Map<string, Array<Delegation.Delegation>>()
  for (const d of data.delegations) byFunction.set(d.function, [...(byFunction.get(d.function) ?? []), d])
  for (const [fn, ds] of byFunction) {
    const populations = unique(ds.flatMap((d) => d.population))
    const dates = unique(ds.map((d) => d.period.opened)) as Array<CalendarDate.CalendarDate>
    // The set of delegations in force changes only on opening and closing dates, and any set in force on some
    // day is also in force on the latest opening date among them, so checking every opening date finds every cycle.
    for (const population of populations) {
      for (const date of dates) {
        const active = ds.filter((d) => Delegation.covers(d, population) && Period.contains(d.period, date))
        const edges = active.flatMap((d) =>
          Delegation.delegateBodies(d.delegate)
            // A delegator taking part in a joint arrangement it set up is not a cycle; delegating to itself is.
            .filter((to) => d.delegate._tag === "Body" || to !== d.delegator)
            .map((to) => [d.delegator, to] as const)
        )
        for (const group of cyclicGroups(edges)) {
          const involved = active.filter(
            (d) => group.includes(d.delegator) && Delegation.delegateBodies(d.delegate).some((b) => group.includes(b))
          )
          const key = `${fn}|${involved.map((d) => d.id).sort().join(",")}`
          if (reported.has(key)) continue
          reported.add(key)
          out.push(
            Violation.make(
              rules.cycle.rule,
              `${fn} for ${population} on ${date} comes back to where it started through ${group.join(" -> ")}: ${involved.map(Delegation.describe).join("; ")}`,
              { bodies: group, dates: [date] }
            )
          )
        }
      }
    }
  }
}

const checkOverlaps = (data: DelegationData, out: Array<Violation.Violation>): void => {
  const ds = data.delegations
  for (let i = 0; i < ds.length; i++) {
    for (let j = i + 1; j < ds.length; j++) {
      const a = ds[i]!
      const b = ds[j]!
      if (a.function !== b.function || !Delegation.sharePopulation(a, b) || chainLinked(a, b)) continue
      const shared = Period.intersection(a.period, b.period)
      if (shared === undefined) continue
      const population = a.population.filter((p) => b.population.includes(p))
      out.push(
        Violation.make(
          rules.overlap.rule,
          `two delegations of ${a.function} for ${population.join(", ")} are in force together during ${Period.format(shared)}: ${Delegation.describe(a)} and ${Delegation.describe(b)}`,
          { bodies: unique([...partiesOf(a), ...partiesOf(b)]), dates: periodDates(shared) }
        )
      )
    }
  }
}

const checkLevels = (data: DelegationData, out: Array<Violation.Violation>): void => {
  const coCommissioning: Array<Delegation.Delegation> = []
  for (const d of data.delegations) {
    if (d.function === "primary-care-commissioning") {
      if (d.level === undefined) {
        out.push(
          Violation.make(rules.levelMissing.rule, `${Delegation.describe(d)}: primary care co-commissioning must state its level (greater-involvement, joint or delegated)`, {
            bodies: partiesOf(d),
            dates: periodDates(d.period),
            source: rules.levelMissing.source
          })
        )
        continue
      }
      coCommissioning.push(d)
      const offDates = periodDates(d.period).filter((date) => !FinancialYear.isFirstDay(date as CalendarDate.CalendarDate))
      if (offDates.length > 0) {
        out.push(
          Violation.make(
            rules.levelChangeDate.rule,
            `${Delegation.describe(d)}: co-commissioning levels change only from 1 April, not on ${offDates.join(" or ")}`,
            { bodies: partiesOf(d), dates: offDates, source: rules.levelChangeDate.source }
          )
        )
      }
    } else if (d.level !== undefined) {
      out.push(
        Violation.make(rules.levelNotApplicable.rule, `${Delegation.describe(d)}: only primary care co-commissioning has a level`, {
          bodies: partiesOf(d),
          dates: periodDates(d.period),
          source: rules.levelNotApplicable.source
        })
      )
    }
  }
  const reported = new Set<string>()
  for (const population of unique(coCommissioning.flatMap((d) => d.population))) {
    const steps = coCommissioning
      .filter((d) => Delegation.covers(d, population))
      .sort((a, b) => (a.period.opened < b.period.opened ? -1 : a.period.opened > b.period.opened ? 1 : a.id < b.id ? -1 : 1))
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1]!
      const next = steps[i]!
      const rise = Delegation.levelRank(next.level!) - Delegation.levelRank(prev.level!)
      const key = `${prev.id}|${next.id}`
      if (rise <= 1 || reported.has(key)) continue
      reported.add(key)
      out.push(
        Violation.make(
          rules.levelJump.rule,
          `co-commissioning for ${population} rises ${rise} levels on ${next.period.opened}, from ${prev.level} to ${next.level}; a CCG may move up one level a year (${Delegation.describe(prev)} then ${Delegation.describe(next)})`,
          { bodies: unique([...partiesOf(prev), ...partiesOf(next)]), dates: [prev.period.opened, next.period.opened], source: rules.levelJump.source }
        )
      )
    }
  }
}

const checkHoldings = (data: DelegationData, out: Array<Violation.Violation>): void => {
  const holdings = data.holdings ?? []
  for (let i = 0; i < holdings.length; i++) {
    for (let j = i + 1; j < holdings.length; j++) {
      const a = holdings[i]!
      const b = holdings[j]!
      if (a.function !== b.function || !Delegation.sharePopulation(a, b)) continue
      const shared = Period.intersection(a.period, b.period)
      if (shared === undefined) continue
      out.push(
        Violation.make(
          rules.holdingOverlap.rule,
          `${a.function} for ${a.population.filter((p) => b.population.includes(p)).join(", ")} is held by both ${a.holder} and ${b.holder} during ${Period.format(shared)}`,
          { bodies: unique([a.holder, b.holder]), dates: periodDates(shared), source: rules.holdingOverlap.source }
        )
      )
    }
  }
  // Statutory responsibility stays with the holder: every chain must start at the holder, so a delegation's
  // delegator is either the holder or a delegate of an earlier link in force at the same time.
  for (const d of data.delegations) {
    for (const h of holdings) {
      if (h.function !== d.function || !Delegation.sharePopulation(h, d)) continue
      const shared = Period.intersection(h.period, d.period)
      if (shared === undefined || d.delegator === h.holder) continue
      const linked = data.delegations.some(
        (e) =>
          e !== d && e.function === d.function && Delegation.sharePopulation(e, d) && Period.overlaps(e.period, shared) &&
          Delegation.delegateBodies(e.delegate).includes(d.delegator)
      )
      if (linked) continue
      out.push(
        Violation.make(
          rules.statutoryResponsibility.rule,
          `${Delegation.describe(d)}: ${d.delegator} delegates ${d.function} it does not hold; statutory responsibility stays with ${h.holder} during ${Period.format(shared)}, and only the holder or a delegate in its chain may delegate it`,
          { bodies: unique([h.holder, ...partiesOf(d)]), dates: periodDates(shared), source: rules.statutoryResponsibility.source }
        )
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------------------

/**
 * Every rule violation in `data`, in rule order (empty when the data keeps every rule):
 * - `delegation/duplicate-id`: two records share an id;
 * - `delegation/unknown-body`, `delegation/party-not-operational`: delegator, every delegate body and every
 *   holder must be in the registry and operational for the whole period;
 * - `delegation/support-body` (london-2006 §3.2): a body whose kind does not take decisions (the Commissioning
 *   Business Service) never receives a decision-making function;
 * - `delegation/cycle`: no chain in force on the same day brings a function back to a body already in it
 *   (delegating to oneself included; a delegator taking part in a joint arrangement it set up is not a cycle);
 * - `delegation/overlap`: two delegations of one function sharing a population are never in force on the same
 *   day, unless one continues the other's chain (its delegator is the other's delegate);
 * - `delegation/level-missing`, `delegation/level-not-applicable` (southwark-2015 §15): primary care
 *   co-commissioning states a level, other functions do not;
 * - `delegation/level-change-date` (southwark-2015 §16): co-commissioning arrangements start and end on 1 April;
 * - `delegation/level-jump` (southwark-2015 §16): for a population, each arrangement rises at most one level above
 *   the one before it (the first may start at any level: CCGs chose theirs before 1 April 2015; stepping down is
 *   allowed);
 * - `delegation/holding-overlap`, `delegation/statutory-responsibility` (southwark-2015 §14): one holder per
 *   function and population at a time, and every chain starts at the holder.
 *
 * Proposed delegations are checked like agreed ones.
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (registry: Registry.Registry, data: DelegationData): ReadonlyArray<Violation.Violation> => {
  const out: Array<Violation.Violation> = []
  checkIds(data, out)
  checkParties(registry, data, out)
  checkCycles(data, out)
  checkOverlaps(data, out)
  checkLevels(data, out)
  checkHoldings(data, out)
  return out
}

/**
 * The data back when it keeps every rule, otherwise every violation as `RuleViolations`.
 *
 * @category validation
 * @since 0.1.0
 */
export const check = (
  registry: Registry.Registry,
  data: DelegationData
): Result.Result<DelegationData, Violation.RuleViolations> => {
  const violations = validate(registry, data)
  return violations.length === 0
    ? Result.succeed(data)
    : Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
}
