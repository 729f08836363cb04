/**
 * The allocations NHS England publishes, generated deterministically from a seed: each CCG's core-services
 * allocation starts between £250m and £600m in 2013/14 and grows 1.5-4% a year; a merged CCG starts from the
 * sum of its predecessors; primary care (from 2016/17) and running costs (the administration cap) are shares
 * of the core allocation. All sums are exact integer pence.
 *
 * @since 0.1.0
 */
import { Pounds, SeededRandom } from "@hub/simulator-kit"
import * as FinancialCalendar from "./FinancialCalendar.ts"
import { commissioners, operationalForYear } from "./ReferenceData.ts"

/**
 * One published allocation, as served by `GET /v1/allocations`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Allocation {
  readonly allocationId: string
  readonly commissionerCode: string
  readonly commissionerName: string
  readonly financialYear: string
  readonly allocationType: "core-services" | "primary-care" | "running-costs"
  readonly amount: string
  readonly publishedOn: string
}

/**
 * The published allocations and, per `commissionerCode|financialYear`, their total and running-cost cap.
 *
 * @category models
 * @since 0.1.0
 */
export interface Allocations {
  readonly list: ReadonlyArray<Allocation>
  readonly totals: ReadonlyMap<string, { readonly totalPence: number; readonly runningCostsPence: number }>
}

/** Years served: 2013/14 to 2021/22. */
const firstYear = 2013
const lastYear = 2021
const thousand = 100_000 // £1,000 in pence

/**
 * Generates the allocations for a seed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const generate = (seed: number): Allocations => {
  const list: Array<Allocation> = []
  const totals = new Map<string, { totalPence: number; runningCostsPence: number }>()
  // Core allocation of the previous year, in thousands of pounds, by commissioner.
  let previous = new Map<string, number>()
  const ordered = [...commissioners].sort((a, b) => (a.code < b.code ? -1 : 1))
  for (let year = firstYear; year <= lastYear; year++) {
    const current = new Map<string, number>()
    for (const c of ordered) {
      if (!operationalForYear(c, year)) continue
      const rng = SeededRandom.make(seed, `allocation:${c.code}:${year}`)
      const base = previous.get(c.code) ??
        (c.predecessors.length > 0
          ? c.predecessors.reduce((sum, p) => sum + (previous.get(p) ?? 0), 0)
          : rng.int(250_000, 600_000))
      const growthBasisPoints = year === firstYear && c.predecessors.length === 0 ? 0 : rng.int(150, 400)
      const coreK = Math.round((base * (10_000 + growthBasisPoints)) / 10_000)
      current.set(c.code, coreK)
      const fy = FinancialCalendar.label(year)
      const publishedOn = `${year - 1}-12-${String(rng.int(10, 20)).padStart(2, "0")}`
      const amounts: Array<readonly [Allocation["allocationType"], number]> = [
        ["core-services", coreK],
        ...(year >= 2016 ? [["primary-care", Math.round(coreK * (0.08 + rng.next() * 0.02))] as const] : []),
        ["running-costs", Math.round(coreK * (0.016 + rng.next() * 0.004))]
      ]
      let totalPence = 0
      for (const [allocationType, k] of amounts) {
        totalPence += k * thousand
        list.push({
          allocationId: `NHSE-AL-${year}-${c.code}-${allocationType}`,
          commissionerCode: c.code,
          commissionerName: c.name,
          financialYear: fy,
          allocationType,
          amount: Pounds.fromPence(k * thousand),
          publishedOn
        })
      }
      const runningCostsK = amounts.find(([t]) => t === "running-costs")?.[1] ?? 0
      totals.set(`${c.code}|${fy}`, { totalPence, runningCostsPence: runningCostsK * thousand })
    }
    previous = current
  }
  return { list, totals }
}
