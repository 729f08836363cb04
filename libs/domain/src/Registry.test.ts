import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"
import * as Organisation from "./Organisation.ts"
import * as Registry from "./Registry.ts"
import type * as Violation from "./Violation.ts"

const d = CalendarDate.unsafeMake

interface BodyInput {
  readonly code: string
  readonly kind: string
  readonly opened: string
  readonly closed?: string
  readonly odsCode?: string
  readonly gssCode?: string
}

const body = ({ closed, opened, ...rest }: BodyInput) => ({
  ...rest,
  name: `Body ${rest.code}`,
  statutory: true,
  period: closed === undefined ? { opened } : { opened, closed }
})

const period = (opened: string, closed?: string) => (closed === undefined ? { opened } : { opened, closed })

const data = (input: { bodies: ReadonlyArray<BodyInput>; relationships?: ReadonlyArray<unknown>; successions?: ReadonlyArray<unknown> }) =>
  Schema.decodeUnknownSync(Organisation.OrganisationData)({
    bodies: input.bodies.map(body),
    relationships: input.relationships ?? [],
    successions: input.successions ?? []
  })

const build = (input: Parameters<typeof data>[0]): Registry.Registry => {
  const result = Registry.make(data(input))
  if (Result.isFailure(result)) throw new Error(`unexpected violations: ${result.failure.message}`)
  return result.success
}

const violationsOf = (input: Parameters<typeof data>[0]): ReadonlyArray<Violation.Violation> => {
  const result = Registry.make(data(input))
  if (Result.isSuccess(result)) throw new Error("expected the registry to be rejected")
  return result.failure.violations
}

const codes = (bodies: ReadonlyArray<Organisation.Body>): Array<string> => bodies.map((b) => b.code)

const pct = (code: string, extra: Partial<BodyInput> = {}): BodyInput => ({
  code,
  kind: "primary-care-trust",
  opened: "2006-10-01",
  closed: "2013-04-01",
  odsCode: code,
  ...extra
})
const council = (gss: string): BodyInput => ({ code: gss, kind: "council", opened: "1965-04-01", gssCode: gss })
const sector = (code: string): BodyInput => ({ code, kind: "sector", opened: "2006-10-01", closed: "2013-04-01" })
const ccg = (code: string, opened: string, closed?: string): BodyInput =>
  closed === undefined
    ? { code, kind: "clinical-commissioning-group", opened, odsCode: code }
    : { code, kind: "clinical-commissioning-group", opened, closed, odsCode: code }
const memberOf = (from: string, to: string, opened: string, closed?: string) => ({
  type: "member-of",
  from,
  to,
  period: period(opened, closed)
})
const succession = (predecessor: string, successor: string, date: string, type = "merger") => ({
  predecessor,
  successor,
  date,
  type
})

const southEastLondon = {
  bodies: [
    { code: "Q36", kind: "strategic-health-authority", opened: "2006-07-01", closed: "2013-04-01", odsCode: "Q36" },
    pct("5LE", { gssCode: "E16000128" }),
    pct("5LD"),
    pct("5LF"),
    sector("LDN-SECTOR-SE"),
    council("E09000028"),
    ccg("08Q", "2013-04-01", "2020-04-01"),
    ccg("72Q", "2020-04-01")
  ],
  relationships: [
    memberOf("5LE", "LDN-SECTOR-SE", "2006-10-01", "2013-04-01"),
    memberOf("5LD", "LDN-SECTOR-SE", "2006-10-01", "2013-04-01"),
    memberOf("5LF", "LDN-SECTOR-SE", "2008-04-01", "2013-04-01"),
    { type: "hosted-by", from: "LDN-SECTOR-SE", to: "5LE", period: period("2006-10-01", "2013-04-01") }
  ],
  successions: [succession("5LE", "08Q", "2013-04-01", "transfer"), succession("08Q", "72Q", "2020-04-01")]
}

describe("Registry queries", () => {
  it("finds bodies by hub, ODS and GSS code, and lists them sorted by code", () => {
    const registry = build(southEastLondon)
    expect(codes(Registry.bodies(registry))).toEqual(["08Q", "5LD", "5LE", "5LF", "72Q", "E09000028", "LDN-SECTOR-SE", "Q36"])
    expect(Registry.get(registry, "5LE")?.kind).toBe("primary-care-trust")
    expect(Registry.get(registry, "XXX")).toBeUndefined()
    expect(Registry.findByOdsCode(registry, "08Q")?.code).toBe("08Q")
    expect(Registry.findByGssCode(registry, "E16000128")?.code).toBe("5LE")
    expect(Registry.findByGssCode(registry, "E09000028")?.kind).toBe("council")
    expect(Registry.findByOdsCode(registry, "E09000028")).toBeUndefined()
  })

  it("answers which bodies are operational at a date, optionally by kind", () => {
    const registry = build(southEastLondon)
    expect(codes(Registry.operationalAt(registry, d("2010-07-15")))).toEqual([
      "5LD", "5LE", "5LF", "E09000028", "LDN-SECTOR-SE", "Q36"
    ])
    expect(codes(Registry.operationalAt(registry, d("2016-04-01")))).toEqual(["08Q", "E09000028"])
    expect(codes(Registry.operationalAt(registry, d("2016-04-01"), { kind: "clinical-commissioning-group" }))).toEqual(["08Q"])
    expect(codes(Registry.operationalAt(registry, d("2020-04-01"), { kind: "clinical-commissioning-group" }))).toEqual(["72Q"])
    expect(Registry.isOperational(registry, "5LE", d("2013-03-31"))).toBe(true)
    expect(Registry.isOperational(registry, "5LE", d("2013-04-01"))).toBe(false)
    expect(Registry.isOperational(registry, "NOPE", d("2013-04-01"))).toBe(false)
  })

  it("a PCT is in its sector on 2010-07-15 but not on 2013-04-01", () => {
    const registry = build(southEastLondon)
    expect(codes(Registry.membersAt(registry, "LDN-SECTOR-SE", d("2010-07-15")))).toEqual(["5LD", "5LE", "5LF"])
    expect(codes(Registry.membersAt(registry, "LDN-SECTOR-SE", d("2013-04-01")))).toEqual([])
    expect(codes(Registry.groupsOf(registry, "5LE", d("2010-07-15")))).toEqual(["LDN-SECTOR-SE"])
    expect(codes(Registry.groupsOf(registry, "5LE", d("2013-04-01")))).toEqual([])
  })

  it("membership follows each relationship's own period (Lewisham joins in 2008)", () => {
    const registry = build(southEastLondon)
    expect(codes(Registry.membersAt(registry, "LDN-SECTOR-SE", d("2007-06-01")))).toEqual(["5LD", "5LE"])
    expect(codes(Registry.groupsOf(registry, "5LF", d("2007-06-01")))).toEqual([])
  })

  it("groupsOf answers other relationship types, and relationshipsOf lists both ends", () => {
    const registry = build(southEastLondon)
    expect(codes(Registry.groupsOf(registry, "LDN-SECTOR-SE", d("2010-07-15"), "hosted-by"))).toEqual(["5LE"])
    expect(codes(Registry.groupsOf(registry, "LDN-SECTOR-SE", d("2010-07-15")))).toEqual([])
    expect(Registry.relationshipsOf(registry, "5LE").map((r) => `${r.from} ${r.type} ${r.to}`)).toEqual([
      "5LE member-of LDN-SECTOR-SE",
      "LDN-SECTOR-SE hosted-by 5LE"
    ])
    expect(Registry.relationshipsOf(registry, "Q36")).toEqual([])
  })
})

describe("Registry successions", () => {
  const chain = {
    bodies: [ccg("AAA", "2013-04-01", "2015-04-01"), ccg("BBB", "2015-04-01", "2020-04-01"), ccg("CCC", "2020-04-01")],
    successions: [succession("AAA", "BBB", "2015-04-01", "rename"), succession("BBB", "CCC", "2020-04-01")]
  }

  it("follows a chain of two successions to the body operational at the date", () => {
    const registry = build(chain)
    expect(codes(Registry.successorsAt(registry, "AAA", d("2021-01-01")))).toEqual(["CCC"])
    expect(codes(Registry.successorsAt(registry, "AAA", d("2016-06-30")))).toEqual(["BBB"])
    expect(codes(Registry.successorsAt(registry, "BBB", d("2021-01-01")))).toEqual(["CCC"])
  })

  it("a body answers as itself while operational, and nothing before it opened", () => {
    const registry = build(chain)
    expect(codes(Registry.successorsAt(registry, "AAA", d("2015-03-31")))).toEqual(["AAA"])
    expect(codes(Registry.successorsAt(registry, "AAA", d("2013-04-01")))).toEqual(["AAA"])
    expect(codes(Registry.successorsAt(registry, "AAA", d("2013-03-31")))).toEqual([])
    expect(codes(Registry.successorsAt(registry, "CCC", d("2016-01-01")))).toEqual([])
    expect(codes(Registry.successorsAt(registry, "UNKNOWN", d("2016-01-01")))).toEqual([])
  })

  it("a split follows every successor, and a later merger joins them again", () => {
    const registry = build({
      bodies: [
        pct("5M7"),
        ccg("08T", "2013-04-01", "2020-04-01"),
        ccg("08R", "2013-04-01", "2020-04-01"),
        ccg("36L", "2020-04-01"),
        ccg("09X", "2013-04-01")
      ],
      successions: [
        succession("5M7", "08T", "2013-04-01", "split"),
        succession("5M7", "08R", "2013-04-01", "split"),
        succession("08T", "36L", "2020-04-01"),
        succession("08R", "36L", "2020-04-01")
      ]
    })
    expect(codes(Registry.successorsAt(registry, "5M7", d("2015-01-01")))).toEqual(["08R", "08T"])
    expect(codes(Registry.successorsAt(registry, "5M7", d("2021-01-01")))).toEqual(["36L"])
    expect(codes(Registry.predecessorsOf(registry, "36L"))).toEqual(["08R", "08T", "5M7"])
    expect(codes(Registry.predecessorsOf(registry, "08T"))).toEqual(["5M7"])
    expect(codes(Registry.predecessorsOf(registry, "5M7"))).toEqual([])
    expect(codes(Registry.predecessorsOf(registry, "09X"))).toEqual([])
  })

  it("a succession is followed only from its date, even when the successor opened earlier", () => {
    // AAA closed on 2015-01-01 but BBB (open since 2014) only took it over on 2015-04-01.
    const registry = build({
      bodies: [ccg("AAA", "2013-04-01", "2015-01-01"), ccg("BBB", "2014-01-01")],
      successions: [succession("AAA", "BBB", "2015-04-01", "transfer")]
    })
    expect(codes(Registry.successorsAt(registry, "AAA", d("2015-02-01")))).toEqual([])
    expect(codes(Registry.successorsAt(registry, "AAA", d("2015-04-01")))).toEqual(["BBB"])
  })

  it("a body that closed without successor carries no population afterwards", () => {
    const registry = build({ bodies: [pct("5LE")] })
    expect(codes(Registry.successorsAt(registry, "5LE", d("2014-01-01")))).toEqual([])
  })

  it("predecessorsOf is transitive and successionsOf lists a body's records in date order", () => {
    const registry = build(chain)
    expect(codes(Registry.predecessorsOf(registry, "CCC"))).toEqual(["AAA", "BBB"])
    expect(codes(Registry.predecessorsOf(registry, "BBB"))).toEqual(["AAA"])
    expect(Registry.successionsOf(registry, "BBB").map((s) => `${s.predecessor}>${s.successor}@${s.date}`)).toEqual([
      "AAA>BBB@2015-04-01",
      "BBB>CCC@2020-04-01"
    ])
    expect(Registry.successionsOf(registry, "5LE")).toEqual([])
  })

  it("property: along a chain of renames, successorsAt(first, D) is the one link operational on D", () => {
    const arbitrary = fc
      .uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength: 2, maxLength: 8 })
      .chain((days) => fc.tuple(fc.constant([...days].sort((a, b) => a - b)), fc.integer({ min: -100, max: 21_000 })))
    fc.assert(
      fc.property(arbitrary, ([boundaries, queryDay]) => {
        // Links i = 0..n-2 occupy [boundaries[i], boundaries[i+1]); the last link stays open from the last boundary.
        const dates = boundaries.map((n) => CalendarDate.fromEpochDay(15_000 + n))
        const bodies = dates.map((opened, i) => ccg(`L0${i}`, opened, dates[i + 1]))
        const successions = dates.slice(1).map((date, i) => succession(`L0${i}`, `L0${i + 1}`, date, "rename"))
        const registry = build({ bodies, successions })
        const query = CalendarDate.fromEpochDay(15_000 + queryDay)
        let expected: Array<string> = []
        dates.forEach((opened, i) => {
          const closed = dates[i + 1]
          if (opened <= query && (closed === undefined || query < closed)) expected = [`L0${i}`]
        })
        expect(codes(Registry.successorsAt(registry, "L00", query))).toEqual(expected)
      })
    )
  })
})

describe("Registry validation", () => {
  const find = (violations: ReadonlyArray<Violation.Violation>, rule: string): Violation.Violation => {
    const found = violations.find((v) => v.rule === rule)
    if (found === undefined) throw new Error(`no ${rule} among ${violations.map((v) => v.rule).join(", ")}`)
    return found
  }

  it("rejects two bodies with the same code", () => {
    const violations = violationsOf({ bodies: [pct("5LE"), pct("5LE", { opened: "2007-01-01", odsCode: "5LX" })] })
    expect(violations).toHaveLength(1)
    const v = find(violations, "registry/duplicate-code")
    expect(v.bodies).toEqual(["5LE"])
    expect(v.dates).toEqual(["2006-10-01", "2007-01-01"])
    expect(v.message).toContain("5LE")
  })

  it("rejects the same ODS or GSS code on two bodies", () => {
    const violations = violationsOf({
      bodies: [pct("5LE", { gssCode: "E16000128" }), pct("5LD", { odsCode: "5LE", gssCode: "E16000128" })]
    })
    expect(violations.map((v) => v.rule).sort()).toEqual(["registry/duplicate-gss-code", "registry/duplicate-ods-code"])
    expect(find(violations, "registry/duplicate-ods-code").bodies).toEqual(["5LE", "5LD"])
    expect(find(violations, "registry/duplicate-gss-code").message).toContain("E16000128")
  })

  it("rejects a relationship naming an unknown body", () => {
    const violations = violationsOf({ bodies: [pct("5LE")], relationships: [memberOf("5LE", "LDN-SECTOR-SE", "2006-10-01", "2013-04-01")] })
    expect(violations).toHaveLength(1)
    const v = find(violations, "registry/relationship-unknown-body")
    expect(v.bodies).toEqual(["5LE", "LDN-SECTOR-SE"])
    expect(v.dates).toEqual(["2006-10-01", "2013-04-01"])
    expect(v.message).toContain("LDN-SECTOR-SE")
  })

  it("rejects a relationship outside either body's period", () => {
    const violations = violationsOf({
      bodies: [pct("5LE"), sector("LDN-SECTOR-SE")],
      relationships: [memberOf("5LE", "LDN-SECTOR-SE", "2006-10-01", "2014-04-01")]
    })
    expect(violations.map((v) => v.rule)).toEqual(["registry/relationship-outside-period", "registry/relationship-outside-period"])
    expect(violations[0]?.bodies).toEqual(["5LE", "LDN-SECTOR-SE"])
    expect(violations[0]?.dates).toEqual(["2006-10-01", "2014-04-01", "2006-10-01", "2013-04-01"])
    expect(violations[0]?.message).toContain("5LE (Body 5LE) [2006-10-01, 2013-04-01)")
    expect(violations[1]?.message).toContain("LDN-SECTOR-SE (Body LDN-SECTOR-SE)")
  })

  it("an open-ended relationship with a body that closed is outside its period", () => {
    const violations = violationsOf({
      bodies: [pct("5LE"), council("E09000028")],
      relationships: [{ type: "nominated-to", from: "E09000028", to: "5LE", period: period("2010-01-01") }]
    })
    expect(violations).toHaveLength(1)
    expect(find(violations, "registry/relationship-outside-period").dates).toEqual(["2010-01-01", "2006-10-01", "2013-04-01"])
  })

  it("rejects a body related to itself", () => {
    const violations = violationsOf({
      bodies: [pct("5LE")],
      relationships: [
        { type: "hosted-by", from: "5LE", to: "5LE", period: period("2007-01-01", "2008-01-01") },
        memberOf("5LE", "5LE", "2007-01-01", "2008-01-01")
      ]
    })
    expect(violations.map((v) => v.rule)).toEqual(["registry/self-relationship", "registry/membership-cycle"])
    expect(violations.every((v) => v.bodies.join() === "5LE")).toBe(true)
  })

  it("rejects a succession to or from an unknown body", () => {
    const violations = violationsOf({ bodies: [ccg("08Q", "2013-04-01", "2020-04-01")], successions: [succession("08Q", "72Q", "2020-04-01"), succession("5LE", "08Q", "2013-04-01")] })
    expect(violations.map((v) => v.rule)).toEqual(["registry/succession-unknown-body", "registry/succession-unknown-body"])
    expect(violations[0]?.bodies).toEqual(["08Q", "72Q"])
    expect(violations[0]?.dates).toEqual(["2020-04-01"])
    expect(violations[0]?.message).toContain("no known body 72Q")
    expect(violations[1]?.message).toContain("no known body 5LE")
  })

  it("rejects a succession whose predecessor is still operational on the date", () => {
    const violations = violationsOf({
      bodies: [ccg("08Q", "2013-04-01", "2020-06-01"), ccg("72Q", "2020-04-01")],
      successions: [succession("08Q", "72Q", "2020-04-01")]
    })
    expect(violations).toHaveLength(1)
    const v = find(violations, "registry/succession-overlap")
    expect(v.bodies).toEqual(["08Q", "72Q"])
    expect(v.dates).toEqual(["2020-04-01", "2013-04-01", "2020-06-01"])
  })

  it("rejects a succession whose successor is not operational on the date", () => {
    const violations = violationsOf({
      bodies: [ccg("08Q", "2013-04-01", "2020-04-01"), ccg("72Q", "2020-05-01")],
      successions: [succession("08Q", "72Q", "2020-04-01")]
    })
    expect(violations).toHaveLength(1)
    const v = find(violations, "registry/succession-successor-not-operational")
    expect(v.bodies).toEqual(["08Q", "72Q"])
    expect(v.dates).toEqual(["2020-04-01", "2020-05-01"])
  })

  it("rejects a cycle of successions", () => {
    const violations = violationsOf({
      bodies: [ccg("AAA", "2013-04-01", "2015-04-01"), ccg("BBB", "2015-04-01", "2020-04-01"), ccg("CCC", "2020-04-01")],
      successions: [succession("AAA", "BBB", "2015-04-01"), succession("BBB", "CCC", "2020-04-01"), succession("CCC", "AAA", "2021-04-01")]
    })
    const v = find(violations, "registry/succession-cycle")
    expect(v.bodies).toEqual(["AAA", "BBB", "CCC"])
    expect(v.dates).toEqual(["2015-04-01", "2020-04-01", "2021-04-01"])
    expect(violations.filter((x) => x.rule === "registry/succession-cycle")).toHaveLength(1)
  })

  it("rejects member-of links forming a cycle while in force together", () => {
    const violations = violationsOf({
      bodies: [sector("LDN-SECTOR-SE"), { code: "SEL-JC", kind: "joint-committee", opened: "2006-10-01", closed: "2013-04-01" }, { code: "SEL-LCG", kind: "local-commissioning-group", opened: "2006-10-01", closed: "2013-04-01" }],
      relationships: [
        memberOf("SEL-JC", "LDN-SECTOR-SE", "2006-10-01", "2013-04-01"),
        memberOf("LDN-SECTOR-SE", "SEL-LCG", "2008-01-01", "2010-01-01"),
        memberOf("SEL-LCG", "SEL-JC", "2009-06-01", "2013-04-01")
      ]
    })
    expect(violations).toHaveLength(1)
    const v = find(violations, "registry/membership-cycle")
    expect(v.bodies).toEqual(["LDN-SECTOR-SE", "SEL-JC", "SEL-LCG"])
    expect(v.dates).toEqual(["2009-06-01"])
  })

  it("accepts member-of links that would form a cycle only if they were in force at the same time", () => {
    const registry = build({
      bodies: [sector("LDN-SECTOR-SE"), { code: "SEL-JC", kind: "joint-committee", opened: "2006-10-01", closed: "2013-04-01" }],
      relationships: [
        memberOf("SEL-JC", "LDN-SECTOR-SE", "2006-10-01", "2010-07-01"),
        memberOf("LDN-SECTOR-SE", "SEL-JC", "2010-07-01", "2013-04-01")
      ]
    })
    expect(codes(Registry.groupsOf(registry, "SEL-JC", d("2010-06-30")))).toEqual(["LDN-SECTOR-SE"])
    expect(codes(Registry.groupsOf(registry, "LDN-SECTOR-SE", d("2010-07-01")))).toEqual(["SEL-JC"])
  })

  it("reports every problem at once: three different problems give three violations", () => {
    const violations = violationsOf({
      bodies: [pct("5LE"), pct("5LE"), sector("LDN-SECTOR-SE"), ccg("08Q", "2013-04-01", "2020-04-01")],
      relationships: [memberOf("5LD", "LDN-SECTOR-SE", "2006-10-01", "2013-04-01")],
      successions: [succession("08Q", "72Q", "2020-04-01")]
    })
    expect(violations.map((v) => v.rule)).toEqual([
      "registry/duplicate-code",
      "registry/relationship-unknown-body",
      "registry/succession-unknown-body"
    ])
  })

  it("the failure is a RuleViolations error whose message names each rule", () => {
    const result = Registry.make(data({ bodies: [pct("5LE"), pct("5LE")] }))
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure._tag).toBe("RuleViolations")
      expect(result.failure.message).toContain("registry/duplicate-code")
    }
  })
})
