import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"
import * as Delegation from "./Delegation.ts"
import * as DelegationResolution from "./DelegationResolution.ts"

const d = CalendarDate.unsafeMake
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
  status?: string
}): Delegation.Delegation =>
  decodeDelegation({
    id: fields.id,
    function: fields.function ?? "acute-commissioning",
    delegator: fields.delegator,
    delegate: typeof fields.to === "string" ? { _tag: "Body", code: fields.to } : { _tag: "Joint", members: fields.to },
    population: fields.population ?? ["5LE"],
    period: fields.closed === undefined ? { opened: fields.opened } : { opened: fields.opened, closed: fields.closed },
    ...(fields.level === undefined ? {} : { level: fields.level }),
    ...(fields.status === undefined ? {} : { status: fields.status })
  })

const acute = [
  delegation({ id: "lsl", delegator: "5LE", to: "JC-LSL", opened: "2009-04-01", closed: "2010-07-01" }),
  delegation({ id: "sel", delegator: "5LE", to: "JC-SEL", opened: "2010-07-01", closed: "2013-04-01" }),
  delegation({ id: "team", delegator: "JC-SEL", to: "SEL-TEAM", opened: "2011-04-01", closed: "2013-04-01" })
]

const primaryCare = {
  holdings: [decodeHolding({ function: "primary-care-commissioning", holder: "X24", population: ["08Q"], period: { opened: "2013-04-01" } })],
  delegations: [
    delegation({ id: "gi", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2014-04-01", closed: "2015-04-01", level: "greater-involvement" }),
    delegation({ id: "joint", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2015-04-01", closed: "2016-04-01", level: "joint" }),
    delegation({ id: "del", function: "primary-care-commissioning", delegator: "X24", to: "08Q", population: ["08Q"], opened: "2016-04-01", level: "delegated", status: "proposed" })
  ]
}

describe("DelegationResolution", () => {
  it("follows the chain from the holder to the body exercising the function", () => {
    const r = DelegationResolution.resolve({ delegations: acute }, "acute-commissioning", "5LE", d("2012-01-10"))!
    expect(r.accountable).toBe("5LE")
    expect(r.exercisedBy).toEqual(["SEL-TEAM"])
    expect(r.chain.map((x) => x.id)).toEqual(["sel", "team"])
    expect(DelegationResolution.path(r)).toEqual(["5LE", "JC-SEL", "SEL-TEAM"])
  })

  it("the answer changes with the date, from the same data", () => {
    const on = (date: string) => DelegationResolution.resolve({ delegations: acute }, "acute-commissioning", "5LE", d(date))?.exercisedBy
    expect(on("2010-06-30")).toEqual(["JC-LSL"])
    expect(on("2010-07-01")).toEqual(["JC-SEL"])
    expect(on("2009-03-31")).toBeUndefined()
    expect(DelegationResolution.resolve({ delegations: acute }, "acute-commissioning", "5LD", d("2010-06-30"))).toBeUndefined()
  })

  it("statutory responsibility stays with the holder at every co-commissioning level (southwark-2015 §14)", () => {
    const on = (date: string, includeProposed = false) =>
      DelegationResolution.resolve(primaryCare, "primary-care-commissioning", "08Q", d(date), { includeProposed })!
    const before = on("2014-01-01")
    expect(before).toMatchObject({ accountable: "X24", exercisedBy: ["X24"], involved: [], chain: [] })
    expect(on("2014-06-01")).toMatchObject({ accountable: "X24", exercisedBy: ["X24"], involved: ["08Q"], level: "greater-involvement" })
    expect(on("2015-06-01")).toMatchObject({ accountable: "X24", exercisedBy: ["08Q", "X24"], level: "joint" })
    expect(on("2016-06-01", true)).toMatchObject({ accountable: "X24", exercisedBy: ["08Q"], level: "delegated" })
  })

  it("proposed delegations are followed only when asked", () => {
    const r = DelegationResolution.resolve(primaryCare, "primary-care-commissioning", "08Q", d("2016-06-01"))!
    expect(r.exercisedBy).toEqual(["X24"])
    expect(r.chain).toEqual([])
  })

  it("a joint arrangement without a code of its own is exercised by its members", () => {
    const r = DelegationResolution.resolve(
      { delegations: [delegation({ id: "j", delegator: "5LE", to: ["5LF", "5LD", "5LE"], opened: "2010-01-01" })] },
      "acute-commissioning",
      "5LE",
      d("2010-02-01")
    )!
    expect(r.accountable).toBe("5LE")
    expect(r.exercisedBy).toEqual(["5LD", "5LE", "5LF"])
  })

  it("a cycle (which the rules reject) does not loop forever", () => {
    const r = DelegationResolution.resolve(
      {
        delegations: [
          delegation({ id: "a", delegator: "5LE", to: "JC-LSL", opened: "2010-01-01" }),
          delegation({ id: "b", delegator: "JC-LSL", to: "5LE", opened: "2010-01-01" })
        ]
      },
      "acute-commissioning",
      "5LE",
      d("2010-02-01")
    )
    expect(r?.chain).toHaveLength(2)
  })

  it("the order of the delegations never changes the answer", () => {
    const nodes = ["A1", "B1", "C1", "D1"]
    const arbitrary = fc
      .array(
        fc.record({
          from: fc.constantFrom(...nodes),
          to: fc.constantFrom(...nodes),
          start: fc.integer({ min: 2000, max: 2004 }),
          length: fc.integer({ min: 1, max: 3 })
        }),
        { maxLength: 7 }
      )
      .map((rows) => rows.map((r, i) => delegation({ id: `d${i}`, delegator: r.from, to: r.to, population: ["P1"], opened: `${r.start}-04-01`, closed: `${r.start + r.length}-04-01` })))
      .chain((ds) => fc.tuple(fc.constant(ds), fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length })))
    fc.assert(
      fc.property(arbitrary, fc.integer({ min: 2000, max: 2007 }), ([ds, shuffled], year) => {
        const date = d(`${year}-09-30`)
        expect(DelegationResolution.resolve({ delegations: shuffled }, "acute-commissioning", "P1", date)).toEqual(
          DelegationResolution.resolve({ delegations: ds }, "acute-commissioning", "P1", date)
        )
      }),
      { numRuns: 500 }
    )
  })
})
