/**
 * The question users ask of delegations (DOMAIN.md §3): for a function, a body or area and a date, who holds
 * the statutory responsibility, who exercises the function, and through which chain of delegations.
 * Accountability always stays at the chain's root (southwark-2015 §14).
 *
 * @since 0.1.0
 */
import type * as CalendarDate from "./CalendarDate.ts"
import type * as Codes from "./Codes.ts"
import * as Delegation from "./Delegation.ts"
import type * as DelegationRules from "./DelegationRules.ts"
import * as Period from "./Period.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * The answer: `accountable` is the chain's root (the holder of the function when a holding is recorded);
 * `exercisedBy` the bodies who take the decisions on the date (sorted by code; two for a joint level); `involved`
 * bodies consulted without deciding (a CCG at the greater-involvement level); `level` the co-commissioning level
 * of the last link, if any; `chain` the delegations followed from the root, in order (empty when the holder
 * exercises the function itself).
 *
 * @category models
 * @since 0.1.0
 */
export interface Resolution {
  readonly function: Delegation.CommissioningFunction
  readonly subject: string
  readonly date: CalendarDate.CalendarDate
  readonly accountable: Codes.BodyCode
  readonly exercisedBy: ReadonlyArray<Codes.BodyCode>
  readonly involved: ReadonlyArray<Codes.BodyCode>
  readonly level?: Delegation.CoCommissioningLevel
  readonly chain: ReadonlyArray<Delegation.Delegation>
}

/**
 * `includeProposed`: also follow delegations only proposed or requested in a paper (default: agreed only).
 *
 * @category models
 * @since 0.1.0
 */
export interface ResolveOptions {
  readonly includeProposed?: boolean
}

// ---------------------------------------------------------------------------------------------------------
// resolution
// ---------------------------------------------------------------------------------------------------------

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A total order on delegations, so the answer never depends on the order the records were given in. */
const canonical = (a: Delegation.Delegation, b: Delegation.Delegation): number =>
  compareText(a.period.opened, b.period.opened) || compareText(a.delegator, b.delegator) || compareText(a.id, b.id)

const sortedCodes = (codes: Iterable<Codes.BodyCode>): Array<Codes.BodyCode> => [...new Set(codes)].sort(compareText)

/**
 * Resolves `fn` for `subject` (a population code: a body such as `5LE` or an area such as `E09000028`, matched
 * against the delegations' and holdings' populations) on `date`, or `undefined` when nothing is recorded.
 *
 * The root is the holder recorded for the function, population and date; without one, the delegator no
 * delegation in force passes the function to (the smallest code if several, which the rules forbid). From the
 * root the chain follows the delegation in force whose delegator is the current body, and moves on to its
 * delegate, until no delegation continues it. Co-commissioning levels stop the chain: at greater-involvement the
 * delegator still decides and the delegate is involved; at joint both decide; at delegated the delegate decides
 * and may delegate further. A joint arrangement without a code of its own ends the chain with its members
 * deciding. Deterministic: the order of `data` never changes the answer.
 *
 * @category resolution
 * @since 0.1.0
 */
export const resolve = (
  data: DelegationRules.DelegationData,
  fn: Delegation.CommissioningFunction,
  subject: string,
  date: CalendarDate.CalendarDate,
  options: ResolveOptions = {}
): Resolution | undefined => {
  const active = data.delegations
    .filter(
      (d) =>
        d.function === fn && Delegation.covers(d, subject) && Period.contains(d.period, date) &&
        (options.includeProposed === true || Delegation.statusOf(d) === "agreed")
    )
    .sort(canonical)
  const holding = (data.holdings ?? [])
    .filter((h) => h.function === fn && Delegation.covers(h, subject) && Period.contains(h.period, date))
    .sort((a, b) => compareText(a.holder, b.holder))[0]

  let root: Codes.BodyCode | undefined = holding?.holder
  if (root === undefined) {
    const received = new Set(active.flatMap((d) => Delegation.delegateBodies(d.delegate)))
    root = sortedCodes(active.map((d) => d.delegator)).find((c) => !received.has(c)) ?? sortedCodes(active.map((d) => d.delegator))[0]
  }
  if (root === undefined) return undefined

  const chain: Array<Delegation.Delegation> = []
  const visited = new Set<string>([root])
  let exercisedBy: ReadonlyArray<Codes.BodyCode> = [root]
  let involved: ReadonlyArray<Codes.BodyCode> = []
  let level: Delegation.CoCommissioningLevel | undefined
  let current: Codes.BodyCode | undefined = root
  while (current !== undefined) {
    const from: Codes.BodyCode = current
    const link = active.find((d) => d.delegator === from && !chain.includes(d))
    if (link === undefined) break
    chain.push(link)
    level = link.level
    const bodies = Delegation.delegateBodies(link.delegate)
    current = undefined
    if (link.level === "greater-involvement") {
      exercisedBy = [from]
      involved = sortedCodes(bodies.filter((b) => b !== from))
    } else if (link.level === "joint" || link.delegate._tag === "Joint") {
      exercisedBy = sortedCodes(link.level === "joint" ? [from, ...bodies] : bodies)
      involved = []
    } else {
      const to = bodies[0]!
      exercisedBy = [to]
      involved = []
      // A cycle (which the rules report) must not loop forever: stop where the chain comes back.
      if (!visited.has(to)) {
        visited.add(to)
        current = to
      }
    }
  }
  return {
    function: fn,
    subject,
    date,
    accountable: root,
    exercisedBy,
    involved,
    ...(level === undefined ? {} : { level }),
    chain
  }
}

/**
 * The bodies a resolution's chain passes through, from the accountable root to those exercising the function:
 * `["5LE", "JC-LSL"]`.
 *
 * @category accessors
 * @since 0.1.0
 */
export const path = (resolution: Resolution): ReadonlyArray<string> => [
  resolution.accountable,
  ...resolution.chain.map((d) => Delegation.formatDelegate(d.delegate))
]
