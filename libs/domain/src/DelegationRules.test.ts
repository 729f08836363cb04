import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Delegation from "./Delegation.ts"
import * as DelegationRules from "./DelegationRules.ts"
import * as Organisation from "./Organisation.ts"
import * as Period from "./Period.ts"
import * as Registry from "./Registry.ts"

const body = (code: string, kind: string, opened: string, closed?: string) => ({
  code,
  name: `Body ${code}`,
  kind,
  statutory: false,
  period: closed === undefined ? { opened } : { opened, closed }
})

const registry = (bodies: ReadonlyArray<ReturnType<typeof body>>): Registry.Registry => {
  const result = Registry.make(Schema.decodeUnknownSync(Organisation.OrganisationData)({ bodies, relationships: [], successions: [] }))
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  return result.success
}

const pcts = ["5LE", "5LD", "5LF", "5A7"].map((c) => body(c, "primary-care-trust", "2006-10-01", "2013-04-01"))
const reg = registry([
  ...pcts,
  body("JC-LSL", "joint-committee", "2009-04-01", "2013-04-01"),
  body("JC-SEL", "joint-committee", "2009-04-01", "2013-04-01"),
  body("LDN-CBS", "commissioning-support", "2006-10-01", "2013-04-01"),
  body("X24", "nhs-england", "2012-10-01"),
  body("08Q", "clinical-commissioning-group", "2013-04-01", "2020-04-01"),
  body("08K", "clinical-commissioning-group", "2013-04-01", "2020-04-01")
])

const decodeDelegation = Schema.decodeUnknownSync(Delegation.Delegation)
const decodeHolding = Schema.decodeUnknownSync(Delegation.Holding)

const delegation = (fields: {
  id: string
  function?: string
  delegator: string
  to: string | ReadonlyArray<string>
  population?: ReadonlyArray<string>
  opened: string
  closed?: string
  level?: string
}): Delegation.Delegation =>
  decodeDelegation({
    id: fields.id,
    function: fields.function ?? "acute-commissioning",
    delegator: fields.delegator,
    delegate: typeof fields.to === "string" ? { _tag: "Body", code: fields.to } : { _tag: "Joint", members: fields.to },
    population: fields.population ?? ["5LE"],
    period: fields.closed === undefined ? { opened: fields.opened } : { opened: fields.opened, closed: fields.closed },
    ...(fields.level === undefined ? {} : { level: fields.level })
  })

const primaryCareHolding = decodeHolding({
  function: "primary-care-commissioning",
  holder: "X24",
  population: ["08Q", "08K"],
  period: { opened: "2013-04-01" },
  source: "southwark-2015 §14"
})

const rulesOf = (data: DelegationRules.DelegationData) => DelegationRules.validate(reg, data).map((v) => v.rule)

describe("DelegationRules", () => {
  it("a lawful chain with a joint committee keeps every rule", () => {
    const data = {
      delegations: [
        delegation({ id: "lsl", delegator: "5LE", to: "JC-LSL", opened: "2009-04-01", closed: "2010-07-01" }),
        delegation({ id: "sel", delegator: "5LE", to: "JC-SEL", opened: "2010-07-01", closed: "2013-04-01" }),
        delegation({ id: "cbs", function: "contracting-support", delegator: "JC-SEL", to: "LDN-CBS", opened: "2010-07-01", closed: "2013-04-01" })
      ]
    }
    expect(DelegationRules.validate(reg, data)).toEqual([])
    expect(Result.isSuccess(DelegationRules.check(reg, data))).toBe(true)
  })

  it("both parties must be operational for the whole period", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [delegation({ id: "late", delegator: "5LE", to: "JC-LSL", opened: "2012-04-01" })]
    })
    expect(violations).toHaveLength(2)
    expect(violations.map((v) => v.rule)).toEqual(["delegation/party-not-operational", "delegation/party-not-operational"])
    expect(violations.map((v) => v.bodies)).toEqual([["5LE"], ["JC-LSL"]])
    expect(violations[0]!.dates).toContain("2013-04-01")
  })

  it("a delegation to a body not in the registry is reported", () => {
    const [v] = DelegationRules.validate(reg, { delegations: [delegation({ id: "x", delegator: "5LE", to: "JC-NOWHERE", opened: "2010-01-01", closed: "2011-01-01" })] })
    expect(v!.rule).toBe("delegation/unknown-body")
    expect(v!.bodies).toEqual(["JC-NOWHERE"])
  })

  it("london-2006 §3.2: the Commissioning Business Service never receives a decision-making function", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [delegation({ id: "cbs", function: "contract-management", delegator: "5LE", to: "LDN-CBS", opened: "2010-07-01", closed: "2011-04-01" })]
    })
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ rule: "delegation/support-body", source: "london-2006 §3.2", bodies: ["LDN-CBS", "5LE"] })
    // Support itself is fine.
    expect(rulesOf({
      delegations: [delegation({ id: "cbs", function: "contracting-support", delegator: "5LE", to: "LDN-CBS", opened: "2010-07-01", closed: "2011-04-01" })]
    })).toEqual([])
  })

  it("a chain that brings the function back to its holder is a cycle", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [
        delegation({ id: "out", delegator: "5LE", to: "JC-LSL", opened: "2009-04-01", closed: "2011-04-01" }),
        delegation({ id: "on", delegator: "JC-LSL", to: "JC-SEL", opened: "2010-04-01", closed: "2011-04-01" }),
        delegation({ id: "back", delegator: "JC-SEL", to: "5LE", opened: "2010-07-01", closed: "2011-04-01" })
      ]
    })
    expect(violations.map((v) => v.rule)).toEqual(["delegation/cycle"])
    expect(violations[0]!.bodies).toEqual(["5LE", "JC-LSL", "JC-SEL"])
    expect(violations[0]!.dates).toEqual(["2010-07-01"])
  })

  it("delegating to oneself is a cycle, taking part in one's own joint arrangement is not", () => {
    expect(rulesOf({ delegations: [delegation({ id: "self", delegator: "5LE", to: "5LE", opened: "2010-01-01", closed: "2011-01-01" })] })).toEqual([
      "delegation/cycle"
    ])
    expect(rulesOf({ delegations: [delegation({ id: "joint", delegator: "5LE", to: ["5LE", "5LD"], opened: "2010-01-01", closed: "2011-01-01" })] })).toEqual([])
  })

  it("two delegations of one function for the same population may not be in force together", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [
        delegation({ id: "a", delegator: "5LE", to: "JC-LSL", opened: "2009-04-01", closed: "2010-10-01" }),
        delegation({ id: "b", delegator: "5LE", to: "JC-SEL", opened: "2010-07-01", closed: "2013-04-01" }),
        // a different function for the same population is not an overlap
        delegation({ id: "c", function: "contract-management", delegator: "5LE", to: "JC-SEL", opened: "2010-07-01", closed: "2013-04-01" })
      ]
    })
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ rule: "delegation/overlap", bodies: ["5LE", "JC-LSL", "JC-SEL"], dates: ["2010-07-01", "2010-10-01"] })
  })

  it("southwark-2015 §16: co-commissioning rises one level a year, from 1 April only", () => {
    const jump = DelegationRules.validate(reg, {
      holdings: [primaryCareHolding],
      delegations: [
        delegation({ id: "gi", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2015-04-01", closed: "2016-04-01", level: "greater-involvement" }),
        delegation({ id: "del", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2016-04-01", level: "delegated" })
      ]
    })
    expect(jump).toHaveLength(2)
    expect(jump.map((v) => v.rule)).toEqual(["delegation/party-not-operational", "delegation/level-jump"])
    expect(jump[1]).toMatchObject({ source: "southwark-2015 §16", bodies: ["08Q", "X24"], dates: ["2015-04-01", "2016-04-01"] })

    const midYear = DelegationRules.validate(reg, {
      holdings: [primaryCareHolding],
      delegations: [
        delegation({ id: "joint", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2015-04-01", closed: "2015-10-01", level: "joint" }),
        delegation({ id: "del", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2015-10-01", closed: "2020-04-01", level: "delegated" })
      ]
    })
    expect(midYear.map((v) => v.rule)).toEqual(["delegation/level-change-date", "delegation/level-change-date"])
    expect(midYear[0]).toMatchObject({ bodies: ["08Q", "X24"], dates: ["2015-10-01"], source: "southwark-2015 §16" })
  })

  it("primary care co-commissioning must state its level and nothing else may", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [
        delegation({ id: "pc", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2015-04-01", closed: "2016-04-01" }),
        delegation({ id: "ac", delegator: "5LE", to: "JC-LSL", opened: "2010-04-01", closed: "2011-04-01", level: "joint" })
      ]
    })
    expect(violations.map((v) => [v.rule, v.bodies, v.source])).toEqual([
      ["delegation/level-missing", ["08Q", "X24"], "southwark-2015 §15"],
      ["delegation/level-not-applicable", ["5LE", "JC-LSL"], "southwark-2015 §15"]
    ])
  })

  it("southwark-2015 §14: only the holder (or a delegate in its chain) delegates a function", () => {
    const violations = DelegationRules.validate(reg, {
      holdings: [primaryCareHolding],
      delegations: [
        delegation({ id: "ccg", function: "primary-care-commissioning", delegator: "08Q", to: "08K", population: ["08Q"], opened: "2015-04-01", closed: "2016-04-01", level: "delegated" })
      ]
    })
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ rule: "delegation/statutory-responsibility", source: "southwark-2015 §14", bodies: ["08K", "08Q", "X24"] })
    expect(violations[0]!.message).toContain("statutory responsibility stays with X24")
  })

  it("one holder per function and population at a time", () => {
    const violations = DelegationRules.validate(reg, {
      delegations: [],
      holdings: [primaryCareHolding, decodeHolding({ function: "primary-care-commissioning", holder: "08Q", population: ["08Q"], period: { opened: "2015-04-01", closed: "2016-04-01" } })]
    })
    expect(violations.map((v) => v.rule)).toEqual(["delegation/holding-overlap"])
    expect(violations[0]!.bodies).toEqual(["08Q", "X24"])
  })

  it("every violation is reported at once, and check fails with all of them", () => {
    const data = {
      delegations: [
        delegation({ id: "dup", delegator: "5LE", to: "LDN-CBS", opened: "2010-01-01", closed: "2011-01-01" }),
        delegation({ id: "dup", delegator: "5LD", to: "5LD", population: ["5LD"], opened: "2010-01-01", closed: "2011-01-01" })
      ]
    }
    const result = DelegationRules.check(reg, data)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure._tag).toBe("RuleViolations")
      expect(result.failure.violations.map((v) => [v.rule, v.bodies])).toEqual([
        ["delegation/duplicate-id", ["5LD", "5LE", "LDN-CBS"]],
        ["delegation/support-body", ["LDN-CBS", "5LE"]],
        ["delegation/cycle", ["5LD"]]
      ])
    }
  })
})

// ---------------------------------------------------------------------------------------------------------
// property: no accepted set of delegations contains a cycle (and every set with one is rejected)
// ---------------------------------------------------------------------------------------------------------

const nodes = ["A1", "B1", "C1", "D1"]
const propertyRegistry = registry(nodes.map((c) => body(c, "primary-care-trust", "2000-04-01")))

const arbitraryDelegations = fc
  .array(
    fc.record({
      from: fc.constantFrom(...nodes),
      to: fc.constantFrom(...nodes),
      start: fc.integer({ min: 2000, max: 2005 }),
      length: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      population: fc.constantFrom(["P1"], ["P2"], ["P1", "P2"])
    }),
    { maxLength: 6 }
  )
  .map((rows) =>
    rows.map((r, i) =>
      delegation({
        id: `d${i}`,
        delegator: r.from,
        to: r.to,
        population: r.population,
        opened: `${r.start}-04-01`,
        ...(r.length === undefined ? {} : { closed: `${r.start + r.length}-04-01` })
      })
    )
  )

/** An independent cycle search: depth-first walks along delegations in force on each day a delegation opens. */
const hasCycle = (ds: ReadonlyArray<Delegation.Delegation>): boolean =>
  ds.some((start) =>
    start.population.some((population) => {
      const date = start.period.opened
      const active = ds.filter((d) => d.population.includes(population) && Period.contains(d.period, date))
      const walk = (at: string, seen: ReadonlyArray<string>): boolean =>
        active.some((d) => {
          if (d.delegator !== at) return false
          const to = Delegation.delegateBodies(d.delegate)[0]!
          return seen.includes(to) || walk(to, [...seen, to])
        })
      return walk(start.delegator, [start.delegator])
    })
  )

describe("DelegationRules properties", () => {
  it("an accepted set never contains a cycle, and a set with a cycle is never accepted", () => {
    fc.assert(
      fc.property(arbitraryDelegations, (ds) => {
        const rules = DelegationRules.validate(propertyRegistry, { delegations: ds }).map((v) => v.rule)
        expect(rules.includes("delegation/cycle")).toBe(hasCycle(ds))
        if (rules.length === 0) expect(hasCycle(ds)).toBe(false)
      }),
      { numRuns: 500 }
    )
  })

  it("the verdict does not depend on the order of the records", () => {
    fc.assert(
      fc.property(
        arbitraryDelegations.chain((ds) => fc.tuple(fc.constant(ds), fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length }))),
        ([ds, shuffled]) => {
          const rules = (xs: ReadonlyArray<Delegation.Delegation>) =>
            DelegationRules.validate(propertyRegistry, { delegations: xs }).map((v) => `${v.rule} ${v.bodies.join(",")}`).sort()
          expect(rules(shuffled)).toEqual(rules(ds))
        }
      )
    )
  })
})

