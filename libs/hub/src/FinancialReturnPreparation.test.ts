import { CalendarDate, Codes, FinancialYear, Money } from "@hub/domain"
import type { RecordKinds } from "@hub/store"
import * as fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as FinancialReturnPreparation from "./FinancialReturnPreparation.ts"

const year = Schema.decodeSync(FinancialYear.FinancialYear)("2013/14")
const commissioner = Schema.decodeSync(Codes.OdsCode)("08Q")
const holder = Schema.decodeSync(Codes.BodyCode)("08Q")

const allocation = (allocationType: string, pence: number): RecordKinds.AllocationLine => ({
  organisationCode: "08Q",
  financialYear: year,
  allocationType,
  amount: Money.pence(pence),
  publishedOn: CalendarDate.unsafeMake("2013-03-01")
})

const activityLine = (month: number, cost: number, commissionerCode = "08Q"): RecordKinds.ContractActivityLine => ({
  contractId: `C-${commissionerCode}`,
  providerCode: "RJ1",
  commissionerCode,
  financialYear: year,
  month,
  pointOfDelivery: "EL",
  specialty: `S${month}-${cost}`,
  plannedActivity: 1,
  actualActivity: 1,
  plannedCost: Money.pence(cost),
  actualCost: Money.pence(cost)
})

const compute = (input: {
  readonly month: FinancialYear.Month
  readonly allocations: ReadonlyArray<RecordKinds.AllocationLine>
  readonly activity?: ReadonlyArray<RecordKinds.ContractActivityLine>
  readonly councilSpend?: ReadonlyArray<RecordKinds.CouncilSpendLine>
}) => FinancialReturnPreparation.compute({ commissioner, holder, financialYear: year, activity: [], councilSpend: [], ...input })

describe("FinancialReturnPreparation.compute", () => {
  it("plans each line from its allocation type, counts only this commissioner's activity to date, forecasts the run rate", () => {
    const result = compute({
      month: 2,
      allocations: [allocation("core-services", 120_000_00), allocation("running-costs", 2_400_00)],
      activity: [activityLine(1, 9_000_00), activityLine(2, 11_000_00), activityLine(3, 50_000_00), activityLine(1, 77_00, "07R")]
    })
    expect(Result.isSuccess(result)).toBe(true)
    const { lines, position } = Result.getOrThrow(result)
    expect(lines.map((l) => [l.code, l.plan, l.actualToDate, l.forecastOutturn, l.sourceRows])).toEqual([
      ["acute", 120_000_00, 20_000_00, 120_000_00, 2],
      ["running-costs", 2_400_00, 0, 0, 0]
    ])
    expect(position).toMatchObject({ annualPlan: 122_400_00, actualToDate: 20_000_00, overspend: false })
  })

  it("counts partner councils' spend on other-programme by the financial month of its payment date", () => {
    const spend = (date: string, pence: number): RecordKinds.CouncilSpendLine => ({
      council: "gla", source: "spend", line: 2, transactionNumber: date, paymentDate: CalendarDate.unsafeMake(date),
      amount: Money.pence(pence), supplier: "S", markers: []
    })
    const { lines } = Result.getOrThrow(compute({
      month: 1,
      allocations: [allocation("core-services", 100)],
      councilSpend: [spend("2013-04-02", 500), spend("2013-05-02", 700), spend("2012-04-02", 900)]
    }))
    expect(lines.find((l) => l.code === "other-programme")).toMatchObject({ plan: 0, actualToDate: 500, sourceRows: 1 })
  })

  it("refuses a return without an ingested allocation, naming the commissioner and year", () => {
    const result = compute({ month: 1, allocations: [] })
    expect(Result.isFailure(result) && result.failure).toBe("no allocation of 08Q for 2013/14 has been ingested")
  })

  it("property: the plans add up to the allocations and the actuals to the costs to date, exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000_00 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ month: fc.integer({ min: 1, max: 12 }), cost: fc.integer({ min: -1_000_00, max: 5_000_000_00 }) }), { maxLength: 40 }),
        (month, amounts, costs) => {
          const types = ["core-services", "primary-care", "running-costs"]
          const allocations = amounts.map((a, i) => allocation(types[i]!, a))
          const activity = costs.map((c, i) => ({ ...activityLine(c.month, c.cost), specialty: `X${i}` }))
          const result = compute({ month: month as FinancialYear.Month, allocations, activity })
          const { lines, position } = Result.getOrThrow(result)
          const toDate = costs.filter((c) => c.month <= month).reduce((s, c) => s + c.cost, 0)
          expect(lines.reduce((s, l) => s + l.plan, 0)).toBe(amounts.reduce((s, a) => s + a, 0))
          expect(lines.find((l) => l.code === "acute")?.actualToDate).toBe(toDate)
          expect(position.actualToDate).toBe(toDate)
          const forecast = lines.find((l) => l.code === "acute")!.forecastOutturn
          expect(Math.abs(forecast - (toDate * 12) / month)).toBeLessThanOrEqual(0.5)
        }
      )
    )
  })
})

describe("FinancialReturnPreparation.sameFigures", () => {
  it("ignores key order and the version, not a changed amount", () => {
    const a = { version: 1, lines: [{ code: "acute", plan: "1.00" }], organisationCode: "08Q" }
    expect(FinancialReturnPreparation.sameFigures(a, { organisationCode: "08Q", lines: [{ plan: "1.00", code: "acute" }], version: 2 })).toBe(true)
    expect(FinancialReturnPreparation.sameFigures(a, { ...a, lines: [{ code: "acute", plan: "1.01" }] })).toBe(false)
  })
})
