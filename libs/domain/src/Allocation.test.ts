import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Allocation from "./Allocation.ts"
import * as Codes from "./Codes.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"

describe("Allocation uplifts", () => {
  it("london-councils-2009 §7: 10.6% over two years against an average of 11.3%", () => {
    const base = Money.parsePounds("400000000")! // a £400m PCT allocation for 2008/09
    const result = Allocation.compareUplift(base, Allocation.percent("10.6"), Allocation.percent("11.3"))
    expect(Money.format(result.received)).toBe("£442,400,000.00")
    expect(Money.format(result.benchmark)).toBe("£445,200,000.00")
    expect(Money.format(result.shortfall)).toBe("£2,800,000.00")
  })

  it("two-year uplift is one allocation two financial years on", () => {
    const a: Allocation.Allocation = {
      holder: "5LE" as Codes.BodyCode,
      year: FinancialYear.make(2008),
      amount: Money.parsePounds("123456.78")!
    }
    const up = Allocation.uplift(a, Allocation.basisPoints(1060), { years: 2, source: "london-councils-2009 §7" })
    expect(up.year).toBe("2010/11")
    // 12345678 * 1.106 = 13654319.868 -> rounded once to 13654320
    expect(up.amount).toBe(13654320)
  })

  it("rounds half away from zero once, at the end, not year by year", () => {
    // 1p * 1.5 * 1.5 = 2.25p -> 2p; rounding after each year would give 1.5 -> 2, 2 * 1.5 = 3p.
    expect(Allocation.applyUplifts(Money.pence(1), [Allocation.percent("50"), Allocation.percent("50")])).toBe(2)
    expect(Allocation.applyUplift(Money.pence(5), Allocation.percent("10"))).toBe(6) // 5.5 -> 6
    expect(Allocation.applyUplift(Money.pence(-5), Allocation.percent("10"))).toBe(-6)
    expect(Allocation.applyUplift(Money.pence(1000), Allocation.percent("-2.5"))).toBe(975)
  })

  it("decimal and basis-point percentages are the same exact fraction", () => {
    fc.assert(
      fc.property(fc.integer({ min: -9999, max: 100_000 }), fc.integer({ min: -1e12, max: 1e12 }), (bp, pence) => {
        const whole = Math.trunc(Math.abs(bp) / 100)
        const fraction = String(Math.abs(bp) % 100).padStart(2, "0")
        const text = `${bp < 0 ? "-" : ""}${whole}.${fraction}`
        const amount = Money.pence(pence)
        expect(Allocation.applyUplift(amount, Allocation.percent(text))).toBe(Allocation.applyUplift(amount, Allocation.basisPoints(bp)))
      })
    )
  })

  it("reads and prints percentages", () => {
    expect(Allocation.parsePercent("10.6%")).toEqual({ numerator: 106n, denominator: 1000n })
    expect(Allocation.parsePercent("ten")).toBeUndefined()
    expect(Allocation.parsePercent("1e2")).toBeUndefined()
    expect(Allocation.formatPercent(Allocation.percent("11.30"))).toBe("11.3")
    expect(Allocation.formatPercent(Allocation.basisPoints(-250))).toBe("-2.5")
    expect(Allocation.formatPercent({ numerator: 1n, denominator: 3n })).toBe("33.3333")
  })
})
