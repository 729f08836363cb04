import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"

describe("CalendarDate", () => {
  it("accepts real dates and rejects impossible ones", () => {
    expect(CalendarDate.parse("2012-02-29")).toBe("2012-02-29")
    expect(CalendarDate.parse("2013-02-29")).toBeUndefined()
    expect(CalendarDate.parse("2013-13-01")).toBeUndefined()
    expect(CalendarDate.parse("1/4/2013")).toBeUndefined()
    expect(Schema.decodeUnknownOption(CalendarDate.CalendarDate)("2100-02-29")._tag).toBe("None")
  })

  it("reads the compact ODS form and the UK form", () => {
    expect(CalendarDate.parseCompact("20130401")).toBe("2013-04-01")
    expect(CalendarDate.parseUk("31/03/2021")).toBe("2021-03-31")
    expect(CalendarDate.parseUk("1/4/2015")).toBe("2015-04-01")
    expect(CalendarDate.parseUk("31/02/2021")).toBeUndefined()
  })

  it("epoch days round-trip and agree with the platform's UTC calendar", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const date = CalendarDate.fromEpochDay(n)
        expect(CalendarDate.toEpochDay(date)).toBe(n)
        expect(date).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10))
      })
    )
  })

  it("previousDay turns an exclusive close into the last day in force", () => {
    expect(CalendarDate.previousDay(CalendarDate.unsafeMake("2021-04-01"))).toBe("2021-03-31")
    expect(CalendarDate.previousDay(CalendarDate.unsafeMake("2016-03-01"))).toBe("2016-02-29")
  })
})
