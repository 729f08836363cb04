import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Coterminosity from "./Coterminosity.ts"

const CITY = "E09000001"
const HACKNEY = "E09000012"
const KENSINGTON = "E09000020"
const WESTMINSTER = "E09000033"
const SOUTHWARK = "E09000028"
const SOUTHAMPTON = "E06000045"
const HAMPSHIRE = "E10000014"

/** `count` areas named `prefix1..`, each of `weight`, held by `health` and `council`. */
const areas = (prefix: string, count: number, health: string, council: string, weight = 1): Array<Coterminosity.Assignment> =>
  Array.from({ length: count }, (_, i) => ({ area: `${prefix}${i + 1}`, weight, health, council }))

// Inner London in miniature (populations in thousands): City and Hackney CCG holds the City and Hackney whole;
// Central London CCG holds part of Westminster; West London CCG holds all of Kensington & Chelsea and the rest of
// Westminster; Southwark CCG holds exactly Southwark.
const london: Array<Coterminosity.Assignment> = [
  ...areas("CITY", 1, "07T", CITY, 8),
  ...areas("HACK", 4, "07T", HACKNEY, 70),
  ...areas("WCEN", 3, "09A", WESTMINSTER, 50),
  ...areas("WWST", 1, "08Y", WESTMINSTER, 50),
  ...areas("KENS", 3, "08Y", KENSINGTON, 50),
  ...areas("SWRK", 5, "08Q", SOUTHWARK, 60)
]

const relation = (report: Coterminosity.Report, body: string): Coterminosity.BodyRelation => {
  const found = report.bodies.find((b) => b.body === body)
  if (found === undefined) throw new Error(`no ${body} in the report`)
  return found
}

describe("Coterminosity relations", () => {
  const report = Coterminosity.report(london)

  it("a CCG holding two whole councils is a union (City and Hackney)", () => {
    const cityAndHackney = relation(report, "07T")
    expect(cityAndHackney.relation).toBe("union")
    expect(cityAndHackney.areas).toBe(5)
    expect(cityAndHackney.weight).toBe(288)
    expect(cityAndHackney.councils).toEqual([
      { council: CITY, areas: 1, weight: 8, shareOfBody: 8 / 288, shareOfCouncil: 1 },
      { council: HACKNEY, areas: 4, weight: 280, shareOfBody: 280 / 288, shareOfCouncil: 1 }
    ])
  })

  it("a CCG holding part of one council is within it (Central London in Westminster)", () => {
    const central = relation(report, "09A")
    expect(central.relation).toBe("within")
    expect(central.councils).toEqual([{ council: WESTMINSTER, areas: 3, weight: 150, shareOfBody: 1, shareOfCouncil: 0.75 }])
  })

  it("a CCG holding one council whole and part of another is crossing (West London)", () => {
    const west = relation(report, "08Y")
    expect(west.relation).toBe("crossing")
    expect(west.councils.map((c) => [c.council, c.shareOfBody, c.shareOfCouncil])).toEqual([
      [KENSINGTON, 0.75, 1],
      [WESTMINSTER, 0.25, 0.25]
    ])
  })

  it("a CCG holding exactly one council's areas is coterminous (Southwark)", () => {
    expect(relation(report, "08Q")).toEqual({
      body: "08Q",
      relation: "coterminous",
      areas: 5,
      weight: 300,
      councils: [{ council: SOUTHWARK, areas: 5, weight: 300, shareOfBody: 1, shareOfCouncil: 1 }]
    })
  })

  it("the report lists every health body sorted by code with the summary counts", () => {
    expect(report.bodies.map((b) => b.body)).toEqual(["07T", "08Q", "08Y", "09A"])
    expect(report.summary).toEqual({ coterminous: 1, union: 1, within: 1, crossing: 1 })
  })

  it("relationOf answers for one body like the report, and nothing for a body with no areas", () => {
    expect(Coterminosity.relationOf(london, "08Y")).toEqual(relation(report, "08Y"))
    expect(Coterminosity.relationOf(london, "07T")).toEqual(relation(report, "07T"))
    expect(Coterminosity.relationOf(london, "5LE")).toBeUndefined()
  })

  it("an empty lookup gives an empty report", () => {
    expect(Coterminosity.report([])).toEqual({ bodies: [], summary: { coterminous: 0, union: 0, within: 0, crossing: 0 } })
  })

  it("weights count, not the number of areas: a body holding few but heavy areas of a council", () => {
    const lookup = [
      ...areas("A", 1, "H1", "C1", 90),
      ...areas("B", 9, "H2", "C1", 10)
    ]
    const h1 = relation(Coterminosity.report(lookup), "H1")
    expect(h1.councils[0]?.shareOfCouncil).toBe(0.5)
    expect(h1.councils[0]?.areas).toBe(1)
  })

  it("areas of weight 0 fall back to shares by number of areas", () => {
    const lookup = [...areas("A", 2, "H1", "C1", 0), ...areas("B", 2, "H2", "C1", 0)]
    const h1 = relation(Coterminosity.report(lookup), "H1")
    expect(h1.relation).toBe("within")
    expect(h1.councils[0]?.shareOfCouncil).toBe(0.5)
    expect(h1.councils[0]?.shareOfBody).toBe(1)
  })
})

describe("Coterminosity tolerance", () => {
  // Southampton CCG with 99 of the city's 100 areas; the 100th is assigned to a Hampshire CCG by best fit.
  const lookup = [
    ...areas("SOTN", 99, "10X", SOUTHAMPTON),
    { area: "SOTN100", weight: 1, health: "10J", council: SOUTHAMPTON },
    ...areas("HANTS", 50, "10J", HAMPSHIRE)
  ]

  it("without tolerance a 99% share of the council is only part of it", () => {
    expect(relation(Coterminosity.report(lookup), "10X").relation).toBe("within")
  })

  it("a tolerance of 0.01 lets the 99% share count as whole", () => {
    const report = Coterminosity.report(lookup, { tolerance: 0.01 })
    expect(relation(report, "10X").relation).toBe("coterminous")
    expect(relation(report, "10X").councils[0]?.shareOfCouncil).toBe(0.99)
  })

  it("a smaller tolerance than the gap does not", () => {
    expect(relation(Coterminosity.report(lookup, { tolerance: 0.009 }), "10X").relation).toBe("within")
  })

  it("a body touching two councils is never coterminous, however small one share is", () => {
    // 10J holds 1/51 of its weight in Southampton: a sliver, but still a second council.
    expect(relation(Coterminosity.report(lookup, { tolerance: 0.05 }), "10J").relation).toBe("crossing")
  })

  it("the Tolerance schema accepts 0 <= t < 1 and nothing else", () => {
    const valid = [0, 0.01, 0.5, 0.999]
    const invalid = [1, 1.5, -0.01, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "0.1"]
    expect(valid.map(Coterminosity.isTolerance)).toEqual(valid.map(() => true))
    expect(invalid.map(Coterminosity.isTolerance)).toEqual(invalid.map(() => false))
    expect(Schema.decodeUnknownSync(Coterminosity.Tolerance)(0.02)).toBe(0.02)
    expect(() => Schema.decodeUnknownSync(Coterminosity.Tolerance)(1)).toThrow(/0 <= t < 1/)
  })
})

describe("Coterminosity.classify", () => {
  const share = (council: string, shareOfBody: number, shareOfCouncil: number): Coterminosity.CouncilShare => ({
    council,
    areas: 1,
    weight: 1,
    shareOfBody,
    shareOfCouncil
  })

  it("follows the four definitions", () => {
    expect(Coterminosity.classify([share("C1", 1, 1)], 0)).toBe("coterminous")
    expect(Coterminosity.classify([share("C1", 1, 0.4)], 0)).toBe("within")
    expect(Coterminosity.classify([share("C1", 0.5, 1), share("C2", 0.5, 1)], 0)).toBe("union")
    expect(Coterminosity.classify([share("C1", 0.5, 1), share("C2", 0.5, 0.9)], 0)).toBe("crossing")
    expect(Coterminosity.classify([share("C1", 0.3, 0.3), share("C2", 0.7, 0.1)], 0)).toBe("crossing")
    expect(Coterminosity.classify([], 0)).toBe("crossing")
  })

  it("a share of exactly 1 - tolerance is whole, just below is not", () => {
    expect(Coterminosity.classify([share("C1", 1, 0.75)], 0.25)).toBe("coterminous")
    expect(Coterminosity.classify([share("C1", 1, 0.7499)], 0.25)).toBe("within")
    expect(Coterminosity.classify([share("C1", 0.5, 0.75), share("C2", 0.5, 0.8)], 0.25)).toBe("union")
  })
})

// ---------------------------------------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------------------------------------

const HEALTH = ["H1", "H2", "H3", "H4", "H5"]
const COUNCILS = ["C1", "C2", "C3", "C4"]

/** Random small lookups: up to 40 areas, each held by one of 5 health bodies and one of 4 councils. */
const lookupOf = (weight: fc.Arbitrary<number>): fc.Arbitrary<Array<Coterminosity.Assignment>> =>
  fc
    .array(fc.record({ health: fc.constantFrom(...HEALTH), council: fc.constantFrom(...COUNCILS), weight }), {
      minLength: 1,
      maxLength: 40
    })
    .map((rows) => rows.map((row, i) => ({ area: `A${i}`, ...row })))

// Integer weights keep every sum exact, so results can be compared exactly whatever the order.
const integerLookup = lookupOf(fc.integer({ min: 1, max: 1000 }))

const shuffled = <A>(items: ReadonlyArray<A>): fc.Arbitrary<Array<A>> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length })

/** The definitions of DOMAIN.md §2 as sets of areas, computed by brute force (positive weights, tolerance 0). */
const bruteForceRelation = (lookup: ReadonlyArray<Coterminosity.Assignment>, body: string): Coterminosity.Relation => {
  const held = new Set(lookup.filter((a) => a.health === body).map((a) => a.area))
  const touched = [...new Set(lookup.filter((a) => a.health === body).map((a) => a.council))]
  const areasOfCouncil = (council: string) => lookup.filter((a) => a.council === council).map((a) => a.area)
  const heldWhole = (council: string) => areasOfCouncil(council).every((area) => held.has(area))
  if (touched.length === 1) {
    const only = touched[0] as string
    const sameAreas = heldWhole(only) && areasOfCouncil(only).length === held.size
    return sameAreas ? "coterminous" : "within"
  }
  return touched.every(heldWhole) ? "union" : "crossing"
}

/** The weighted shares by brute force: every sum by filtering the whole lookup. */
const bruteForceShares = (lookup: ReadonlyArray<Coterminosity.Assignment>, body: string) => {
  const sum = (rows: ReadonlyArray<Coterminosity.Assignment>) => rows.reduce((total, a) => total + a.weight, 0)
  const councils = [...new Set(lookup.filter((a) => a.health === body).map((a) => a.council))].sort()
  return councils.map((council) => {
    const both = sum(lookup.filter((a) => a.health === body && a.council === council))
    return {
      council,
      shareOfBody: both / sum(lookup.filter((a) => a.health === body)),
      shareOfCouncil: both / sum(lookup.filter((a) => a.council === council))
    }
  })
}

describe("Coterminosity properties", () => {
  it("a body's shares over its councils sum to 1", () => {
    fc.assert(
      fc.property(lookupOf(fc.double({ min: 0.001, max: 1e6, noNaN: true })), (lookup) => {
        for (const body of Coterminosity.report(lookup).bodies) {
          const total = body.councils.reduce((sum, c) => sum + c.shareOfBody, 0)
          expect(total).toBeCloseTo(1, 9)
        }
      })
    )
  })

  it("the report does not depend on the order of the assignments", () => {
    fc.assert(
      fc.property(
        integerLookup.chain((lookup) => fc.tuple(fc.constant(lookup), shuffled(lookup))),
        ([lookup, reordered]) => {
          expect(Coterminosity.report(reordered)).toEqual(Coterminosity.report(lookup))
        }
      )
    )
  })

  it("the summary counts the relations of the bodies listed", () => {
    fc.assert(
      fc.property(integerLookup, fc.constantFrom(0, 0.1, 0.3), (lookup, tolerance) => {
        const report = Coterminosity.report(lookup, { tolerance })
        const counted = { coterminous: 0, union: 0, within: 0, crossing: 0 }
        for (const body of report.bodies) counted[body.relation] += 1
        expect(report.summary).toEqual(counted)
        const bodies = new Set(lookup.map((a) => a.health))
        expect(report.bodies.length).toBe(bodies.size)
      })
    )
  })

  it("agrees with a brute-force computation from the set definitions", () => {
    fc.assert(
      fc.property(integerLookup, (lookup) => {
        const report = Coterminosity.report(lookup)
        const bodies = [...new Set(lookup.map((a) => a.health))].sort()
        expect(report.bodies.map((b) => b.body)).toEqual(bodies)
        for (const body of bodies) {
          const computed = relation(report, body)
          expect(computed.relation).toBe(bruteForceRelation(lookup, body))
          expect(computed.councils.map(({ council, shareOfBody, shareOfCouncil }) => ({ council, shareOfBody, shareOfCouncil })))
            .toEqual(bruteForceShares(lookup, body))
        }
      })
    )
  })

  it("agrees with brute force under a tolerance", () => {
    fc.assert(
      fc.property(integerLookup, fc.double({ min: 0, max: 0.6, noNaN: true }), (lookup, tolerance) => {
        const report = Coterminosity.report(lookup, { tolerance })
        for (const computed of report.bodies) {
          const shares = bruteForceShares(lookup, computed.body)
          const whole = (share: number) => share >= 1 - tolerance
          const only = shares[0]
          const expected: Coterminosity.Relation =
            shares.length === 1 && only !== undefined
              ? whole(only.shareOfCouncil) ? "coterminous" : "within"
              : shares.every((s) => whole(s.shareOfCouncil)) ? "union" : "crossing"
          expect(computed.relation).toBe(expected)
        }
      })
    )
  })

  it("reads the assignments in a single pass", () => {
    let reads = 0
    function* counted(): Generator<Coterminosity.Assignment> {
      for (const a of london) {
        reads += 1
        yield a
      }
    }
    const report = Coterminosity.report(counted())
    expect(reads).toBe(london.length)
    expect(report.summary).toEqual({ coterminous: 1, union: 1, within: 1, crossing: 1 })
  })
})
