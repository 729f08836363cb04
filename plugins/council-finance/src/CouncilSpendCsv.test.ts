import { readFileSync } from "node:fs"
import { Money } from "@hub/domain"
import { CouncilSpendLine, RowMapping } from "@hub/plugin-sdk"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as CouncilCsv from "./CouncilCsv.ts"
import type { CouncilProfile } from "./CouncilProfile.ts"
import * as CouncilProfiles from "./CouncilProfiles.ts"
import * as CouncilSpendCsv from "./CouncilSpendCsv.ts"

const dataDir = new URL("../../../tools/simulators/council-finance/data/spend/", import.meta.url)
const read = (file: string): string => readFileSync(new URL(file, dataDir), "utf8")

const mapText = (text: string, profile: CouncilProfile, firstLine = 2) => {
  const result = CouncilSpendCsv.mapPage(CouncilCsv.parsePage(text, firstLine), profile, "test")
  if (Result.isFailure(result)) throw new Error(`missing columns: ${result.failure.missing.join(", ")}`)
  return result.success
}

/**
 * An independent reading of a clean spend file for the test: split lines outside quotes, fields on commas
 * outside quotes, amounts to pence with integer arithmetic (brackets negative). Not the plugin's code.
 */
const independentTotals = (text: string, amountHeading: string): { rows: number; pence: bigint } => {
  const lines: Array<string> = []
  let current = ""
  let quoted = false
  for (const ch of text) {
    if (ch === "\"") quoted = !quoted
    if (ch === "\n" && !quoted) {
      lines.push(current.replace(/\r$/u, ""))
      current = ""
    } else current += ch
  }
  if (current.trim() !== "") lines.push(current)
  const splitFields = (line: string): Array<string> => {
    const out: Array<string> = []
    let field = ""
    let q = false
    for (const ch of line) {
      if (ch === "\"") q = !q
      else if (ch === "," && !q) {
        out.push(field)
        field = ""
      } else field += ch
    }
    out.push(field)
    return out
  }
  const [header = "", ...rows] = lines.filter((l) => l.trim() !== "")
  const column = splitFields(header).indexOf(amountHeading)
  let pence = 0n
  for (const row of rows) {
    let text = (splitFields(row)[column] ?? "").replace(/[£,\s]/gu, "")
    const negative = text.startsWith("(") || text.startsWith("-")
    text = text.replace(/[()-]/gu, "")
    const [pounds = "0", fraction = ""] = text.split(".")
    const value = BigInt(pounds) * 100n + BigInt((fraction + "00").slice(0, 2))
    pence += negative ? -value : value
  }
  return { rows: rows.length, pence }
}

describe("the three real council spend files parse with their profiles", () => {
  it.each([
    ["manchester-2019-01.csv", CouncilProfiles.manchester, "Net Amount", 3719],
    ["gla-2013-p01.csv", CouncilProfiles.gla, "Amount", 1202],
    ["harrogate-2019-01.csv", CouncilProfiles.harrogate, "Net Amount", 1987]
  ] as const)("%s: every row, row count and pence total match an independent count", (file, profile, amountHeading, rows) => {
    const text = read(file)
    const batch = mapText(text, profile)
    const expected = independentTotals(text, amountHeading)
    expect(expected.rows).toBe(rows)
    expect(batch.rejections).toEqual([])
    expect(batch.records).toHaveLength(rows)
    expect(BigInt(Money.sum(batch.records.map((r) => r.amount)))).toBe(expected.pence)
    const isLine = Schema.is(CouncilSpendLine.CouncilSpendLine)
    for (const record of batch.records) expect(isLine(record)).toBe(true)
    expect(new Set(batch.records.map(CouncilSpendLine.naturalKey)).size).toBe(rows)
  })

  it("GLA credit notes in brackets are negative, with thousands separators", () => {
    const batch = mapText(read("gla-2013-p01.csv"), CouncilProfiles.gla)
    const last = batch.records[batch.records.length - 1]
    expect(last?.transactionNumber).toBe("5107837363")
    expect(last?.amount).toBe(Money.pence(-207625))
    expect(last?.line).toBe(1203)
  })

  it("Harrogate keeps repeated transaction numbers apart by line", () => {
    const batch = mapText(read("harrogate-2019-01.csv"), CouncilProfiles.harrogate)
    const plaques = batch.records.filter((r) => r.transactionNumber === "3574043")
    expect(plaques.length).toBeGreaterThan(1)
    expect(new Set(plaques.map((r) => r.line)).size).toBe(plaques.length)
    expect(plaques[0]).toMatchObject({ supplier: "FALON NAMEPLATES LTD", amount: 1800, paymentDate: "2019-01-07", service: "Bereavement Services", description: "Plaques" })
  })
})

const messy = [
  "\uFEFFBody Name,Service Area,Expenses Type,Invoice Payment Date,Transaction Number,Net Amount,Supplier Name", // 1
  "Manchester City Council,Adult Social Care,Care,31/01/2019,T1,\"£1,234.56\",Acme Ltd", // 2
  "Manchester City Council,Adult Social Care,Care,2019-01-15,T2,(12.00),\"Smith, Jones & Co\"", // 3
  "Manchester City Council,Adult Social Care,\"Multi", // 4
  "line\",01/02/2019,T3,-5.10,Credit Note Supplier", // 5
  "Manchester City Council,Adult Social Care,Care,31/02/2019,T4,10.00,Bad Date Ltd", // 6
  "Manchester City Council,Adult Social Care,Care,2019-01-16,T5,12.3.4,Bad Amount Ltd", // 7
  "Manchester City Council,Adult Social Care,Care,2019-01-16,T6,=SUM(A1:A9),Formula Amount Ltd", // 8
  "Manchester City Council,Adult Social Care,Care,2019-01-16,T7,99.99,=HYPERLINK(\"http://evil\")", // 9
  "Manchester City Council,Adult Social Care,Care,2019-01-16,T8,1.00", // 10 (short row)
  "Manchester City Council,Adult Social Care,@cmd,2019-01-17,T9,2.00,-Minus Supplier", // 11
  "Manchester City Council,Adult Social Care,Care,17/01/2019,=1+1,3.00,Formula Key Ltd", // 12
  "Manchester City Council,Adult Social Care,Care,17/01/2019,T10,\"£-7.00\",Refunds Ltd", // 13
  "",
  ""
].join("\r\n")

describe("messy spend files give rows and rejections with line and field", () => {
  const batch = mapText(messy, CouncilProfiles.manchester)
  const byTx = new Map(batch.records.map((r) => [r.transactionNumber, r]))

  it("reads BOM, £ and thousands separators, brackets, UK dates, quoted commas and line breaks, CRLF", () => {
    expect(byTx.get("T1")).toMatchObject({ amount: 123456, paymentDate: "2019-01-31", line: 2, bodyName: "Manchester City Council" })
    expect(byTx.get("T2")).toMatchObject({ amount: -1200, supplier: "Smith, Jones & Co", line: 3 })
    expect(byTx.get("T3")).toMatchObject({ amount: -510, expenseType: "Multi\r\nline", paymentDate: "2019-02-01", line: 4 })
    expect(byTx.get("T10")).toMatchObject({ amount: -700, line: 13 })
  })

  it("rejects impossible dates, bad amounts, formula amounts and keys, and short rows, naming line and field", () => {
    expect(batch.rejections.map((r) => [r.line, r.field])).toEqual([
      [6, "paymentDate"],
      [7, "amount"],
      [8, "amount"],
      [10, "*"],
      [12, "transactionNumber"]
    ])
    expect(batch.rejections[0]?.reason).toContain("31/02/2019")
    expect(batch.rejections[2]?.reason).toContain("formula")
    expect(batch.rejections[3]?.raw).toBe("Manchester City Council,Adult Social Care,Care,2019-01-16,T8,1.00")
  })

  it("never passes a formula text cell on unmarked: it is made inert and flagged", () => {
    expect(byTx.get("T7")).toMatchObject({ supplier: "'=HYPERLINK(\"http://evil\")", markers: ["formula:supplier"] })
    expect(byTx.get("T9")).toMatchObject({ supplier: "'-Minus Supplier", expenseType: "'@cmd" })
    expect([...(byTx.get("T9")?.markers ?? [])].sort()).toEqual(["formula:expenseType", "formula:supplier"])
    expect(byTx.get("T1")?.markers).toEqual([])
  })

  it("every record is accounted for: 12 data lines, one record spanning two, trailing blank lines are not rows", () => {
    expect(batch.records.length + batch.rejections.length).toBe(11)
  })

  it("with formulaCells: reject, formula text cells are rejections instead", () => {
    const strict = mapText(messy, { ...CouncilProfiles.manchester, formulaCells: "reject" })
    expect(strict.records.find((r) => r.transactionNumber === "T7")).toBeUndefined()
    expect(strict.rejections.find((r) => r.line === 9)?.field).toBe("supplier")
  })

  it("lines are offset by the page's first line in the source", () => {
    const offset = mapText(messy, CouncilProfiles.manchester, 1002)
    expect(offset.rejections[0]?.line).toBe(1006)
  })

  it("a broken quote loses only the rows it swallows, as a rejection", () => {
    const text = "Invoice Payment Date,Transaction Number,Net Amount,Supplier Name\n2019-01-02,A,1.00,X\n2019-01-02,B,\"2.00,Y\n"
    const broken = mapText(text, CouncilProfiles.manchester)
    expect(broken.records.map((r) => r.transactionNumber)).toEqual(["A"])
    expect(broken.rejections).toHaveLength(1)
    expect(broken.rejections[0]).toMatchObject({ line: 3, field: "*" })
  })

  it("a file without a column the profile requires is refused as a whole, naming the column and the headings", () => {
    const result = CouncilSpendCsv.mapPage(CouncilCsv.parsePage("Date,Supplier\n2019-01-01,X\n"), CouncilProfiles.manchester, "t")
    if (Result.isSuccess(result)) throw new Error("expected missing columns")
    expect(result.failure.missing).toEqual(["amount"])
    expect(result.failure.headings).toEqual(["Date", "Supplier"])
  })
})

describe("the page mapper reads cells by CouncilCsv.cellReader's rules", () => {
  // The per-row reading the page mapper replaced, kept here as the reference: a cell reader per row.
  const referenceMap = (page: CouncilCsv.ParsedCsv, profile: CouncilProfile, source: string) => {
    const col = {
      bodyName: 0,
      service: 1,
      expenseType: 2,
      paymentDate: 3,
      transactionNumber: 4,
      amount: 5,
      supplier: 6
    } as const
    return RowMapping.mapRows(page.rows, (row) => {
      const shape = CouncilCsv.shapeProblem(row, page.headings.length)
      if (shape !== undefined) return RowMapping.problems(shape)
      const read = CouncilCsv.cellReader(row, profile)
      const transactionNumber = read.code("transactionNumber", col.transactionNumber)
      const paymentDate = read.date("paymentDate", col.paymentDate)
      const amount = read.amount("amount", col.amount)
      const supplier = read.text("supplier", col.supplier)
      const line: Record<string, unknown> = { council: profile.id, source, line: row.line, transactionNumber, paymentDate, amount, supplier, markers: read.markers }
      for (const field of ["bodyName", "service", "expenseType"] as const) {
        const value = read.optionalText(field, col[field])
        if (value !== undefined) line[field] = value
      }
      const [first, ...rest] = read.problems
      return first === undefined ? RowMapping.ok(line) : RowMapping.problems(first, ...rest)
    })
  }
  const cell = fc.constantFrom("", " ", "Acme Ltd", "=SUM(A1)", "@cmd", "-Minus", "+44 20", "12.50", "£1,234.56", "(12.00)", "1,23.4", "12.345", "2019-01-15", "31/01/2019", "31/02/2019", "15-Jan-2019", "T1", "\uFFFD")
  const row = fc.array(cell, { minLength: 5, maxLength: 8 })

  it("gives the same records and the same rejections (line, field, reason, every problem in order)", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.constantFrom("mark", "reject"), (rows, formulaCells) => {
        const profile: CouncilProfile = { ...CouncilProfiles.manchester, formulaCells }
        const header = "Body Name,Service Area,Expenses Type,Invoice Payment Date,Transaction Number,Net Amount,Supplier Name"
        const text = [header, ...rows.map((r) => r.map((c) => (c.includes(",") ? `"${c}"` : c)).join(","))].join("\r\n")
        const page = CouncilCsv.parsePage(text)
        const mapped = CouncilSpendCsv.mapPage(page, profile, "s")
        if (Result.isFailure(mapped)) throw new Error("missing columns")
        const expected = referenceMap(page, profile, "s")
        expect(mapped.success.records).toEqual(expected.records)
        expect(mapped.success.rejections).toEqual(expected.rejections)
      }),
      { numRuns: 400 }
    )
  })
})
