import { describe, expect, it } from "vitest"
import * as ActivityPage from "./ActivityPage.ts"

const row = (overrides: Record<string, unknown> = {}) => ({
  lineId: "LCBS-A-2011-5LE-RJ1-M3-EL-110",
  contractId: "LCBS-C-2011-5LE-RJ1",
  providerOdsCode: "RJ1",
  commissionerCode: "5LE",
  financialYear: "2011/12",
  month: "M3",
  pointOfDelivery: "EL",
  specialtyCode: "110",
  hrgCode: null,
  plannedActivity: 412,
  actualActivity: 398,
  plannedCost: "1128880.00",
  actualCost: "1090520.00",
  updatedAt: "2011-07-19T02:13:00Z",
  ...overrides
})

describe("ActivityPage.mapRows", () => {
  it("maps a CBS line to the canonical line: month number, provider and specialty renamed, money in pence", () => {
    const { records, rejections } = ActivityPage.mapRows([row(), row({ lineId: "x", month: "M12", pointOfDelivery: "OPFA", hrgCode: "WF01B" })])
    expect(rejections).toEqual([])
    expect(records[0]).toEqual({
      contractId: "LCBS-C-2011-5LE-RJ1",
      providerCode: "RJ1",
      commissionerCode: "5LE",
      financialYear: "2011/12",
      month: 3,
      pointOfDelivery: "EL",
      specialty: "110",
      plannedActivity: 412,
      actualActivity: 398,
      plannedCost: 112888000,
      actualCost: 109052000
    })
    expect(records[1]).toMatchObject({ month: 12, hrg: "WF01B" })
  })

  it("rejects a bad row naming the CBS field, keeps its raw JSON and position, and keeps the good rows", () => {
    const bad = row({ lineId: "bad", month: "M13", actualCost: "n/a", providerOdsCode: "rj1" })
    const { records, rejections } = ActivityPage.mapRows([row(), bad, row({ month: "M4" })])
    expect(records).toHaveLength(2)
    expect(rejections).toHaveLength(1)
    const [rejection] = rejections
    expect(rejection?.line).toBe(2)
    expect(rejection?.field).toBe("month")
    expect(rejection?.problems.map((p) => p.field).sort()).toEqual(["actualCost", "month", "providerOdsCode"])
    expect(JSON.parse(rejection?.raw ?? "")).toEqual(bad)
  })

  it("rejects a row that repeats an earlier row's natural key on the same page", () => {
    const { records, rejections } = ActivityPage.mapRows([row(), row({ actualActivity: 1 })])
    expect(records).toHaveLength(1)
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[2, "lineId"]])
    expect(rejections[0]?.reason).toContain("row 1")
  })

  it("rejects rows that are not objects", () => {
    const { rejections } = ActivityPage.mapRows([null, 7, ["a"]])
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[1, "*"], [2, "*"], [3, "*"]])
  })
})

describe("ActivityPage.toPage", () => {
  it("a page that has no more rows is done", () => {
    expect(ActivityPage.toPage({ data: [], nextCursor: "c", hasMore: false }).done).toBe(true)
    expect(ActivityPage.toPage({ data: [], nextCursor: "c", hasMore: true }).done).toBe(false)
  })
})
