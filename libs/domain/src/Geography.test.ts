import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"
import * as Coterminosity from "./Coterminosity.ts"
import * as Geography from "./Geography.ts"
import * as Period from "./Period.ts"
import type * as Violation from "./Violation.ts"

const d = CalendarDate.unsafeMake
const SOUTHAMPTON = "E06000045"
const PORTSMOUTH = "E06000044"
const SOUTHWARK = "E09000028"

const cover = (area: string, body: string, role: Geography.Role, opened: string, closed?: string): Geography.Coverage => ({
  area,
  body,
  role,
  period: Period.unsafeMake(opened, closed)
})

const build = (areas: Iterable<Geography.Area>, coverage: Iterable<Geography.Coverage>): Geography.Geography => {
  const result = Geography.make(areas, coverage)
  if (Result.isFailure(result)) throw new Error(`unexpected violations: ${result.failure.message}`)
  return result.success
}

const violationsOf = (areas: Iterable<Geography.Area>, coverage: Iterable<Geography.Coverage>): ReadonlyArray<Violation.Violation> => {
  const result = Geography.make(areas, coverage)
  if (Result.isSuccess(result)) throw new Error("expected the geography to be rejected")
  return result.failure.violations
}

// Southwark's areas pass from Southwark CCG (08Q) to South East London CCG (72Q) on 2020-04-01; one of them was
// in Lambeth CCG (08K) until then (a boundary change).
const southwark = {
  areas: [{ code: "E01000001", weight: 1500 }, { code: "E01000002" }, { code: "E01000003", weight: 1700 }],
  coverage: [
    cover("E01000001", "08Q", "health", "2013-04-01", "2020-04-01"),
    cover("E01000002", "08Q", "health", "2013-04-01", "2020-04-01"),
    cover("E01000003", "08K", "health", "2013-04-01", "2020-04-01"),
    cover("E01000001", "72Q", "health", "2020-04-01"),
    cover("E01000002", "72Q", "health", "2020-04-01"),
    cover("E01000003", "72Q", "health", "2020-04-01"),
    cover("E01000001", SOUTHWARK, "council", "1965-04-01"),
    cover("E01000002", SOUTHWARK, "council", "1965-04-01"),
    cover("E01000003", SOUTHWARK, "council", "1965-04-01")
  ]
}

describe("Geography queries", () => {
  it("assignmentsAt picks the coverage in force at the date", () => {
    const geography = build(southwark.areas, southwark.coverage)
    expect(Geography.assignmentsAt(geography, d("2019-06-01"))).toEqual([
      { area: "E01000001", weight: 1500, health: "08Q", council: SOUTHWARK },
      { area: "E01000002", weight: 1, health: "08Q", council: SOUTHWARK },
      { area: "E01000003", weight: 1700, health: "08K", council: SOUTHWARK }
    ])
    expect(Geography.assignmentsAt(geography, d("2020-04-01")).map((a) => a.health)).toEqual(["72Q", "72Q", "72Q"])
    expect(Geography.assignmentsAt(geography, d("2020-03-31")).map((a) => a.health)).toEqual(["08Q", "08Q", "08K"])
  })

  it("areas without a health body or a council at the date are left out", () => {
    const geography = build(southwark.areas, southwark.coverage)
    expect(Geography.assignmentsAt(geography, d("2010-01-01"))).toEqual([])
    const noCouncil = build([{ code: "E01000009" }], [cover("E01000009", "08Q", "health", "2013-04-01")])
    expect(Geography.assignmentsAt(noCouncil, d("2015-01-01"))).toEqual([])
  })

  it("areasOf lists the areas a body covers on the date", () => {
    const geography = build(southwark.areas, southwark.coverage)
    expect(Geography.areasOf(geography, "08Q", d("2019-06-01"))).toEqual(["E01000001", "E01000002"])
    expect(Geography.areasOf(geography, "08Q", d("2021-01-01"))).toEqual([])
    expect(Geography.areasOf(geography, "72Q", d("2021-01-01"))).toEqual(["E01000001", "E01000002", "E01000003"])
    expect(Geography.areasOf(geography, SOUTHWARK, d("1990-01-01"))).toEqual(["E01000001", "E01000002", "E01000003"])
    expect(Geography.areasOf(geography, "NOBODY", d("2021-01-01"))).toEqual([])
  })

  it("weightOf gives the weight, 1 when none was given", () => {
    const geography = build(southwark.areas, southwark.coverage)
    expect(Geography.weightOf(geography, "E01000001")).toBe(1500)
    expect(Geography.weightOf(geography, "E01000002")).toBe(1)
    expect(Geography.weightOf(geography, "E01999999")).toBeUndefined()
  })

  it("Southampton CCG is coterminous with the city until it closes, then part of a union", () => {
    // 10X held Southampton until 2021-03-31; Hampshire and Isle of Wight CCG (D9Y0V) then held it with Portsmouth.
    const areas = ["E01017140", "E01017141", "E01017142", "E01017010", "E01017011"].map((code) => ({ code }))
    const coverage = [
      ...["E01017140", "E01017141", "E01017142"].flatMap((area) => [
        cover(area, "10X", "health", "2013-04-01", "2021-04-01"),
        cover(area, "D9Y0V", "health", "2021-04-01"),
        cover(area, SOUTHAMPTON, "council", "1997-04-01")
      ]),
      ...["E01017010", "E01017011"].flatMap((area) => [
        cover(area, "10R", "health", "2013-04-01", "2021-04-01"),
        cover(area, "D9Y0V", "health", "2021-04-01"),
        cover(area, PORTSMOUTH, "council", "1997-04-01")
      ])
    ]
    const geography = build(areas, coverage)
    const before = Coterminosity.report(Geography.assignmentsAt(geography, d("2021-03-31")))
    expect(before.bodies.map((b) => [b.body, b.relation])).toEqual([["10R", "coterminous"], ["10X", "coterminous"]])
    const after = Coterminosity.report(Geography.assignmentsAt(geography, d("2021-04-01")))
    expect(after.bodies.map((b) => [b.body, b.relation])).toEqual([["D9Y0V", "union"]])
  })
})

describe("Geography validation", () => {
  it("rejects coverage of an area that is not listed", () => {
    const violations = violationsOf([{ code: "E01000001" }], [cover("E01000002", "08Q", "health", "2013-04-01", "2020-04-01")])
    expect(violations).toHaveLength(1)
    expect(violations[0]?.rule).toBe("geography/unknown-area")
    expect(violations[0]?.bodies).toEqual(["08Q"])
    expect(violations[0]?.dates).toEqual(["2013-04-01", "2020-04-01"])
    expect(violations[0]?.message).toContain("E01000002")
  })

  it("rejects an area covered by two bodies of the same role at the same time", () => {
    const violations = violationsOf(
      [{ code: "E01000001" }],
      [
        cover("E01000001", "08Q", "health", "2013-04-01", "2020-04-01"),
        cover("E01000001", "72Q", "health", "2019-04-01")
      ]
    )
    expect(violations).toHaveLength(1)
    expect(violations[0]?.rule).toBe("geography/overlapping-coverage")
    expect(violations[0]?.bodies).toEqual(["08Q", "72Q"])
    expect(violations[0]?.dates).toEqual(["2019-04-01", "2020-04-01"])
    expect(violations[0]?.message).toContain("E01000001")
    expect(violations[0]?.message).toContain("two health bodies")
  })

  it("rejects two councils on one area at once, but not one after the other", () => {
    const overlapping = violationsOf(
      [{ code: "E01000001" }],
      [cover("E01000001", SOUTHWARK, "council", "1965-04-01"), cover("E01000001", "E09000022", "council", "2000-01-01")]
    )
    expect(overlapping.map((v) => v.rule)).toEqual(["geography/overlapping-coverage"])
    expect(overlapping[0]?.dates).toEqual(["2000-01-01"])
    const sequential = build(
      [{ code: "E01000001" }],
      [
        cover("E01000001", SOUTHWARK, "council", "1965-04-01", "2000-01-01"),
        cover("E01000001", "E09000022", "council", "2000-01-01"),
        cover("E01000001", "08Q", "health", "1999-01-01")
      ]
    )
    expect(Geography.assignmentsAt(sequential, d("2000-01-01"))[0]?.council).toBe("E09000022")
  })

  it("rejects negative and non-finite weights", () => {
    const violations = violationsOf(
      [
        { code: "E01000001", weight: -1 },
        { code: "E01000002", weight: Number.NaN },
        { code: "E01000003", weight: Number.POSITIVE_INFINITY },
        { code: "E01000004", weight: 0 }
      ],
      []
    )
    expect(violations.map((v) => v.rule)).toEqual(["geography/invalid-weight", "geography/invalid-weight", "geography/invalid-weight"])
    expect(violations.map((v) => v.message.split(" ")[1])).toEqual(["E01000001", "E01000002", "E01000003"])
    expect(violations[1]?.message).toContain("NaN")
  })

  it("rejects an area listed twice and a body covering in both roles", () => {
    const violations = violationsOf(
      [{ code: "E01000001" }, { code: "E01000001" }, { code: "E01000002" }],
      [cover("E01000001", "08Q", "health", "2013-04-01"), cover("E01000002", "08Q", "council", "2013-04-01")]
    )
    expect(violations.map((v) => v.rule)).toEqual(["geography/duplicate-area", "geography/conflicting-role"])
    expect(violations[1]?.bodies).toEqual(["08Q"])
  })

  it("reports every problem at once", () => {
    const violations = violationsOf(
      [{ code: "E01000001", weight: -5 }],
      [
        cover("E01000009", "08Q", "health", "2013-04-01"),
        cover("E01000001", "08Q", "health", "2013-04-01"),
        cover("E01000001", "08K", "health", "2013-04-01")
      ]
    )
    expect(violations.map((v) => v.rule)).toEqual([
      "geography/invalid-weight",
      "geography/unknown-area",
      "geography/overlapping-coverage"
    ])
  })
})

describe("Geography properties", () => {
  it("assignmentsAt and areasOf agree with the coverage in force, area by area", () => {
    // Each area passes through a random sequence of health bodies at random boundaries; the council never changes.
    const areaHistory = fc.record({
      bodies: fc.array(fc.constantFrom("08Q", "08K", "72Q", "07T"), { minLength: 1, maxLength: 4 }),
      days: fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 5, maxLength: 5 }).map((ds) => ds.sort((a, b) => a - b))
    })
    fc.assert(
      fc.property(fc.array(areaHistory, { minLength: 1, maxLength: 12 }), fc.integer({ min: -10, max: 5010 }), (histories, queryDay) => {
        const day = (n: number) => CalendarDate.fromEpochDay(16_000 + n)
        const query = day(queryDay)
        const coverage: Array<Geography.Coverage> = []
        const expected: Array<{ area: string; health: string }> = []
        histories.forEach(({ bodies, days }, i) => {
          const area = `E0100${String(i).padStart(4, "0")}`
          coverage.push(cover(area, SOUTHWARK, "council", "1965-04-01"))
          bodies.forEach((body, j) => {
            const opened = day(days[j] as number)
            const closed = j === bodies.length - 1 ? undefined : day(days[j + 1] as number)
            coverage.push(cover(area, body, "health", opened, closed))
            if (opened <= query && (closed === undefined || query < closed)) expected.push({ area, health: body })
          })
        })
        const geography = build(histories.map((_, i) => ({ code: `E0100${String(i).padStart(4, "0")}` })), coverage)
        const assigned = Geography.assignmentsAt(geography, query)
        expect(assigned.map(({ area, health }) => ({ area, health }))).toEqual(expected)
        for (const body of ["08Q", "08K", "72Q", "07T"]) {
          expect(Geography.areasOf(geography, body, query)).toEqual(expected.filter((e) => e.health === body).map((e) => e.area))
        }
      })
    )
  })
})
