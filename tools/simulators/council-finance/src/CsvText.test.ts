import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatRecord, splitFields, splitRecords } from "./CsvText.ts"

describe("CsvText", () => {
  it("keeps quoted line breaks inside a record and numbers records by their first line", () => {
    const text = "a,b\r\n1,\"two\nlines\"\r\n3,4\r\n"
    expect(splitRecords(text)).toEqual([
      { raw: "a,b", eol: "\r\n", line: 1 },
      { raw: "1,\"two\nlines\"", eol: "\r\n", line: 2 },
      { raw: "3,4", eol: "\r\n", line: 4 }
    ])
  })

  it("folds blank lines into the terminator before them, so joining records reproduces the file", () => {
    const text = "a,b\n1,2\n\n\n3,4\n\n"
    const records = splitRecords(text)
    expect(records.map((r) => r.line)).toEqual([1, 2, 5])
    expect(records.map((r) => r.raw + r.eol).join("")).toBe(text)
  })

  it("refuses a quote that is never closed", () => {
    expect(() => splitRecords("a,b\n1,\"open\n")).toThrow(/line 2/u)
  })

  it("any fields survive formatting and splitting", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom("a", ",", "\"", "\n", "\r", " ", "£") }), { minLength: 1, maxLength: 6 }), (fields) => {
        expect(splitFields(formatRecord(fields))).toEqual(fields)
      })
    )
  })

  it("any file of formatted records splits back into the same records", () => {
    const field = fc.string({ unit: fc.constantFrom("x", ",", "\"", "\n", "1") })
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const nonBlank = rows.filter((r) => formatRecord(r).trim() !== "")
        const text = nonBlank.map(formatRecord).join("\r\n")
        expect(splitRecords(text).map((r) => splitFields(r.raw))).toEqual(nonBlank)
      })
    )
  })
})
