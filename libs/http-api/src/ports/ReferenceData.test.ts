import { CalendarDate, Coterminosity, Geography, Registry } from "@hub/domain"
import { Bundled } from "@hub/reference-data"
import { describe, expect, it } from "vitest"
import { make } from "./ReferenceData.ts"

const data = { registry: Bundled.registry(), geography: Bundled.geography() }

describe("ReferenceData.make", () => {
  it("answers assignments and reports exactly as the kernel computes them", () => {
    const reference = make(data)
    const date = CalendarDate.unsafeMake("2015-06-01")
    expect(reference.assignmentsAt(date)).toEqual(Geography.assignmentsAt(data.geography, date))
    expect(reference.reportAt(date, 0.05)).toEqual(Coterminosity.report(Geography.assignmentsAt(data.geography, date), { tolerance: 0.05 }))
    expect(Registry.get(reference.registry, "08Q")?.name).toBe("NHS Southwark CCG")
  })

  it("computes each date once, and each date and tolerance once", () => {
    const reference = make(data)
    const date = CalendarDate.unsafeMake("2010-07-15")
    expect(reference.assignmentsAt(date)).toBe(reference.assignmentsAt(date))
    expect(reference.reportAt(date, 0)).toBe(reference.reportAt(date, 0))
    expect(reference.reportAt(date, 0.1)).not.toBe(reference.reportAt(date, 0))
  })

  it("stays bounded: after many dates the oldest is computed afresh", () => {
    const reference = make(data)
    const first = CalendarDate.unsafeMake("2000-01-01")
    const kept = reference.assignmentsAt(first)
    for (let day = 1; day <= 40; day++) reference.assignmentsAt(CalendarDate.addDays(first, day))
    expect(reference.assignmentsAt(first)).not.toBe(kept)
    expect(reference.assignmentsAt(first)).toEqual(kept)
  })

  it("has no delegations unless given some", () => {
    expect(make(data).delegations).toEqual({ delegations: [], holdings: [] })
  })
})
