import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Period from "./Period.ts"

const d = CalendarDate.unsafeMake

describe("FinancialYear", () => {
  it("31 March belongs to the year that started the April before, 1 April starts the next", () => {
    expect(FinancialYear.ofDate(d("2016-03-31"))).toBe("2015/16")
    expect(FinancialYear.ofDate(d("2016-04-01"))).toBe("2016/17")
    expect(FinancialYear.ofDate(d("1999-12-31"))).toBe("1999/00")
  })

  it("months run M1 April to M12 March", () => {
    expect(FinancialYear.monthOfDate(d("2015-04-01"))).toEqual({ year: "2015/16", month: 1 })
    expect(FinancialYear.monthOfDate(d("2015-12-31"))).toEqual({ year: "2015/16", month: 9 })
    expect(FinancialYear.monthOfDate(d("2016-01-01"))).toEqual({ year: "2015/16", month: 10 })
    expect(FinancialYear.monthOfDate(d("2016-03-31"))).toEqual({ year: "2015/16", month: 12 })
    expect(FinancialYear.monthLabel(12)).toBe("M12")
  })

  it("a month's dates, including the leap day in M11 and the year end in M12", () => {
    const fy = FinancialYear.make(2015)
    expect(FinancialYear.monthPeriod(fy, 1)).toEqual(Period.unsafeMake("2015-04-01", "2015-05-01"))
    expect(FinancialYear.monthPeriod(fy, 9)).toEqual(Period.unsafeMake("2015-12-01", "2016-01-01"))
    expect(FinancialYear.monthPeriod(fy, 11)).toEqual(Period.unsafeMake("2016-02-01", "2016-03-01"))
    expect(FinancialYear.monthPeriod(fy, 12)).toEqual(Period.unsafeMake("2016-03-01", "2016-04-01"))
    expect(FinancialYear.period(fy)).toEqual(Period.unsafeMake("2015-04-01", "2016-04-01"))
  })

  it("every date lies in the month period of its own financial month", () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 40_000 }), (n) => {
        const date = CalendarDate.fromEpochDay(n)
        const { year, month } = FinancialYear.monthOfDate(date)
        expect(Period.contains(FinancialYear.monthPeriod(year, month), date)).toBe(true)
        expect(Period.contains(FinancialYear.period(year), date)).toBe(true)
      })
    )
  })

  it("names must be consecutive years", () => {
    expect(FinancialYear.parse("2015/16")).toBe("2015/16")
    expect(FinancialYear.parse("2015/17")).toBeUndefined()
    expect(FinancialYear.parse("2015-16")).toBeUndefined()
    expect(Schema.decodeUnknownOption(FinancialYear.FinancialYear)("1999/00")._tag).toBe("Some")
    expect(FinancialYear.add(FinancialYear.make(2009), 2)).toBe("2011/12")
  })
})
