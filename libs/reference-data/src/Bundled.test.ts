import { CalendarDate, Coterminosity, Geography, Organisation, Period, Registry } from "@hub/domain"
import { Effect, Result, Schema } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as BoardPapers from "./BoardPapers.ts"
import * as Bundled from "./Bundled.ts"
import * as BuildBundled from "./build/BuildBundled.ts"
import * as ReferenceFiles from "./ReferenceFiles.ts"

const day = CalendarDate.unsafeMake
const codes = (bodies: ReadonlyArray<Organisation.Body>): Array<string> => bodies.map((b) => b.code)

describe("the bundled registry", () => {
  it("builds with no violations, from the register data alone and merged with the board papers", () => {
    for (const data of [Bundled.registerOrganisations(), Bundled.organisations()]) {
      const built = Registry.make(data)
      expect(Result.isSuccess(built) ? [] : built.failure.violations).toEqual([])
    }
  })

  it("holds every register body and every board-paper body, with the papers' memberships in force", () => {
    const registry = Bundled.registry()
    const expected = [...Bundled.registerOrganisations().bodies, ...BoardPapers.organisations.bodies].map((b) => b.code).sort()
    expect(codes(Registry.bodies(registry))).toEqual(expected)
    const date = day("2010-07-15")
    const fromPapers = BoardPapers.organisations.relationships
      .filter((r) => r.type === "member-of" && r.from === "5LE" && Period.contains(r.period, date))
      .map((r) => r.to)
    expect(fromPapers.length).toBeGreaterThan(0)
    expect(codes(Registry.groupsOf(registry, "5LE", date))).toEqual(["LDN-SECTOR-SE", ...fromPapers].sort())
  })

  it("Southwark PCT (5LE) is in the South East sector on 2010-07-15, and in none after PCTs closed", () => {
    const registry = Bundled.registry()
    const sectorsOf = (date: string) => codes(Registry.groupsOf(registry, "5LE", day(date)).filter((g) => g.kind === "sector"))
    expect(sectorsOf("2010-07-15")).toEqual(["LDN-SECTOR-SE"])
    expect(Registry.groupsOf(registry, "5LE", day("2013-04-01"))).toEqual([])
  })

  it("the six sectors hold the 31 London PCTs as DOMAIN.md §1 lists them", () => {
    const registry = Bundled.registry()
    const date = day("2010-07-15")
    const members = (sector: string) => codes(Registry.membersAt(registry, sector, date))
    expect(members("LDN-SECTOR-SE")).toEqual(["5A7", "5A8", "5LD", "5LE", "5LF", "TAK"])
    expect(members("LDN-SECTOR-INE")).toEqual(["5C3", "5C4", "5C5"])
    expect(["NW", "NC", "INE", "ONE", "SE", "SW"].map((s) => members(`LDN-SECTOR-${s}`).length)).toEqual([8, 5, 3, 4, 6, 5])
    const pcts = Registry.operationalAt(registry, date, { kind: "primary-care-trust" })
    expect(pcts).toHaveLength(32) // 31 London PCTs and Southampton City
    expect(Registry.get(registry, "TAK")?.name).toBe("Bexley Care Trust")
  })

  it("Southwark CCG (08Q) answers as itself on 2019-04-01 and is succeeded by South East London CCG (72Q) on 2020-04-01", () => {
    const registry = Bundled.registry()
    expect(codes(Registry.successorsAt(registry, "08Q", day("2019-04-01")))).toEqual(["08Q"])
    expect(codes(Registry.successorsAt(registry, "08Q", day("2020-04-01")))).toEqual(["72Q"])
    expect(codes(Registry.predecessorsOf(registry, "72Q"))).toEqual(["07N", "07Q", "08A", "08K", "08L", "08Q"])
  })

  it("London has 32 CCGs in 2013 and 18 after the 2020 mergers; Southampton CCG closes on 2021-04-01", () => {
    const registry = Bundled.registry()
    const ccgsAt = (date: string) =>
      Registry.operationalAt(registry, day(date), { kind: "clinical-commissioning-group" }).filter((b) => b.code !== "10X")
    expect(ccgsAt("2013-04-01")).toHaveLength(32)
    expect(ccgsAt("2020-04-01")).toHaveLength(18)
    expect(Registry.get(registry, "10X")?.period).toEqual(Period.unsafeMake("2013-04-01", "2021-04-01"))
    expect(Registry.isOperational(registry, "10X", day("2021-04-01"))).toBe(false)
  })
})

describe("the bundled geography", () => {
  const relations = (date: string): ReadonlyMap<string, Coterminosity.BodyRelation> =>
    new Map(Coterminosity.report(Geography.assignmentsAt(Bundled.geography(), day(date))).bodies.map((b) => [b.body, b]))

  it("the two-council PCTs, City and Hackney (5C3) and Sutton and Merton (5M7), are unions; the others coterminous", () => {
    const pcts = relations("2010-07-15")
    expect(pcts.get("5C3")?.relation).toBe("union")
    expect(pcts.get("5C3")?.councils.map((c) => c.council)).toEqual(["E09000001", "E09000012"])
    expect(pcts.get("5M7")?.relation).toBe("union")
    expect(pcts.get("5M7")?.councils.map((c) => c.council)).toEqual(["E09000024", "E09000029"])
    const others = [...pcts.values()].filter((r) => r.body !== "5C3" && r.body !== "5M7")
    expect(others).toHaveLength(30)
    expect(others.every((r) => r.relation === "coterminous")).toBe(true)
  })

  it("coterminosity changes with time: Southampton CCG (10X) is coterminous until it closes", () => {
    expect(relations("2016-04-01").get("10X")?.relation).toBe("coterminous")
    expect(relations("2021-03-31").get("10X")?.relation).toBe("coterminous")
    expect(relations("2021-04-01").get("10X")).toBeUndefined()
    expect(relations("2016-04-01").get("08Y")?.relation).toBe("crossing")
    expect(relations("2020-04-01").get("72Q")?.councils).toHaveLength(6)
  })

  it("holds every LSOA of London and Southampton", () => {
    const geography = Bundled.geography()
    expect(geography.areas).toHaveLength(4835 + 148)
    expect(Geography.areasOf(geography, "E06000045", day("2015-01-01"))).toHaveLength(148)
  })
})

describe("the committed bundle", () => {
  it("is exactly what the build script derives from the real files", async () => {
    const derived = await Effect.runPromise(BuildBundled.derive)
    if (Result.isFailure(derived)) throw new Error(derived.failure.join("\n"))
    expect(readFileSync(ReferenceFiles.bundledOrganisations, "utf8")).toBe(BuildBundled.toJsonText(derived.success.organisations))
    expect(readFileSync(ReferenceFiles.bundledGeography, "utf8")).toBe(BuildBundled.toJsonText(derived.success.geography))
  })
})

describe("merge", () => {
  const body = (code: string, kind: Organisation.Body["kind"], opened = "2006-10-01"): Organisation.Body =>
    Schema.decodeUnknownSync(Organisation.Body)({ code, name: code, kind, statutory: false, period: { opened } })

  it("keeps one copy of a body both sources describe alike, and both when they disagree, so the registry objects", () => {
    const register = { bodies: [body("Q36", "strategic-health-authority")], relationships: [], successions: [] }
    const alike = { bodies: [body("Q36", "strategic-health-authority"), body("LCG-SEL", "local-commissioning-group")], relationships: [], successions: [] }
    expect(codes(Bundled.merge(register, alike).bodies)).toEqual(["Q36", "LCG-SEL"])
    const conflicting = { bodies: [body("Q36", "sector")], relationships: [], successions: [] }
    const merged = Bundled.merge(register, conflicting)
    expect(codes(merged.bodies)).toEqual(["Q36", "Q36"])
    const built = Registry.make(merged)
    expect(Result.isFailure(built) && built.failure.violations.map((v) => v.rule)).toEqual(["registry/duplicate-code"])
  })
})
