import { CalendarDate, Money } from "@hub/domain"
import { type Page, Plugin } from "@hub/plugin-sdk"
import { BudgetRepo, type RecordKinds, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Effect, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Ingest from "./Ingest.ts"
import { PluginRegistry, register } from "./PluginRegistry.ts"
import * as Positions from "./Positions.ts"

/** The council's 2018/19 budget book: the revised budget counts where there is one. */
const budgetLines = [
  { organisation: "testshire", financialYear: "2018/19", serviceCode: "CC01", service: "Adult care", expenseCode: "S01", expenseType: "Fees", capitalOrRevenue: "revenue", budget: Money.pence(600_000), revisedBudget: Money.pence(660_000) },
  { organisation: "testshire", financialYear: "2018/19", serviceCode: "CC02", service: "Libraries", expenseCode: "S02", expenseType: "Books", capitalOrRevenue: "revenue", budget: Money.pence(540_000) }
]

/** Spend: two lines in January 2019 (M10), one in February (M11), one in May 2019 (2019/20, which has no budget). */
const spendRows = [
  { line: 2, date: "2019-01-10", amount: 30_000 },
  { line: 3, date: "2019-01-31", amount: 20_000 },
  { line: 4, date: "2019-02-01", amount: 45_000 },
  { line: 5, date: "2019-05-02", amount: 7_000 }
]

const spendRecord = (row: (typeof spendRows)[number]) => ({
  council: "testshire",
  source: "spend-2019",
  line: row.line,
  transactionNumber: `T${row.line}`,
  paymentDate: CalendarDate.unsafeMake(row.date),
  amount: Money.pence(row.amount),
  supplier: `Supplier ${row.line}`,
  markers: []
})

const onePage = (records: ReadonlyArray<unknown>, cursor: string | null): Page.Page =>
  cursor === null ? { records, rejections: [], nextCursor: "end", done: true } : { records: [], rejections: [], nextCursor: "end", done: true }

const financePlugin = Plugin.make({
  manifest: {
    id: "fake-finance",
    version: "0.1.0",
    displayName: "Fake finance",
    externalSystem: "in memory",
    description: "a budget book and spend from memory",
    streams: [
      { name: "budget", recordType: "budget-line", cursor: "row", description: "budget book" },
      { name: "spend", recordType: "council-spend-line", cursor: "row", description: "spend" }
    ],
    pushes: [],
    configuration: [],
    hosts: ["*.example.gov.uk"]
  },
  configSchema: Schema.Struct({}),
  check: () => Effect.void,
  pull: (_config, stream, cursor) =>
    Effect.succeed(onePage(stream === "budget" ? budgetLines : spendRows.map(spendRecord), cursor)),
  push: () => Effect.die("no pushes")
})

const layer = () =>
  Layer.mergeAll(Store.layerPglite(), PluginRegistry.layer([register({ plugin: financePlugin, config: {} })]))

const key: Positions.Key = { bodyCode: "testshire", financialYear: "2018/19", basis: "council-budget" }

describe("Positions after ingest", () => {
  EffectTest.effect("spend ingested before its budget book makes no position; the budget book then makes one per month with spend, reconciling with the source rows", () =>
    Effect.gen(function*() {
      const repo = yield* BudgetRepo.BudgetRepo
      const spend = yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "spend" })
      expect(spend.positions.positions).toBe(0)
      expect(yield* repo.positions({ bodyCode: "testshire" })).toEqual([])

      const budget = yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "budget" })
      expect(budget.positions).toMatchObject({ keys: 1, positions: 2 })
      const rows = yield* repo.positions({ bodyCode: "testshire" })
      expect(rows.map((r) => [r.financialYear, r.month])).toEqual([["2018/19", 10], ["2018/19", 11]])

      // The source numbers, summed here independently of the store and the kernel.
      const plan = 660_000 + 540_000
      const spentTo = (month: number) =>
        spendRows.filter((r) => r.date >= "2018-04-01" && r.date < "2019-04-01")
          .filter((r) => ((Number(r.date.slice(5, 7)) + 8) % 12) + 1 <= month)
          .reduce((s, r) => s + r.amount, 0)
      const [m10, m11] = rows
      expect(m10).toMatchObject({ annualPlan: plan, planToDate: plan * 10 / 12, actualToDate: spentTo(10), sourceRows: 2 + 2 })
      expect(m10!.variance).toBe(m10!.planToDate - spentTo(10))
      expect(m10!.forecastOutturn).toBe(spentTo(10) * 12 / 10)
      expect(m11).toMatchObject({ planToDate: plan * 11 / 12, actualToDate: 95_000, variance: plan * 11 / 12 - 95_000, sourceRows: 2 + 3 })
      expect(m11!.forecastOutturn).toBe(Math.round(95_000 * 12 / 11))
      expect(m11!.overspend).toBe(false)
      // 2019/20 has spend but no budget: no position.
      expect(yield* repo.positions({ bodyCode: "testshire", financialYear: "2019/20" })).toEqual([])
    }).pipe(Effect.provide(layer())))

  EffectTest.effect("recomputing from unchanged records writes nothing and leaves the same rows", () =>
    Effect.gen(function*() {
      const repo = yield* BudgetRepo.BudgetRepo
      yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "budget" })
      yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "spend" })
      const before = yield* repo.positions()
      expect(before.length).toBe(2)
      const again = yield* Positions.recomputeAll()
      expect(again).toEqual({ keys: 1, positions: 2, written: 0, removed: 0 })
      const twice = yield* Positions.recompute([key, key])
      expect(twice).toEqual({ keys: 1, positions: 2, written: 0, removed: 0 })
      expect(yield* repo.positions()).toEqual(before)
    }).pipe(Effect.provide(layer())))

  EffectTest.effect("a position whose months no longer have actuals is removed on recompute", () =>
    Effect.gen(function*() {
      const repo = yield* BudgetRepo.BudgetRepo
      yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "budget" })
      yield* Ingest.runToEnd({ plugin: "fake-finance", stream: "spend" })
      const stale: BudgetRepo.StoredPosition = { ...(yield* repo.positions())[0]!, month: 3 }
      yield* repo.replacePositions([{ key, positions: [...(yield* repo.positions()), stale] }])
      expect((yield* repo.positions()).map((p) => p.month)).toEqual([3, 10, 11])
      expect(yield* Positions.recompute([key])).toMatchObject({ removed: 1, written: 0 })
      expect((yield* repo.positions()).map((p) => p.month)).toEqual([10, 11])
    }).pipe(Effect.provide(layer())))
})

describe("Positions.compute", () => {
  const sum = (part: string, amount: number, month?: number): BudgetRepo.SourceSum => ({ part, amount: Money.pence(amount), rows: 1, ...(month === undefined ? {} : { month }) })

  it("plans a commissioner's running costs as administration capped at the allocation, and flags an overspend", () => {
    const positions = Positions.compute(
      { bodyCode: "08Q", financialYear: "2013/14", basis: "commissioner-allocation" },
      { plan: [sum("core-services", 1_200_000), sum("running-costs", 120_000)], actuals: [sum("activity", 200_000, 1)] }
    )
    expect(positions).toHaveLength(1)
    const [m1] = positions
    expect(m1).toMatchObject({ month: 1, annualPlan: 1_320_000, planToDate: 110_000, actualToDate: 200_000, variance: -90_000, forecastOutturn: 2_400_000, overspend: true, adminPlanned: 120_000, adminCap: 120_000, adminHeadroom: 120_000, adminBreach: false })
    expect(m1!.flags.map((f) => f.rule)).toEqual(["position/overspend"])
  })

  it("plans a pooled fund by its monthly planned contributions", () => {
    const plan = [sum("planned", 100, 1), sum("planned", 300, 2), sum("planned", 600, 12)]
    const [m2] = Positions.compute({ bodyCode: "MAN-BCF", financialYear: "2018/19", basis: "pooled-fund" }, { plan, actuals: [sum("spend", 350, 2)] })
    expect(m2).toMatchObject({ month: 2, annualPlan: 1000, planToDate: 400, actualToDate: 350, variance: 50 })
  })

  it("makes no position without a plan, or for a code that is no body code", () => {
    expect(Positions.compute(key, { plan: [], actuals: [sum("spend", 5, 1)] })).toEqual([])
    expect(Positions.compute({ ...key, bodyCode: "not a code!" }, { plan: [sum("budget", 5)], actuals: [sum("spend", 5, 1)] })).toEqual([])
  })

  it("names the positions a batch affects once each", () => {
    const records: ReadonlyArray<RecordKinds.CouncilSpendLine> = spendRows.map(spendRecord)
    expect(Positions.affectedBy("council-spend-line", records)).toEqual([
      { bodyCode: "testshire", financialYear: "2018/19", basis: "council-budget" },
      { bodyCode: "testshire", financialYear: "2019/20", basis: "council-budget" }
    ])
    expect(Positions.affectedBy("submission-acknowledgement", [])).toEqual([])
  })
})
