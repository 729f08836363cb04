import fc from "fast-check"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as CouncilCsv from "./CouncilCsv.ts"

const dataDir = new URL("../../../tools/simulators/council-finance/data/spend/", import.meta.url)

const quote = (field: string): string => (/[",\r\n]/u.test(field) ? `"${field.replace(/"/gu, "\"\"")}"` : field)

describe("CouncilCsv.parsePage", () => {
  it("any records, however quoted, come back field for field with the line each starts on", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "1", ",", "\"", "\n", "\r\n", " ", "£") })
    const record = fc.array(field, { minLength: 3, maxLength: 3 }).filter((r) => r.some((f) => f.trim() !== ""))
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.nat(5000), (records, eol, bom, offset) => {
        const lines = ["h1,h2,h3", ...records.map((r) => r.map(quote).join(","))]
        const text = `${bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}`
        const expectedLines: Array<number> = []
        let line = 2
        for (const l of lines.slice(1)) {
          expectedLines.push(line + offset)
          line += 1 + (l.match(/\r\n|\r|\n/gu) ?? []).length
        }
        const parsed = CouncilCsv.parsePage(text, 2 + offset)
        expect(parsed.headings).toEqual(["h1", "h2", "h3"])
        expect(parsed.unreadable).toEqual([])
        expect(parsed.rows.map((r) => r.fields)).toEqual(records)
        expect(parsed.rows.map((r) => r.line)).toEqual(expectedLines)
      }),
      { numRuns: 300 }
    )
  })

  it("blank lines between records do not count as records but do count as lines", () => {
    const parsed = CouncilCsv.parsePage("a,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n")
    expect(parsed.rows.map((r) => [r.line, r.raw])).toEqual([
      [3, "1,2"],
      [6, "3,4"]
    ])
  })
})

describe("CouncilCsv.scanPage (the one-pass reading)", () => {
  it("reads every page it accepts exactly as csv-parse does: headings, fields, lines and raw text", () => {
    // Text made of everything that steers a CSV reader: quotes, commas, each kind of line break (mixed on one
    // page), blanks, BOMs, non-ASCII and a lone surrogate. Pages with an unclosed quote are declined.
    const text = fc.string({ unit: fc.constantFrom("a", "b", ",", "\"", "\n", "\r\n", "\r", " ", "\uFEFF", "£", "\uD800"), maxLength: 60 })
    let read = 0
    fc.assert(
      fc.property(text, fc.nat(5000), (body, offset) => {
        const scanned = CouncilCsv.scanPage(body, 2 + offset)
        if (scanned === undefined) return
        read++
        expect(scanned).toEqual(CouncilCsv.parsePageWithCsvParse(body, 2 + offset))
      }),
      { numRuns: 3000 }
    )
    // Most generated pages are read by the scan, so the comparison above is not vacuous.
    expect(read).toBeGreaterThan(1000)
  })

  it("reads the three real spend files as csv-parse does", () => {
    for (const file of ["manchester-2019-01.csv", "gla-2013-p01.csv", "harrogate-2019-01.csv"]) {
      const body = readFileSync(new URL(file, dataDir), "utf8")
      const scanned = CouncilCsv.scanPage(body)
      expect(scanned).toBeDefined()
      expect(scanned).toEqual(CouncilCsv.parsePageWithCsvParse(body))
    }
  })

  it("reads Manchester's real rows served under its \\n header with \\r\\n endings: no field keeps a \\r or the quotes", () => {
    // The stored file ends every line in `\n`; the simulator serves its header with that `\n` and resampled rows
    // with `\r\n`, the mix real council files have. Build that page from the real text.
    const [header, ...records] = readFileSync(new URL("manchester-2019-01.csv", dataDir), "utf8").split(/\r\n|\n/u)
    const body = `${header}\n${records.filter((r) => r !== "").join("\r\n")}\r\n`
    for (const parsed of [CouncilCsv.scanPage(body), CouncilCsv.parsePageWithCsvParse(body)]) {
      expect(parsed).toBeDefined()
      expect(parsed!.rows.length).toBe(records.filter((r) => r !== "").length)
      expect(parsed!.rows.filter((r) => r.raw.endsWith("\r") || r.fields.some((f) => f.includes("\r")))).toEqual([])
      const suppliers = parsed!.rows.map((r) => r.fields[6])
      expect(suppliers).toContain("CGL - Change, Grow, Live")
      expect(suppliers.filter((s) => s?.startsWith("\""))).toEqual([])
    }
    expect(CouncilCsv.scanPage(body)).toEqual(CouncilCsv.parsePageWithCsvParse(body))
  })

  it("ends a record at every \\r\\n, \\n and lone \\r on a page that mixes them, quoted last fields included", () => {
    const body = "a,b,c\n1,2,\"x, y\"\r\n3,4,5\r6,7,\"z\"\n\r\n8,9,\"two\r\nlines\"\r\n"
    const expected = {
      headings: ["a", "b", "c"],
      rows: [
        { line: 2, raw: "1,2,\"x, y\"", fields: ["1", "2", "x, y"] },
        { line: 3, raw: "3,4,5", fields: ["3", "4", "5"] },
        { line: 4, raw: "6,7,\"z\"", fields: ["6", "7", "z"] },
        { line: 6, raw: "8,9,\"two\r\nlines\"", fields: ["8", "9", "two\r\nlines"] }
      ],
      unreadable: [],
      recordCount: 4
    }
    expect(CouncilCsv.scanPage(body)).toEqual(expected)
    expect(CouncilCsv.parsePageWithCsvParse(body)).toEqual(expected)
  })

  it("leaves to csv-parse what it cannot read the same way: an unclosed quote becomes a rejection of field *", () => {
    const body = "a,b\n1,2\n3,\"never closed\n"
    expect(CouncilCsv.scanPage(body)).toBeUndefined()
    const parsed = CouncilCsv.parsePage(body)
    expect(parsed.rows.map((r) => r.fields)).toEqual([["1", "2"]])
    expect(parsed.unreadable).toMatchObject([{ line: 3, field: "*" }])
  })
})

describe("CouncilCsv.shapeProblem", () => {
  it("a row holding bytes that were not UTF-8 (decoded as U+FFFD) is a problem naming the field; a clean row is not", () => {
    const body = Buffer.concat([Buffer.from("a,b,c\n1,Caf", "utf8"), Buffer.from([0xe9]), Buffer.from(",3\n4,5,6\n", "utf8")]).toString("utf8")
    const [bad, good] = CouncilCsv.parsePage(body).rows
    expect(CouncilCsv.shapeProblem(bad!, 3)).toEqual({ field: "*", reason: "field 2 holds bytes that are not valid UTF-8 (the file must be UTF-8)" })
    expect(CouncilCsv.shapeProblem(good!, 3)).toBeUndefined()
  })
})
