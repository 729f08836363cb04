import { Pounds } from "@hub/simulator-kit"
import fc from "fast-check"
import { expect, it } from "vitest"
import * as Allocations from "./Allocations.ts"
import * as Submissions from "./Submissions.ts"

const allocations = Allocations.generate(1)
const categories = ["acute", "mental-health", "community", "prescribing"] as const

const amounts = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 })

it("TOTALS_MISMATCH is reported for exactly the columns whose total differs from the sum of the lines", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(amounts, amounts, amounts), { minLength: 1, maxLength: 4 }),
      fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })),
      (lines, [dPlan, dActual, dForecast]) => {
        const sum = (i: 0 | 1 | 2) => lines.reduce((s, l) => s + l[i], 0)
        const r: Submissions.FinancialReturn = {
          commissionerCode: "08Q",
          financialYear: "2015/16",
          month: "M6",
          allocation: Pounds.fromPence(sum(0) + dPlan),
          lines: lines.map((l, i) => ({
            category: categories[i] as (typeof categories)[number],
            plan: Pounds.fromPence(l[0]),
            actualYearToDate: Pounds.fromPence(l[1]),
            forecastOutturn: Pounds.fromPence(l[2])
          })),
          totals: {
            plan: Pounds.fromPence(sum(0) + dPlan),
            actualYearToDate: Pounds.fromPence(sum(1) + dActual),
            forecastOutturn: Pounds.fromPence(sum(2) + dForecast)
          }
        }
        const fields = Submissions.checkFinancialReturn(r, { today: "2022-06-30", allocations }).reasons
          .filter((x) => x.code === "TOTALS_MISMATCH")
          .map((x) => x.field)
        const expected = [
          ...(dPlan !== 0 ? ["totals.plan"] : []),
          ...(dActual !== 0 ? ["totals.actualYearToDate"] : []),
          ...(dForecast !== 0 ? ["totals.forecastOutturn"] : [])
        ]
        expect(fields).toEqual(expected)
      }
    )
  )
})

it("a declaration may rise at most one level above the previous one", () => {
  fc.assert(
    fc.property(fc.constantFrom(...Submissions.levels), fc.option(fc.constantFrom(...Submissions.levels), { nil: undefined }), (level, previous) => {
      const reasons = Submissions.checkDeclaration(
        { commissionerCode: "08Q", financialYear: "2016/17", level, effectiveFrom: "2016-04-01" },
        { today: "2022-06-30", previousLevel: previous }
      )
      const from = Submissions.levels.indexOf(previous ?? "greater-involvement")
      expect(reasons.some((r) => r.code === "LEVEL_JUMP")).toBe(Submissions.levels.indexOf(level) > from + 1)
    })
  )
})

it("a return for a month that has not ended is in the future", () => {
  const r: Submissions.FinancialReturn = {
    commissionerCode: "08Q",
    financialYear: "2019/20",
    month: "M12",
    allocation: "1.00",
    lines: [{ category: "acute", plan: "1.00", actualYearToDate: "1.00", forecastOutturn: "1.00" }],
    totals: { plan: "1.00", actualYearToDate: "1.00", forecastOutturn: "1.00" }
  }
  const codes = (today: string) => Submissions.checkFinancialReturn(r, { today, allocations }).reasons.map((x) => x.code)
  expect(codes("2020-03-30")).toContain("PERIOD_IN_FUTURE")
  expect(codes("2020-03-31")).not.toContain("PERIOD_IN_FUTURE")
})
