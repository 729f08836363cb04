import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as BudgetBookCsv from "./BudgetBookCsv.ts"
import * as CouncilCsv from "./CouncilCsv.ts"
import * as CouncilProfiles from "./CouncilProfiles.ts"
import * as PooledFundCsv from "./PooledFundCsv.ts"

const budget = [
  "Financial Year,Cost Centre,Cost Centre Name,Subjective Code,Subjective Name,Capital/Revenue,Original Budget,Revised Budget",
  "2018/19,CC0001,Adult Social Care,S0001,Residential care,Revenue,\"£1,234,500.00\",\"£1,250,000.00\"",
  "2018/20,CC0001,Adult Social Care,S0002,Home care,Revenue,£10.00,",
  "2018/19,CC0002,Highways,S0003,Resurfacing,Capex,(£5.00),",
  "2018/19,CC0003,Parks,S0004,Income,R,(£2,500.00),"
].join("\n")

describe("budget books", () => {
  const mapped = BudgetBookCsv.mapPage(CouncilCsv.parsePage(budget), CouncilProfiles.manchester)
  if (Result.isFailure(mapped)) throw new Error(mapped.failure.missing.join())
  const { records, rejections } = mapped.success

  it("reads budgets with £, separators and brackets, the revised budget when given", () => {
    expect(records).toEqual([
      { organisation: "manchester", financialYear: "2018/19", serviceCode: "CC0001", service: "Adult Social Care", expenseCode: "S0001", expenseType: "Residential care", capitalOrRevenue: "revenue", budget: 123450000, revisedBudget: 125000000 }
    ])
  })

  it("rejects an inconsistent year, an unknown capital/revenue flag and an amount split by an unquoted comma", () => {
    expect(rejections.map((r) => [r.line, r.field])).toEqual([
      [3, "financialYear"],
      [4, "capitalOrRevenue"],
      [5, "budget"]
    ])
    expect(rejections[2]?.reason).toContain("(£2")
  })
})

const statement = [
  "Fund Reference,Fund Name,Host,Financial Year,Month,Partner,Partner Type,Planned Contribution,Actual Contribution,Expenditure",
  "MAN-BCF,Manchester Better Care Fund,Manchester City Council,2018/19,1,14L,NHS,125000.00,125000.00,120000.00",
  "MAN-BCF,Manchester Better Care Fund,Manchester City Council,2018/19,M7,E08000003,Council,100.00,90.00,80.00",
  "MAN-BCF,Manchester Better Care Fund,Manchester City Council,2018/19,13,14L,NHS,1.00,1.00,1.00",
  "MAN-BCF,Manchester Better Care Fund,Manchester City Council,2018/19,2,14L,Charity,1.00,1.00,1.00"
].join("\n")

describe("pooled-fund statements", () => {
  const mapped = PooledFundCsv.mapPage(CouncilCsv.parsePage(statement), CouncilProfiles.manchester)
  if (Result.isFailure(mapped)) throw new Error(mapped.failure.missing.join())
  const { records, rejections } = mapped.success

  it("reads months as numbers or M7, partner kinds, exact amounts", () => {
    expect(records.map((r) => [r.month, r.partner, r.partnerKind, r.contributed])).toEqual([
      [1, "14L", "nhs", 12500000],
      [7, "E08000003", "council", 9000]
    ])
  })

  it("rejects a thirteenth month and an unknown partner kind", () => {
    expect(rejections.map((r) => [r.line, r.field])).toEqual([
      [4, "month"],
      [5, "partnerKind"]
    ])
  })
})
