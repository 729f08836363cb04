import fc from "fast-check"
import { Money } from "@hub/domain"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as CellValues from "./CellValues.ts"

const amount = (text: string): number | string => {
  const r = CellValues.parseAmount(text)
  return Result.isSuccess(r) ? r.success : `error: ${r.failure}`
}

describe("CellValues.parseAmount", () => {
  it.each([
    ["1234.56", 123456],
    ["£1,234.56", 123456],
    [" £ 12 ", 1200],
    ["-12.00", -1200],
    ["(12.00)", -1200],
    ["(2,076.25)", -207625],
    ["(£2,076.25)", -207625],
    ["£(5.00)", -500],
    ["-£5.10", -510],
    ["£-5.10", -510],
    ["12.00CR", -1200],
    ["12.00 DR", 1200],
    ["12.00-", -1200],
    ["\u22123.10", -310],
    ["207.1", 20710],
    ["18", 1800],
    ["1.2300", 123],
    ["12,700,000.00", 1270000000]
  ])("%s is %i pence", (text, pence) => {
    expect(amount(text)).toBe(pence)
  })

  it.each(["", "abc", "1,23.00", "12.345", "=SUM(A1)", "+1+1", "@x", "1.2.3", "--5"])("%s is refused with a reason", (text) => {
    expect(amount(text)).toMatch(/^error: /u)
  })

  it("any amount printed with £, thousands separators and brackets reads back exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (n) => {
        const plain = Money.toPoundsString(Money.pence(Math.abs(n)))
        const [whole = "0", pence = "00"] = plain.split(".")
        const printed = `£${whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ",")}.${pence}`
        expect(amount(n < 0 ? `(${printed})` : printed)).toBe(n)
        expect(amount(Money.toPoundsString(Money.pence(n)))).toBe(n)
      })
    )
  })
})

describe("CellValues.parseDate", () => {
  const formats = ["iso", "dd/mm/yyyy", "dd-mmm-yyyy", "d mmmm yyyy", "dd/mm/yy"] as const
  const date = (text: string) => {
    const r = CellValues.parseDate(text, formats)
    return Result.isSuccess(r) ? r.success : undefined
  }

  it.each([
    ["2019-01-31", "2019-01-31"],
    ["2019-01-31T00:00:00", "2019-01-31"],
    ["2019-01-31 00:00:00", "2019-01-31"],
    ["31/01/2019", "2019-01-31"],
    ["1/2/2019", "2019-02-01"],
    ["31/01/2019 00:00", "2019-01-31"],
    ["02-Jan-2019", "2019-01-02"],
    ["02-Sept-19", "2019-09-02"],
    ["2 January 2019", "2019-01-02"],
    ["31/01/19", "2019-01-31"]
  ])("%s is %s", (text, iso) => {
    expect(date(text)).toBe(iso)
  })

  it.each(["31/02/2019", "2019-02-30", "01/13/2019", "=TODAY()", "", "yesterday", "2019/01/31"])("%s is not a date", (text) => {
    expect(date(text)).toBeUndefined()
  })

  it("only the profile's formats are tried", () => {
    expect(Result.isFailure(CellValues.parseDate("31/01/2019", ["iso"]))).toBe(true)
  })
})

describe("CellValues.isFormula", () => {
  it.each(["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "-Minus Supplier", "\t=1", "\r=1"])("%s is a formula", (text) => {
    expect(CellValues.isFormula(text)).toBe(true)
  })
  it.each(["-12.50", "+44 20 7946 0000", "Acme Ltd", "12", "(12.00)", "e=mc2"])("%s is not", (text) => {
    expect(CellValues.isFormula(text)).toBe(false)
  })
})
