/**
 * Tests of the store's read models, written once and run against each backend: filtered record reads, the
 * per-stream counts `hub status` reads, the sums and stored rows of budget positions, and the geography over
 * time. Tests share one store per backend and keep to their own plugin, body and area names.
 */
import { CalendarDate, Money } from "@hub/domain"
import { EffectTest } from "@hub/testing"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect } from "vitest"
import * as AuditLog from "../AuditLog.ts"
import * as BudgetRepo from "../BudgetRepo.ts"
import * as IngestRepo from "../IngestRepo.ts"
import type * as RecordKinds from "../RecordKinds.ts"
import * as RecordRepo from "../RecordRepo.ts"
import * as ReferenceDataRepo from "../ReferenceDataRepo.ts"
import type { Backend } from "./Backends.ts"

const spend = (council: string, line: number, date: string, amount: number): RecordKinds.CouncilSpendLine => ({
  council,
  source: "rm.csv",
  line,
  transactionNumber: `T${line}`,
  paymentDate: CalendarDate.unsafeMake(date),
  amount: Money.pence(amount),
  supplier: "Supplier",
  markers: []
})

const activity = (commissionerCode: string, financialYear: string, month: number, cost: number): RecordKinds.ContractActivityLine => ({
  contractId: `C-${commissionerCode}`,
  providerCode: "RJ1",
  commissionerCode,
  financialYear,
  month,
  pointOfDelivery: "EL",
  specialty: "100",
  plannedActivity: 1,
  actualActivity: 1,
  plannedCost: Money.pence(cost),
  actualCost: Money.pence(cost)
})

export const readModelSuite = (backend: Backend): void => {
  describe(`read models on ${backend.name}`, () => {
    const store = EffectTest.layer(backend.layer())

    store.effect("record reads filter by body, financial year and months (spend lines by payment date, April = M1)", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const base = { plugin: "rm-filter", stream: "spend", kind: "council-spend-line" as const, rejections: [] }
        yield* ingest.commitPage({
          ...base,
          records: [
            spend("rm-a", 1, "2018-03-31", 1), // 2017/18 M12
            spend("rm-a", 2, "2018-04-01", 2), // 2018/19 M1
            spend("rm-a", 3, "2018-12-31", 4), // M9
            spend("rm-a", 4, "2019-01-01", 8), // M10
            spend("rm-a", 5, "2019-03-31", 16), // M12
            spend("rm-b", 6, "2018-06-15", 32) // another council, M3
          ],
          nextCursor: "1"
        })
        const amounts = (filter: RecordRepo.RecordFilter) =>
          records.list("council-spend-line", { plugin: "rm-filter", ...filter }).pipe(Effect.map((rows) => rows.map((r) => r.amount)))
        expect(yield* amounts({ body: "rm-a", financialYear: "2018/19" })).toEqual([2, 4, 8, 16])
        expect(yield* amounts({ body: "rm-a", financialYear: "2017/18" })).toEqual([1])
        expect(yield* amounts({ body: "rm-a", financialYear: "2018/19", months: { from: 9, to: 10 } })).toEqual([4, 8])
        expect(yield* amounts({ body: "rm-a", financialYear: "2018/19", months: { from: 1, to: 1 } })).toEqual([2])
        expect(yield* amounts({ body: ["rm-a", "rm-b"], financialYear: "2018/19", months: { from: 1, to: 3 } })).toEqual([2, 32])
        expect(yield* records.count("council-spend-line", { plugin: "rm-filter", body: "rm-b" })).toBe(1)

        yield* ingest.commitPage({
          plugin: "rm-filter",
          stream: "activity",
          kind: "contract-activity-line",
          records: [activity("RM1", "2018/19", 1, 10), activity("RM1", "2018/19", 2, 20), activity("RM1", "2019/20", 1, 40), activity("RM2", "2018/19", 1, 80)],
          rejections: [],
          nextCursor: "1"
        })
        const costs = yield* records.list("contract-activity-line", { body: "RM1", financialYear: "2018/19", months: { from: 2, to: 12 } })
        expect(costs.map((r) => r.actualCost)).toEqual([20])
      }))

    store.effect("a filter a kind has no column for is a defect naming the kind", () =>
      Effect.gen(function*() {
        const records = yield* RecordRepo.RecordRepo
        const exit = yield* Effect.exit(records.list("allocation-line", { financialYear: "2018/19", months: { from: 1, to: 2 } }))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(exit)).toMatch(/allocation-line records have no month/u)
        const noBody = yield* Effect.exit(records.count("submission-acknowledgement", { body: "X" }))
        expect(String(noBody)).toMatch(/submission-acknowledgement records have no body/u)
      }))

    store.effect("per-stream counts equal SELECT COUNT(*) and the last commit is the audit log's", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const audit = yield* AuditLog.AuditLog
        const sql = yield* SqlClient.SqlClient
        const page = (stream: string, lines: ReadonlyArray<number>, bad: number, cursor: string) =>
          ingest.commitPage({
            plugin: "rm-status",
            stream,
            kind: "council-spend-line",
            records: lines.map((n) => spend(`rm-${stream}`, n, "2019-01-02", n)),
            rejections: Array.from({ length: bad }, (_, i) => ({ line: 1000 + i, raw: `bad ${stream} ${cursor} ${i}`, problems: [{ field: "amount", reason: "not an amount" }] })),
            nextCursor: cursor
          })
        yield* page("one", [1, 2, 3], 2, "a")
        yield* page("one", [4, 5], 1, "b")
        yield* page("two", [1], 0, "z")
        const counts = (yield* records.streamCounts()).filter((c) => c.plugin === "rm-status")
        const stored = yield* sql<{ readonly stream: string; readonly n: unknown }>`SELECT stream, count(*) AS n
          FROM council_spend_lines WHERE plugin = 'rm-status' GROUP BY stream ORDER BY stream`
        const held = yield* sql<{ readonly stream: string; readonly n: unknown }>`SELECT stream, count(*) AS n
          FROM quarantined_rows WHERE plugin = 'rm-status' GROUP BY stream ORDER BY stream`
        expect(counts.map((c) => [c.stream, c.rowsStored])).toEqual(stored.map((r) => [r.stream, Number(r.n)]))
        expect(counts.map((c) => [c.stream, c.rowsStored, c.rowsQuarantined, c.cursor])).toEqual([["one", 5, 3, "b"], ["two", 1, 0, "z"]])
        expect(held.map((r) => [r.stream, Number(r.n)])).toEqual([["one", 3]])
        const commits = (yield* audit.list({ entityType: "stream", entityKey: "rm-status/one" })).filter((e) => e.action === "ingest.commit-page")
        expect(counts[0]?.lastCommitAt).toBe(commits[commits.length - 1]?.at)
      }))

    store.effect("position sources are summed in the database; replacing positions twice writes nothing the second time", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const budgets = yield* BudgetRepo.BudgetRepo
        const key: BudgetRepo.PositionKey = { bodyCode: "rm-council", financialYear: "2018/19", basis: "council-budget" }
        expect(yield* budgets.positionSources(key)).toEqual({ plan: [], actuals: [] })
        yield* ingest.commitPage({
          plugin: "rm-budget",
          stream: "budget",
          kind: "budget-line",
          records: [
            { organisation: "rm-council", financialYear: "2018/19", serviceCode: "A", service: "A", expenseCode: "1", expenseType: "x", capitalOrRevenue: "revenue", budget: Money.pence(100), revisedBudget: Money.pence(150) },
            { organisation: "rm-council", financialYear: "2018/19", serviceCode: "B", service: "B", expenseCode: "1", expenseType: "x", capitalOrRevenue: "revenue", budget: Money.pence(50) }
          ],
          rejections: [],
          nextCursor: "1"
        })
        yield* ingest.commitPage({
          plugin: "rm-budget",
          stream: "spend",
          kind: "council-spend-line",
          records: [spend("rm-council", 1, "2018-04-30", 7), spend("rm-council", 2, "2018-04-01", 3), spend("rm-council", 3, "2019-03-01", 11), spend("rm-council", 4, "2019-04-01", 99)],
          rejections: [],
          nextCursor: "1"
        })
        const sources = yield* budgets.positionSources(key)
        expect(sources.plan).toEqual([{ part: "budget", amount: 200, rows: 2 }])
        expect(sources.actuals).toEqual([{ part: "spend", month: 1, amount: 10, rows: 2 }, { part: "spend", month: 12, amount: 11, rows: 1 }])
        expect(yield* budgets.positionKeys()).toContainEqual(key)

        const row: BudgetRepo.StoredPosition = {
          ...key,
          month: 1,
          annualPlan: Money.pence(200),
          planToDate: Money.pence(17),
          actualToDate: Money.pence(10),
          variance: Money.pence(7),
          forecastOutturn: Money.pence(120),
          forecastMethod: "run-rate",
          forecastVariance: Money.pence(80),
          overspend: false,
          adminPlanned: Money.zero,
          adminActualToDate: Money.zero,
          adminForecastOutturn: Money.zero,
          adminBreach: false,
          flags: [],
          sourceRows: 4
        }
        expect(yield* budgets.replacePositions([{ key, positions: [row, { ...row, month: 12 }] }])).toEqual({ written: 2, removed: 0 })
        expect(yield* budgets.replacePositions([{ key, positions: [row, { ...row, month: 12 }] }])).toEqual({ written: 0, removed: 0 })
        expect(yield* budgets.replacePositions([{ key, positions: [row] }])).toEqual({ written: 0, removed: 1 })
        expect(yield* budgets.positions({ bodyCode: "rm-council" })).toEqual([row])
      }))

    store.effect("a geography is imported in one go by natural key: importing it again writes nothing; bad rows are quarantined", () =>
      Effect.gen(function*() {
        const repo = yield* ReferenceDataRepo.ReferenceDataRepo
        const ingest = yield* IngestRepo.IngestRepo
        const coverage: ReadonlyArray<ReferenceDataRepo.AreaCoverage> = [
          { areaCode: "E01999001", role: "health", bodyCode: "RMH", opened: "2013-04-01", closed: "2020-04-01", source: "rm.json" },
          { areaCode: "E01999001", role: "health", bodyCode: "RMJ", opened: "2020-04-01", source: "rm.json" },
          { areaCode: "E01999001", role: "council", bodyCode: "E09999001", opened: "1965-04-01", source: "rm.json" },
          { areaCode: "E01999002", role: "council", bodyCode: "E09999001", opened: "1965-04-01", source: "rm.json" }
        ]
        const input = {
          file: "rm.json",
          areas: [{ code: "E01999001" }, { code: "E01999002" }],
          coverage,
          rejected: [{ file: "rm.json", line: 7, raw: "\"E0X\"", problems: [{ field: "areas[6]", reason: "not an LSOA code" }] }]
        }
        const first = yield* repo.importGeography(input)
        expect(first).toEqual({ organisations: { written: 0 }, areas: { rows: 2, written: 2 }, coverage: { rows: 4, written: 4 }, quarantined: 1 })
        const second = yield* repo.importGeography(input)
        expect(second).toEqual({ organisations: { written: 0 }, areas: { rows: 2, written: 0 }, coverage: { rows: 4, written: 0 }, quarantined: 1 })
        expect((yield* repo.areaCoverage({ areaCode: "E01999001", role: "health", asOf: "2019-06-01" })).map((c) => c.bodyCode)).toEqual(["RMH"])
        expect((yield* repo.areaCoverage({ areaCode: "E01999001", role: "health", asOf: "2020-04-01" })).map((c) => c.bodyCode)).toEqual(["RMJ"])
        expect((yield* repo.areaCoverage({ bodyCode: "E09999001" })).map((c) => c.areaCode)).toEqual(["E01999001", "E01999002"])
        const held = yield* ingest.quarantined({ plugin: ReferenceDataRepo.quarantinePlugin, stream: "rm.json" })
        expect(held.map((q) => [q.line, q.reasons])).toEqual([[7, [{ field: "areas[6]", reason: "not an LSOA code" }]]])
        const counts = yield* repo.counts()
        expect(counts.areas).toBeGreaterThanOrEqual(2)
        expect(counts.areaCoverage).toBeGreaterThanOrEqual(4)
      }))
  })
}
