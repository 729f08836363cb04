import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import type * as Budget from "./Budget.ts"
import * as CalendarDate from "./CalendarDate.ts"
import type * as Codes from "./Codes.ts"
import * as Delegation from "./Delegation.ts"
import * as DelegationResolution from "./DelegationResolution.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"
import * as Position from "./Position.ts"

const pounds = (text: string) => Money.parsePounds(text)!
const code = (c: string) => c as Codes.BodyCode
const fy = FinancialYear.make(2013)

const consortium: Budget.Budget = {
  holder: code("10X"),
  year: fy,
  programme: pounds("1140000"),
  administration: pounds("60000"),
  administrationCap: pounds("60000")
}

const monthly = (programme: string, administration: string, months: number): Array<Position.MonthlyActual> =>
  FinancialYear.months.slice(0, months).map((month) => ({ month, programme: pounds(programme), administration: pounds(administration) }))

describe("Position", () => {
  it("plan against actuals to date, with a positive variance for an underspend", () => {
    const p = Position.at({ budget: consortium, actuals: monthly("90000", "5000", 3) }, 3)
    expect(Money.format(p.planToDate)).toBe("£300,000.00")
    expect(Money.format(p.actualToDate)).toBe("£285,000.00")
    expect(Money.format(p.variance)).toBe("£15,000.00")
    expect(Money.format(p.forecastOutturn)).toBe("£1,140,000.00")
    expect(p.forecastMethod).toBe("run-rate")
    expect(p.overspend).toBe(false)
    expect(Money.format(p.administration.headroom!)).toBe("£0.00")
    expect(p.administration.breach).toBe(false)
    expect(Position.flags(p)).toEqual([])
  })

  it("southampton-2011 §8: a forecast above the budget is an overspend that will not be bailed out", () => {
    const p = Position.at({ budget: consortium, actuals: monthly("100000", "5000", 6) }, 6)
    expect(Money.format(p.forecastOutturn)).toBe("£1,260,000.00")
    expect(Money.formatFinance(p.forecastVariance)).toBe("(£60,000.00)")
    expect(p.overspend).toBe(true)
    const [flag] = Position.flags(p)
    expect(flag).toMatchObject({ rule: "position/overspend", bodies: ["10X"], dates: ["2013-09-01"], source: "southampton-2011 §8" })
  })

  it("administration running above its cap is a breach, with negative headroom", () => {
    const p = Position.at({ budget: consortium, actuals: monthly("80000", "6000", 2) }, 2)
    expect(Money.format(p.administration.forecastOutturn)).toBe("£72,000.00")
    expect(Money.format(p.administration.headroom!)).toBe("-£12,000.00")
    expect(p.administration.breach).toBe(true)
    expect(Position.flags(p).map((f) => f.rule)).toEqual(["position/administration-breach"])
  })

  it("a supplied forecast replaces the run rate, and later postings are ignored", () => {
    const p = Position.at(
      { budget: consortium, actuals: [...monthly("100000", "5000", 2), { month: 5, programme: pounds("999999"), administration: Money.zero }], forecastOutturn: pounds("1150000") },
      2
    )
    expect(Money.format(p.actualToDate)).toBe("£210,000.00")
    expect(p.forecastMethod).toBe("supplied")
    expect(Money.format(p.forecastVariance)).toBe("£50,000.00")
  })

  it("plan - actual = variance, for any month and any postings, and the plan profile sums to the budget", () => {
    const amount = fc.integer({ min: -1e9, max: 1e10 }).map(Money.pence)
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.array(fc.record({ month: fc.constantFrom(...FinancialYear.months), programme: amount, administration: amount }), { maxLength: 30 }),
        fc.constantFrom(...FinancialYear.months),
        (programme, administration, actuals, month) => {
          const budget = { ...consortium, programme: Money.pence(programme), administration: Money.pence(administration) }
          const p = Position.at({ budget, actuals }, month)
          expect(Money.subtract(p.planToDate, p.actualToDate)).toBe(p.variance)
          expect(Money.subtract(p.annualPlan, p.forecastOutturn)).toBe(p.forecastVariance)
          const expectedActual = actuals.filter((a) => a.month <= month).reduce((s, a) => s + a.programme + a.administration, 0)
          expect(p.actualToDate).toBe(expectedActual)
          expect(Money.sum(Position.monthlyPlan(budget))).toBe(programme + administration)
          if (month === 12) expect(p.planToDate).toBe(p.annualPlan)
        }
      )
    )
  })

  it("a profile that does not add up to the budget is refused", () => {
    expect(() => Position.monthlyPlan(consortium, Array.from({ length: 12 }, () => pounds("1")))).toThrow(/12 months adding up to £1,200,000.00/)
  })
})

describe("Position of a delegated function", () => {
  const delegations = [
    Schema.decodeUnknownSync(Delegation.Delegation)({
      id: "pc-del",
      function: "primary-care-commissioning",
      delegator: "X24",
      delegate: { _tag: "Body", code: "08Q" },
      population: ["08Q"],
      period: { opened: "2016-04-01", closed: "2020-04-01" },
      level: "delegated"
    })
  ]
  const holdings = [
    Schema.decodeUnknownSync(Delegation.Holding)({
      function: "primary-care-commissioning",
      holder: "X24",
      population: ["08Q", "08K"],
      period: { opened: "2013-04-01" }
    })
  ]
  const budget = (population: string): Budget.Budget => ({
    holder: code("X24"),
    year: FinancialYear.make(2016),
    function: "primary-care-commissioning",
    programme: pounds(population === "08Q" ? "40000000" : "30000000"),
    administration: Money.zero
  })

  it("is managed by the delegate, still reported by the accountable body, and the two reports reconcile", () => {
    const date = CalendarDate.unsafeMake("2016-09-30")
    const lines = ["08Q", "08K"].map((population) => {
      const position = Position.at({ budget: budget(population), actuals: monthly("3000000", "0", 6) }, 6)
      const resolution = DelegationResolution.resolve({ delegations, holdings }, "primary-care-commissioning", population, date)
      const { line, violations } = Position.attribute(position, resolution)
      expect(violations).toEqual([])
      return line
    })
    const managing = Position.reports(lines, "managing")
    const accountable = Position.reports(lines, "accountable")
    expect(managing.map((r) => [r.by, Money.format(r.totals.annualPlan)])).toEqual([
      ["08Q", "£40,000,000.00"],
      ["X24", "£30,000,000.00"]
    ])
    expect(accountable.map((r) => [r.by, Money.format(r.totals.annualPlan)])).toEqual([["X24", "£70,000,000.00"]])
    expect(Position.reconcile(managing, accountable)).toEqual([])
    // Dropping a line from one view breaks the reconciliation.
    const broken = Position.reconcile(managing.slice(0, 1), accountable)
    expect(broken.map((v) => v.rule)).toEqual(["position/reports-do-not-reconcile"])
  })

  it("a position held by a body other than the accountable one is a violation (southwark-2015 §14)", () => {
    const position = Position.at({ budget: { ...budget("08Q"), holder: code("08Q") }, actuals: [] }, 1)
    const resolution = DelegationResolution.resolve({ delegations, holdings }, "primary-care-commissioning", "08Q", CalendarDate.unsafeMake("2016-04-30"))
    const { violations } = Position.attribute(position, resolution)
    expect(violations[0]).toMatchObject({ rule: "position/holder-not-accountable", bodies: ["08Q", "X24"], source: "southwark-2015 §14" })
  })
})
