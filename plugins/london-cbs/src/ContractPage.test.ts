import { describe, expect, it } from "vitest"
import * as ContractPage from "./ContractPage.ts"

const row = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  contractId: "LCBS-C-2011-5LE-RJ1",
  commissionerCode: "5LE",
  providerOdsCode: "RJ1",
  providerName: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
  financialYear: "2011/12",
  contractType: "acute",
  startDate: "2011-04-01",
  endDate: "2012-03-31",
  annualValue: "48211350.00",
  status: "active",
  updatedAt: "2011-03-21T09:00:00Z",
  ...overrides
})

/** The malformed contract the CBS simulator serves under the MalformedRows fault. */
const malformed = (): Record<string, unknown> => {
  const { providerOdsCode: _dropped, ...rest } = row({ contractId: "LCBS-C-2011-5LE-RJ2" })
  return { ...rest, annualValue: "n/a" }
}

describe("ContractPage.mapRows", () => {
  it("maps a CBS contract to the canonical contract: provider renamed, annual value in pence, updatedAt dropped", () => {
    const { records, rejections } = ContractPage.mapRows([row()])
    expect(rejections).toEqual([])
    expect(records).toEqual([{
      contractId: "LCBS-C-2011-5LE-RJ1",
      commissionerCode: "5LE",
      providerCode: "RJ1",
      providerName: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
      financialYear: "2011/12",
      contractType: "acute",
      startDate: "2011-04-01",
      endDate: "2012-03-31",
      annualValue: 4_821_135_000,
      status: "active"
    }])
  })

  it("a null end date or provider name is absent, not a rejection", () => {
    const { records, rejections } = ContractPage.mapRows([row({ endDate: null, providerName: null })])
    expect(rejections).toEqual([])
    expect(records[0]).not.toHaveProperty("endDate")
    expect(records[0]).not.toHaveProperty("providerName")
  })

  it("rejects a malformed contract naming the CBS fields, keeps its raw JSON and position, and keeps the good rows", () => {
    const bad = malformed()
    const { records, rejections } = ContractPage.mapRows([row(), bad, row({ contractId: "LCBS-C-2011-5LE-RJ7" })])
    expect(records.map((r) => r.contractId)).toEqual(["LCBS-C-2011-5LE-RJ1", "LCBS-C-2011-5LE-RJ7"])
    expect(rejections).toHaveLength(1)
    const [rejection] = rejections
    expect(rejection?.line).toBe(2)
    expect(rejection?.problems.map((p) => p.field).sort()).toEqual(["annualValue", "providerOdsCode"])
    expect(rejection?.field).toBe(rejection?.problems[0]?.field)
    expect(JSON.parse(rejection?.raw ?? "")).toEqual(bad)
  })

  it("rejects values outside the CBS's lists and a term ending before it starts", () => {
    const { rejections } = ContractPage.mapRows([
      row({ contractType: "dental", status: "draft" }),
      row({ contractId: "x", endDate: "2011-03-31" })
    ])
    expect(rejections.map((r) => [r.line, r.problems.map((p) => p.field).sort()])).toEqual([
      [1, ["contractType", "status"]],
      [2, ["endDate"]]
    ])
  })

  it("rejects a row that repeats an earlier row's contract id on the same page", () => {
    const { records, rejections } = ContractPage.mapRows([row(), row({ annualValue: "1.00" })])
    expect(records).toHaveLength(1)
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[2, "contractId"]])
    expect(rejections[0]?.reason).toContain("row 1")
  })

  it("rejects rows that are not objects", () => {
    const { rejections } = ContractPage.mapRows([null, "LCBS-C-2011-5LE-RJ1", [row()]])
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[1, "*"], [2, "*"], [3, "*"]])
  })
})

describe("ContractPage.toPage", () => {
  it("keeps the CBS cursor and is done when the CBS has no more", () => {
    const page = ContractPage.toPage({ data: [row()], nextCursor: "c2", hasMore: false })
    expect(page).toMatchObject({ nextCursor: "c2", done: true })
    expect(page.records).toHaveLength(1)
    expect(ContractPage.toPage({ data: [], nextCursor: "c", hasMore: true }).done).toBe(false)
  })
})
