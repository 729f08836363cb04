import { Coterminosity } from "@hub/domain"
import { Effect } from "effect"
import fc from "fast-check"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as OnsLookup from "./OnsLookup.ts"
import * as ReferenceFiles from "./ReferenceFiles.ts"

const dir = mkdtempSync(join(tmpdir(), "ons-lookup-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const load = (file: string, options?: OnsLookup.Options) => Effect.runPromise(OnsLookup.load(file, options))
const failure = (file: string) => Effect.runPromise(Effect.flip(OnsLookup.load(file)))

/** The first data lines of the real 2015 lookup, parsed here with a plain split (its values hold no quotes but for names). */
const realText = readFileSync(ReferenceFiles.onsLookup2015, "utf8")
const realLines = realText.split(/\r?\n/u)
const sampleLines = realLines.slice(1, 301)

/** Splits a line of the real file, honouring double-quoted names that hold commas. */
const splitCsv = (line: string): Array<string> => {
  const out: Array<string> = []
  let field = ""
  let quoted = false
  for (const ch of line) {
    if (ch === "\"") quoted = !quoted
    else if (ch === "," && !quoted) {
      out.push(field)
      field = ""
    } else field += ch
  }
  out.push(field)
  return out
}
const quote = (v: string): string => (v.includes(",") ? `"${v}"` : v)

/** Writes the sample with the columns in `order` (names of the 2015 header) under renamed headers. */
const variant = (name: string, order: ReadonlyArray<string>, rename: (h: string) => string, eol = "\n"): string => {
  const header = ["LSOA11CD", "LSOA11NM", "CCG15CD", "CCG15CDH", "CCG15NM", "LAD15CD", "LAD15NM", "FID"]
  const rows = sampleLines.map((line) => {
    const fields = splitCsv(line)
    return order.map((col) => quote(fields[header.indexOf(col)] as string)).join(",")
  })
  return write(name, [order.map(rename).join(","), ...rows].join(eol) + eol)
}

describe("OnsLookup on the real July 2015 lookup", () => {
  let lookup: OnsLookup.OnsLookup
  let report: Coterminosity.Report
  const gssOf = (ods: string): string =>
    [...lookup.healthBodies.values()].find((b) => b.odsCode === ods)?.gssCode as string
  const relation = (ods: string) => report.bodies.find((b) => b.body === gssOf(ods)) as Coterminosity.BodyRelation

  beforeAll(async () => {
    lookup = await load(ReferenceFiles.onsLookup2015)
    report = Coterminosity.report(OnsLookup.assignments(lookup))
  })

  it("reads every LSOA of England with the columns found by name", () => {
    expect(lookup.rows).toHaveLength(32_844)
    expect(lookup.layout.health.name).toBe("CCG15CD")
    expect(lookup.layout.healthOds?.name).toBe("CCG15CDH")
    expect(lookup.layout.council.name).toBe("LAD15CD")
    expect(lookup.healthBodies.get("E38000171")).toEqual({ gssCode: "E38000171", odsCode: "08Q", name: "NHS Southwark CCG" })
    expect(lookup.healthBodies.get("E38000001")?.name).toBe("NHS Airedale, Wharfedale and Craven CCG")
  })

  it("City and Hackney CCG (07T) is the union of Hackney and the City of London", () => {
    const r = relation("07T")
    expect(r.relation).toBe("union")
    expect(r.councils.map((c) => c.council)).toEqual(["E09000001", "E09000012"])
  })

  it("Central London CCG (09A) is within Westminster", () => {
    const r = relation("09A")
    expect(r.relation).toBe("within")
    expect(r.councils.map((c) => c.council)).toEqual(["E09000033"])
    expect(r.councils[0]?.shareOfCouncil).toBeLessThan(1)
  })

  it("West London CCG (08Y) crosses Kensington and Chelsea (whole) and Westminster (part)", () => {
    const r = relation("08Y")
    expect(r.relation).toBe("crossing")
    const [kc, westminster] = r.councils
    expect(kc?.council).toBe("E09000020")
    expect(kc?.shareOfCouncil).toBe(1)
    expect(westminster?.council).toBe("E09000033")
    expect(westminster?.shareOfCouncil).toBeLessThan(1)
  })

  it("Southampton CCG (10X) is coterminous with Southampton (E06000045)", () => {
    const r = relation("10X")
    expect(r.relation).toBe("coterminous")
    expect(r.councils).toHaveLength(1)
    expect(r.councils[0]?.council).toBe("E06000045")
    expect(r.areas).toBe(148)
  })

  it("summary counts agree with an independent grouping of the raw file", () => {
    // Independent: split the raw text, group LSOAs by CCG then council with nested objects, and classify by
    // comparing area sets directly rather than by shares.
    const byCcg: Record<string, Record<string, Array<string>>> = {}
    const byCouncil: Record<string, Array<string>> = {}
    for (const line of realLines.slice(1)) {
      if (line.trim() === "") continue
      const [lsoa, , ccg, , , lad] = splitCsv(line) as [string, string, string, string, string, string]
      ;((byCcg[ccg] ??= {})[lad] ??= []).push(lsoa)
      ;(byCouncil[lad] ??= []).push(lsoa)
    }
    const expected = { coterminous: 0, union: 0, within: 0, crossing: 0 }
    for (const councils of Object.values(byCcg)) {
      const names = Object.keys(councils)
      const whole = names.filter((lad) => councils[lad]?.length === byCouncil[lad]?.length)
      if (names.length === 1) expected[whole.length === 1 ? "coterminous" : "within"] += 1
      else expected[whole.length === names.length ? "union" : "crossing"] += 1
    }
    expect(report.summary).toEqual(expected)
    expect(report.bodies).toHaveLength(Object.keys(byCcg).length)
  })
})

describe("OnsLookup layouts", () => {
  const order2015 = ["LSOA11CD", "LSOA11NM", "CCG15CD", "CCG15CDH", "CCG15NM", "LAD15CD", "LAD15NM", "FID"]
  let reference: OnsLookup.OnsLookup
  beforeAll(async () => {
    reference = await load(variant("reference.csv", order2015, (h) => h))
  })
  const sameContent = (a: OnsLookup.OnsLookup, b: OnsLookup.OnsLookup): void => {
    expect(a.rows).toEqual(b.rows)
    expect([...a.healthBodies]).toEqual([...b.healthBodies])
    expect([...a.councils]).toEqual([...b.councils])
  }

  it("the sample holds several CCGs and councils, so a wrong column would show", () => {
    expect(reference.rows).toHaveLength(300)
    expect(reference.healthBodies.size).toBeGreaterThan(1)
    expect(reference.councils.size).toBeGreaterThan(1)
  })

  it("FID first and the 2020 suffixes (as ONS published the April 2020 lookup) import identically", async () => {
    const order = ["FID", "LSOA11CD", "LSOA11NM", "CCG15CD", "CCG15CDH", "CCG15NM", "LAD15CD", "LAD15NM"]
    sameContent(await load(variant("fid-first.csv", order, (h) => h.replace("15", "20"))), reference)
  })

  it("SICBL22 columns, lower-case headers, a BOM, CRLF and trailing blank lines import identically", async () => {
    const file = variant("sicbl.csv", order2015, (h) => h.replace("CCG15", "SICBL22").replace("LAD15", "LAD22").toLowerCase(), "\r\n")
    writeFileSync(file, `\uFEFF${readFileSync(file, "utf8")}\r\n\r\n,,,,,,,\r\n`)
    const lookup = await load(file)
    sameContent(lookup, reference)
    expect(lookup.layout.health.name).toBe("sicbl22cd")
  })

  it("a sub-ICB lookup that also has ICB columns is read at the sub-ICB level unless asked for ICBs", async () => {
    const file = write(
      "icb.csv",
      "LSOA11CD,SICBL22CD,SICBL22CDH,ICB22CD,ICB22CDH,LAD22CD,ObjectId\n" +
        "E01000001,E38000255,93C,E54000028,QMJ,E09000001,1\n" +
        "E01000002,E38000256,72Q,E54000030,QKK,E09000028,2\n"
    )
    expect((await load(file)).rows.map((r) => r.health)).toEqual(["E38000255", "E38000256"])
    expect((await load(file, { health: "ICB" })).healthBodies.get("E54000028")?.odsCode).toBe("QMJ")
  })

  it("any order of the columns imports identically (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(order2015, { minLength: order2015.length }), async (order) => {
        sameContent(await load(variant("shuffled.csv", order, (h) => h)), reference)
      }),
      { numRuns: 15 }
    )
  })
})

describe("OnsLookup errors", () => {
  const header = "LSOA11CD,LSOA11NM,CCG15CD,CCG15CDH,CCG15NM,LAD15CD,LAD15NM,FID"
  const good = "E01000001,City of London 001A,E38000035,07T,NHS City and Hackney CCG,E09000001,City of London,1"

  it("an unknown layout lists the columns looked for and the header found", async () => {
    const file = write("unknown.csv", "LSOA11CD,WARD15CD,LAD15CD\nE01000001,E05000001,E09000001\n")
    const error = await failure(file)
    expect(error._tag).toBe("LayoutError")
    expect(error.message).toContain(file)
    expect(error.message).toContain("no health body code column")
    expect(error.message).toContain("(CCG|SICBL|PCT|PCO|LHB|ICB)<yy>CD")
    expect(error.message).toContain("\"WARD15CD\"")
  })

  it("a row with a missing field names the file and line", async () => {
    const file = write("short.csv", `${header}\n${good}\nE01000002,City of London 001B,E38000035,07T,NHS City and Hackney CCG,E09000001,2\n`)
    const error = await failure(file)
    expect(error._tag).toBe("RowError")
    expect(error.message).toBe(`${file}:3: expected 8 fields as in the header, found 7`)
  })

  it("a bad LSOA code names the line and column", async () => {
    const file = write("bad-lsoa.csv", `${header}\n${good}\n\nE0100000X,x,E38000035,07T,y,E09000001,z,3\n`)
    const error = await failure(file)
    expect(error).toMatchObject({ _tag: "RowError", file, line: 4, column: 1, field: "LSOA11CD" })
  })

  it("a bad GSS code of the council names its column", async () => {
    const file = write("bad-gss.csv", `${header}\n${good}\nE01000002,x,E38000035,07T,y,09000001,z,3\n`)
    expect(await failure(file)).toMatchObject({ _tag: "RowError", line: 3, column: 6, field: "LAD15CD" })
  })

  it("an unterminated quote names the line the record starts on", async () => {
    const file = write("quote.csv", `${header}\r\n${good}\r\n"E01000002,x,E38000035,07T,y,E09000001,z,3\r\n${good}\r\n`)
    const error = await failure(file)
    expect(error).toMatchObject({ _tag: "RowError", line: 3, column: 1 })
    expect(error.message).toContain("Quote Not Closed")
  })

  it("an LSOA listed twice is an error naming both lines", async () => {
    const file = write("twice.csv", `${header}\n${good}\n${good}\n`)
    expect((await failure(file)).message).toContain("already assigned on line 2")
  })

  it("a missing file and an empty file say so", async () => {
    expect((await failure(join(dir, "absent.csv"))).message).toMatch(/absent\.csv: cannot read: no such file/u)
    expect((await failure(write("empty.csv", "\n\n"))).message).toContain("the file is empty")
  })
})
