import { fileURLToPath } from "node:url"
import {
  Allocation,
  CalendarDate,
  Decision,
  Delegation,
  DelegationResolution,
  DelegationRules,
  Money,
  Organisation,
  Period,
  Registry
} from "@hub/domain"
import type { Codes } from "@hub/domain"
import { Result, Schema } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as BoardPapers from "./BoardPapers.ts"
import * as Bundled from "./Bundled.ts"

const day = CalendarDate.unsafeMake

/** The register data of the bundle (another module's) with the board papers' records merged in. */
const registry: Registry.Registry = (() => {
  const built = Registry.make(Bundled.merge(Bundled.organisations(), BoardPapers.organisations))
  if (Result.isFailure(built)) throw new Error(`the bundled data with the board papers is invalid: ${built.failure.message}`)
  return built.success
})()

const data: DelegationRules.DelegationData = { delegations: BoardPapers.delegations, holdings: BoardPapers.holdings }

const resolve = (fn: Delegation.CommissioningFunction, subject: string, date: string, includeProposed = false) =>
  DelegationResolution.resolve(data, fn, subject, day(date), { includeProposed })

/** "southwark-2010 §2", "london-councils-2009 App. 2": a seed paper's name then a paragraph or appendix. */
const paperPattern = /^(london-2006|london-councils-2009|southampton-2011|southwark-2010|southwark-2015) (§\d|App\. \d)/u
// The papers live in the project's shared folder, beside the repository (as in CI: shared/ next to the clone).
const seedFile = (paper: string) => fileURLToPath(new URL(`../../../../shared/seeds/${readSeedName(paper)}`, import.meta.url))
const readSeedName = (paper: string): string =>
  ({
    "london-2006": "london-2006-commissioning-for-health.txt",
    "london-councils-2009": "london-councils-2009-strengthening-commissioning.txt",
    "southampton-2011": "southampton-2011-commissioning-consortia.txt",
    "southwark-2010": "southwark-2010-strengthening-nhs-commissioning.txt",
    "southwark-2015": "southwark-2015-primary-care-co-commissioning.txt"
  })[paper]!

describe("the board papers' records", () => {
  it("decode against the domain schemas (codes, periods, levels)", () => {
    expect(() => Schema.decodeUnknownSync(Organisation.OrganisationData)(BoardPapers.organisations, { errors: "all" })).not.toThrow()
    expect(() => Schema.decodeUnknownSync(Schema.Array(Delegation.Delegation))(BoardPapers.delegations, { errors: "all" })).not.toThrow()
    expect(() => Schema.decodeUnknownSync(Schema.Array(Delegation.Holding))(BoardPapers.holdings, { errors: "all" })).not.toThrow()
  })

  it("every record names the paper and paragraph it comes from", () => {
    const sources = [
      ...BoardPapers.organisations.bodies.map((b) => b.source),
      ...BoardPapers.organisations.relationships.map((r) => r.source),
      ...BoardPapers.delegations.map((d) => d.source),
      ...BoardPapers.holdings.map((h) => h.source),
      BoardPapers.londonAllocationUplift2009.source
    ]
    for (const source of sources) expect(source).toMatch(paperPattern)
  })

  it("the groups named are really in the papers they cite", () => {
    // Guards against a source pointing at the wrong paper: each phrase must appear in the cited seed.
    const phrases: ReadonlyArray<readonly [string, string]> = [
      ["southwark-2010", "Joint Committee of PCTs for Lambeth, Southwark and Lewisham"],
      ["southwark-2010", "Joint Committee of the six PCTs"],
      ["london-2006", "Commissioning Business Service"],
      ["london-2006", "London Commissioning Group"],
      ["southampton-2011", "urgent care budget"],
      ["southwark-2015", "statutory responsibility for primary care commissioning remains with NHS England"],
      ["london-councils-2009", "10.6% over two years compared to an average rise of 11.3%"]
    ]
    for (const [paper, phrase] of phrases) {
      const file = seedFile(paper)
      if (!existsSync(file)) continue // the seeds are project documents, not part of the package
      expect(readFileSync(file, "utf8")).toContain(phrase)
    }
  })

  it("build a registry together with the register data, and keep every delegation rule", () => {
    expect(DelegationRules.validate(registry, data)).toEqual([])
  })

  it("the groups have the members the papers describe", () => {
    const members = (group: string, date: string) => Registry.membersAt(registry, group, day(date)).map((b) => b.code)
    expect(members("JC-LSL", "2010-06-30")).toEqual(["5LD", "5LE", "5LF"])
    expect(members("JC-LSL", "2010-07-15")).toEqual([])
    expect(members("JC-SEL", "2010-07-15")).toEqual(["5A7", "5A8", "5LD", "5LE", "5LF", "TAK"])
    expect(members("LDN-COMMISSIONING-GROUP", "2010-07-15")).toHaveLength(31)
    expect(members("LDN-LCG-SE", "2010-07-15")).toEqual(members("LDN-SECTOR-SE", "2010-07-15"))
    expect(Registry.get(registry, "LDN-CBS")?.kind).toBe("commissioning-support")
    expect(Registry.groupsOf(registry, "Q36", day("2010-07-15"), "nominated-to").map((b) => b.code)).toEqual(["LDN-COMMISSIONING-GROUP"])
  })
})

describe("resolution on the board-paper data", () => {
  it("acute commissioning for NHS Southwark on 2010-06-30 is exercised by the Lambeth, Southwark and Lewisham joint committee", () => {
    const r = resolve("acute-commissioning", "5LE", "2010-06-30")!
    expect(r.accountable).toBe("5LE")
    expect(r.exercisedBy).toEqual(["JC-LSL"])
    expect(r.chain.map((d) => d.id)).toEqual(["southwark-2010-acute-lsl"])
    expect(r.chain[0]!.source).toMatch(/^southwark-2010 §2/u)
  })

  it("contract management on 2010-07-15 is exercised by the joint committee of the six South East London PCTs", () => {
    const r = resolve("contract-management", "5LE", "2010-07-15")!
    expect(r).toMatchObject({ accountable: "5LE", exercisedBy: ["JC-SEL"] })
    expect(Registry.membersAt(registry, r.exercisedBy[0]!, day("2010-07-15"))).toHaveLength(6)
    // Before 1 July 2010 NHS Southwark still managed its contracts itself.
    expect(resolve("contract-management", "5LE", "2010-06-30")).toMatchObject({ accountable: "5LE", exercisedBy: ["5LE"], chain: [] })
  })

  it("the same answer for the Southwark council area as for the PCT", () => {
    expect(resolve("acute-commissioning", "E09000028", "2010-06-30")?.exercisedBy).toEqual(["JC-LSL"])
  })

  it("primary care for Southwark CCG: NHS England alone, then jointly, then delegated if the step up is followed", () => {
    expect(resolve("primary-care-commissioning", "08Q", "2014-12-01")).toMatchObject({ accountable: "X24", exercisedBy: ["X24"], chain: [] })
    expect(resolve("primary-care-commissioning", "08Q", "2015-06-01")).toMatchObject({
      accountable: "X24",
      exercisedBy: ["08Q", "X24"],
      level: "joint"
    })
    // The step up to delegated commissioning is only proposed in southwark-2015 §1, §6.
    expect(resolve("primary-care-commissioning", "08Q", "2016-06-01")).toMatchObject({ accountable: "X24", exercisedBy: ["X24"] })
    expect(resolve("primary-care-commissioning", "08Q", "2016-06-01", true)).toMatchObject({
      accountable: "X24",
      exercisedBy: ["08Q"],
      level: "delegated"
    })
  })

  it("Southampton's request for the urgent care budget is a proposal the PCT remains accountable for", () => {
    expect(resolve("urgent-care-budget", "5L1", "2012-01-01")).toMatchObject({ accountable: "5L1", exercisedBy: ["5L1"] })
    expect(resolve("urgent-care-budget", "E06000045", "2012-01-01", true)).toMatchObject({
      accountable: "5L1",
      exercisedBy: ["SOUTHAMPTON-GP-CONSORTIUM"]
    })
  })
})

describe("board-paper data that breaks the co-commissioning rules is rejected", () => {
  const primaryCare = (id: string) => BoardPapers.delegations.find((d) => d.id === id)!
  const others = BoardPapers.delegations.filter((d) => d.function !== "primary-care-commissioning")

  it("jumping two levels in a year (greater involvement straight to delegated)", () => {
    const jumped = [...others, { ...primaryCare("southwark-2015-primary-care-joint"), level: "greater-involvement" as const }, primaryCare("southwark-2015-primary-care-delegated")]
    const violations = DelegationRules.validate(registry, { ...data, delegations: jumped })
    expect(violations.map((v) => v.rule)).toEqual(["delegation/level-jump"]) // once, though both 08Q and the council area are covered
    expect(violations[0]).toMatchObject({ bodies: ["08Q", "X24"], dates: ["2015-04-01", "2016-04-01"], source: "southwark-2015 §16" })
  })

  it("changing level in the middle of a year", () => {
    const midYear = Period.unsafeMake("2015-04-01", "2015-10-01")
    const changed = [
      ...others,
      { ...primaryCare("southwark-2015-primary-care-joint"), period: midYear },
      { ...primaryCare("southwark-2015-primary-care-delegated"), period: Period.unsafeMake("2015-10-01", "2020-04-01") }
    ]
    const violations = DelegationRules.validate(registry, { ...data, delegations: changed })
    expect(violations.map((v) => v.rule)).toEqual(["delegation/level-change-date", "delegation/level-change-date"])
    expect(violations.every((v) => v.dates.includes("2015-10-01") && v.bodies.includes("08Q"))).toBe(true)
  })

  it("a decision-making function delegated to the London CBS (london-2006 §3.2)", () => {
    const toCbs: Delegation.Delegation = {
      ...primaryCare("southwark-2015-primary-care-joint"),
      id: "cbs-contracts",
      function: "contract-management",
      delegator: "5LD" as Codes.BodyCode,
      delegate: Delegation.toBody("LDN-CBS" as Codes.BodyCode),
      population: ["5LD" as Codes.BodyCode],
      period: Period.unsafeMake("2010-07-01", "2011-04-01")
    }
    const { level: _, ...withoutLevel } = toCbs
    const violations = DelegationRules.validate(registry, { ...data, delegations: [...BoardPapers.delegations, withoutLevel] })
    expect(violations.map((v) => [v.rule, v.source])).toEqual([["delegation/support-body", "london-2006 §3.2"]])
  })
})

describe("partnership decisions on the board-paper groups (london-2006 §111)", () => {
  const date = day("2010-07-15")
  const londonPcts = Registry.membersAt(registry, "LDN-COMMISSIONING-GROUP", date).map((b) => b.code)
  const votesFor = (n: number) => londonPcts.map((voter, i) => ({ voter, choice: i < n ? ("for" as const) : ("against" as const) }))

  it("24 of the 31 London PCTs carry a collective procurement, 23 do not", () => {
    expect(Result.getOrThrow(Decision.collectiveProcurement(registry, "LDN-COMMISSIONING-GROUP", date, votesFor(24))).carried).toBe(true)
    const short = Result.getOrThrow(Decision.collectiveProcurement(registry, "LDN-COMMISSIONING-GROUP", date, votesFor(23)))
    expect(short.carried).toBe(false)
    expect(short.required).toBe(24)
  })

  it("NHS London's nominee does not vote", () => {
    const result = Decision.collectiveProcurement(registry, "LDN-COMMISSIONING-GROUP", date, [{ voter: "Q36" as Codes.BodyCode, choice: "for" }])
    expect(Result.isFailure(result) && result.failure.violations.map((v) => [v.rule, v.bodies])).toEqual([
      ["decision/non-member-vote", ["Q36", "LDN-COMMISSIONING-GROUP"]]
    ])
  })
})

describe("allocations (london-councils-2009 §7)", () => {
  it("a London PCT's two-year uplift against the England average", () => {
    const u = BoardPapers.londonAllocationUplift2009
    const result = Allocation.compareUplift(Money.parsePounds("500000000")!, u.received, u.benchmark)
    expect(Money.format(result.shortfall)).toBe("£3,500,000.00")
  })
})
