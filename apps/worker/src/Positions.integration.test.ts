import { Money } from "@hub/domain"
import { Ingest } from "@hub/hub"
import { BudgetRepo, IngestRepo } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { parse } from "csv-parse/sync"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect } from "vitest"
import * as Simulators from "./Simulators.ts"
import * as TestHub from "./test-support/TestHub.ts"

const manchesterFile = fileURLToPath(
  new URL("../../../tools/simulators/council-finance/data/spend/manchester-2019-01.csv", import.meta.url)
)

/** Pounds as budget books print them (`£1,234.00`, `(£12.00)`), in pence, read here without the plugin. */
const pence = (text: string): number => {
  const t = text.replace(/[£,\s]/gu, "")
  const negative = /^\(.*\)$/u.test(t)
  const value = Money.parsePounds(negative ? t.slice(1, -1) : t)
  if (value === undefined) throw new Error(`not an amount: ${text}`)
  return negative ? -value : value
}

class SimulatorUrls extends Context.Service<SimulatorUrls, Simulators.Running>()("test/PositionsSimulatorUrls") {}

const resetCursor = (plugin: string, stream: string) =>
  IngestRepo.IngestRepo.use((repo) => repo.commitPage({ plugin, stream, kind: "budget-line", records: [], rejections: [], nextCursor: null }))

describe("budget positions after ingest from the real simulators (PostgreSQL)", () => {
  const hub = EffectTest.layer(
    Layer.unwrap(Effect.gen(function*() {
      const simulators = yield* Simulators.start({ financialYear: "2013/14" })
      return Layer.mergeAll(TestHub.postgres.layer(), TestHub.registryLayer(simulators), Layer.succeed(SimulatorUrls, simulators))
    }))
  )

  hub.effect("a council's position reconciles with its budget book and spend file: plan to M10 minus January's spend", () =>
    Effect.gen(function*() {
      const urls = yield* SimulatorUrls
      yield* Ingest.runToEnd({ plugin: "council-finance", stream: "spend" })
      const budgetRun = yield* Ingest.runToEnd({ plugin: "council-finance", stream: "budget" })
      expect(budgetRun.positions.positions).toBeGreaterThan(0)

      // The budget book as the simulator serves it, and the spend file, read here with csv-parse.
      const book = yield* Effect.promise(async () => {
        const response = await fetch(`${urls.councilFinance}/v1/councils/manchester/datasets/budget?cursor=0&limit=5000`, {
          headers: { authorization: "Bearer council-finance-demo" }
        })
        return parse(await response.text(), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>
      })
      const plan = book.reduce((sum, r) => sum + pence(r["Revised Budget"] || r["Original Budget"] || ""), 0)
      const quarantined = new Set((yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "council-finance", stream: "spend", limit: 100_000 }))).map((q) => q.line))
      const spendRows = parse(readFileSync(manchesterFile, "utf8"), { columns: true, bom: true, skip_empty_lines: true, info: true }) as Array<{
        readonly record: Record<string, string>
        readonly info: { readonly lines: number }
      }>
      const january = spendRows
        .filter((r) => !quarantined.has(r.info.lines) && (r.record["Invoice Payment Date"] ?? "").startsWith("2019-01"))
        .reduce((sum, r) => sum + (Money.parsePounds(r.record["Net Amount"] ?? "") ?? 0), 0)

      const positions = yield* BudgetRepo.BudgetRepo.use((r) => r.positions({ bodyCode: "manchester", financialYear: "2018/19" }))
      expect(positions.map((p) => [p.basis, p.month])).toEqual([["council-budget", 10]])
      const m10 = positions[0]!
      const planToM10 = 10 * Math.floor(plan / 12) + Math.min(10, plan % 12)
      expect(m10.annualPlan).toBe(plan)
      expect(m10.actualToDate).toBe(january)
      expect(m10.planToDate).toBe(planToM10)
      expect(m10.variance).toBe(planToM10 - january)
      expect(m10.sourceRows).toBe(book.length + spendRows.length - quarantined.size)
    }))

  hub.effect("a commissioner's positions reconcile with its stored allocations and activity costs, month by month", () =>
    Effect.gen(function*() {
      yield* Ingest.runToEnd({ plugin: "nhs-england-returns", stream: "allocations" })
      yield* Ingest.runToEnd({ plugin: "london-cbs", stream: "activity" })
      const sql = yield* SqlClient.SqlClient
      const positions = yield* BudgetRepo.BudgetRepo.use((r) => r.positions({ basis: "commissioner-allocation", financialYear: "2013/14" }))
      expect(positions.length).toBeGreaterThan(0)
      const [first] = positions
      const [planned] = yield* sql<{ readonly n: string }>`SELECT sum(amount_pence)::text AS n FROM allocations
        WHERE organisation_code = ${first!.bodyCode} AND financial_year = '2013/14'`
      for (const p of positions.filter((q) => q.bodyCode === first!.bodyCode)) {
        const [spent] = yield* sql<{ readonly n: string }>`SELECT coalesce(sum(actual_cost_pence), 0)::text AS n FROM contract_activity_lines
          WHERE commissioner_code = ${p.bodyCode} AND financial_year = '2013/14' AND month <= ${p.month}`
        expect(p.annualPlan).toBe(Number(planned!.n))
        expect(p.actualToDate).toBe(Number(spent!.n))
        expect(p.variance).toBe(p.planToDate - p.actualToDate)
      }
    }))

  hub.effect("replaying the pulls from the start recomputes the same positions and writes nothing", () =>
    Effect.gen(function*() {
      const before = yield* BudgetRepo.BudgetRepo.use((r) => r.positions())
      expect(before.length).toBeGreaterThan(1)
      for (const [plugin, stream] of [["council-finance", "spend"], ["council-finance", "budget"], ["nhs-england-returns", "allocations"], ["london-cbs", "activity"]] as const) {
        yield* resetCursor(plugin, stream)
        const replay = yield* Ingest.runToEnd({ plugin, stream })
        expect(replay.written).toBe(0)
        expect(replay.positions).toMatchObject({ written: 0, removed: 0 })
      }
      expect(yield* BudgetRepo.BudgetRepo.use((r) => r.positions())).toEqual(before)
    }))
})
