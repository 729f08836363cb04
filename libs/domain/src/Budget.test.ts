import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Budget from "./Budget.ts"
import type * as Codes from "./Codes.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"

const pounds = (text: string) => Money.parsePounds(text)!
const fy = FinancialYear.make(2013)

const budget = (holder: string, programme: string, administration: string, cap?: string): Budget.Budget => ({
  holder: holder as Codes.BodyCode,
  year: fy,
  programme: pounds(programme),
  administration: pounds(administration),
  ...(cap === undefined ? {} : { administrationCap: pounds(cap) })
})

describe("Budget", () => {
  it("a budget is programme plus administration, with headroom under the administration cap", () => {
    const b = budget("10X", "300000000", "7000000", "7500000")
    expect(Budget.total(b)).toBe(pounds("307000000"))
    expect(Budget.administrationHeadroom(b)).toBe(pounds("500000"))
    expect(Budget.administrationHeadroom(budget("10X", "1", "1"))).toBeUndefined()
    expect(Budget.validate([b])).toEqual([])
  })

  it("southampton-2011 §8: administration above the fixed cap is a violation naming the holder", () => {
    const violations = Budget.validate([budget("10X", "300000000", "7600000", "7500000")])
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({
      rule: "budget/administration-cap",
      bodies: ["10X"],
      dates: ["2013-04-01", "2014-03-31"],
      source: "southampton-2011 §8"
    })
    expect(violations[0]!.message).toContain("over by £100,000.00")
  })

  it("negative parts and duplicates are reported together", () => {
    const result = Budget.check([budget("10X", "-1", "0"), budget("10X", "5", "0")])
    expect(Result.isFailure(result) && result.failure.violations.map((v) => [v.rule, v.bodies])).toEqual([
      ["budget/negative", ["10X"]],
      ["budget/duplicate", ["10X"]]
    ])
  })

  it("totals by holder add every budget of the year", () => {
    const totals = Budget.totalsByHolder(
      [budget("08Q", "10.01", "1.00"), budget("08Q", "0.99", "0.50"), budget("10X", "5", "0"), { ...budget("10X", "99", "0"), year: FinancialYear.make(2014) }],
      fy
    )
    expect(totals.map((t) => [t.holder, Money.format(t.programme), Money.format(t.administration), Money.format(t.total)])).toEqual([
      ["08Q", "£11.00", "£1.50", "£12.50"],
      ["10X", "£5.00", "£0.00", "£5.00"]
    ])
  })
})
