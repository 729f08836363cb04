/**
 * The repository tests, written once and run against each backend (PGlite in the unit tests, PostgreSQL in
 * the integration tests). Tests share one store per backend and keep to their own plugin, stream and key
 * names, so they never see each other's rows.
 */
import { CalendarDate, Money, type Organisation, Period } from "@hub/domain"
import { EffectTest, SqlTrace } from "@hub/testing"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { SqlError } from "effect/sql/SqlError"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ApiKeyRepo from "../ApiKeyRepo.ts"
import * as AuditLog from "../AuditLog.ts"
import * as BudgetRepo from "../BudgetRepo.ts"
import * as BulkUpsert from "../BulkUpsert.ts"
import * as DelegationRepo from "../DelegationRepo.ts"
import * as IngestRepo from "../IngestRepo.ts"
import * as Migrations from "../Migrations.ts"
import * as Migrator from "../Migrator.ts"
import * as OutboxRepo from "../OutboxRepo.ts"
import type * as RecordKinds from "../RecordKinds.ts"
import * as RecordRepo from "../RecordRepo.ts"
import * as ReferenceDataRepo from "../ReferenceDataRepo.ts"
import type { Backend } from "./Backends.ts"

const date = CalendarDate.unsafeMake

/** A council spend line with the given source/transaction and amount (other fields fixed). */
export const spendLine = (source: string, n: number, amount: number): RecordKinds.CouncilSpendLine => ({
  council: "E08000003",
  source,
  line: n + 2,
  transactionNumber: `T${n}`,
  paymentDate: date("2019-01-02"),
  amount: Money.pence(amount),
  supplier: `Supplier ${n}`,
  service: "Manchester Leisure",
  markers: n % 2 === 0 ? [] : ["redacted"]
})

const rejection = (line: number, raw: string): IngestRepo.Rejection => ({
  line,
  raw,
  problems: [{ field: "Net Amount", reason: "not an amount in pounds" }, { field: "Payment Date", reason: "not a date" }]
})

const isUniqueViolation = (e: unknown): boolean => e instanceof SqlError && e.reason._tag === "UniqueViolation"


export const storeSuite = (backend: Backend): void => {
  describe(`store on ${backend.name}`, () => {
    const store = EffectTest.layer(backend.layer())

    store.effect("migrations are idempotent: running them again applies nothing and keeps one row per version", () =>
      Effect.gen(function*() {
        const report = yield* Migrator.migrate()
        expect(report.applied).toEqual([])
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly version: number }>`SELECT version FROM store_migrations ORDER BY version`
        expect(rows.map((r) => r.version)).toEqual(Migrations.all.map((m) => m.version))
      }))

    store.effect("an applied migration that was edited afterwards is refused", () =>
      Effect.gen(function*() {
        const edited = Migrations.all.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m))
        const exit = yield* Effect.exit(Migrator.migrate({ migrations: edited }))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(exit)).toMatch(/changed after it was applied/u)
      }))

    store.effect("committing the same page twice stores nothing twice", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const page: IngestRepo.PageCommit<"council-spend-line"> = {
          plugin: "replay-test",
          stream: "spend",
          kind: "council-spend-line",
          records: [spendLine("replay.csv", 1, 703353), spendLine("replay.csv", 2, -1250)],
          rejections: [rejection(5, "Manchester City Council,,,,,abc,")],
          nextCursor: "page-2"
        }
        const first = yield* ingest.commitPage(page)
        const second = yield* ingest.commitPage(page)
        expect(first).toEqual({ stored: 2, quarantined: 1, written: 2 })
        expect(second).toEqual({ stored: 2, quarantined: 1, written: 0 })
        expect(yield* records.count("council-spend-line", { plugin: "replay-test" })).toBe(2)
        expect(yield* ingest.quarantined({ plugin: "replay-test" })).toHaveLength(1)
        expect(yield* ingest.cursor({ plugin: "replay-test", stream: "spend" })).toBe("page-2")
        expect((yield* ingest.cursors("replay-test")).map((c) => [c.stream, c.cursor])).toEqual([["spend", "page-2"]])
      }))

    it("for any page, committing it again changes nothing and every row is either stored or quarantined", async () => {
      let run = 0
      const page = fc.record({
        lines: fc.array(fc.record({ n: fc.integer({ min: 0, max: 30 }), amount: fc.maxSafeInteger() }), { maxLength: 40 }),
        rejected: fc.array(fc.record({ line: fc.integer({ min: 1, max: 20 }), raw: fc.string({ maxLength: 30 }) }), { maxLength: 10 })
      })
      await fc.assert(
        fc.asyncProperty(page, ({ lines, rejected }) => {
          const plugin = `property-${run++}`
          const commit: IngestRepo.PageCommit<"council-spend-line"> = {
            plugin,
            stream: "spend",
            kind: "council-spend-line",
            records: lines.map((l) => spendLine("p.csv", l.n, l.amount)),
            rejections: rejected.map((r) => rejection(r.line, r.raw)),
            nextCursor: "next"
          }
          return store.run(Effect.gen(function*() {
            const ingest = yield* IngestRepo.IngestRepo
            const records = yield* RecordRepo.RecordRepo
            const first = yield* ingest.commitPage(commit)
            const second = yield* ingest.commitPage(commit)
            const distinctLines = new Set(lines.map((l) => l.n)).size
            const distinctRejections = new Set(rejected.map((r) => `${r.line}\u0000${r.raw}`)).size
            expect(first).toMatchObject({ stored: distinctLines, quarantined: distinctRejections })
            expect(second).toEqual({ ...first, written: 0 })
            expect(yield* records.count("council-spend-line", { plugin })).toBe(distinctLines)
            expect(yield* ingest.quarantined({ plugin })).toHaveLength(distinctRejections)
            const stored = yield* records.list("council-spend-line", { plugin })
            const lastAmount = new Map(lines.map((l) => [l.n + 2, l.amount]))
            expect(new Map(stored.map((r) => [r.line, r.amount as number]))).toEqual(lastAmount)
          }))
        }),
        { numRuns: 15 }
      )
    })

    store.effect("a changed record replaces the stored one with the same natural key", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const base = { plugin: "update-test", stream: "spend", kind: "council-spend-line" as const, rejections: [] }
        yield* ingest.commitPage({ ...base, records: [spendLine("update.csv", 1, 100)], nextCursor: "1" })
        const result = yield* ingest.commitPage({ ...base, records: [spendLine("update.csv", 1, 250)], nextCursor: "2" })
        expect(result.written).toBe(1)
        const stored = yield* records.list("council-spend-line", { plugin: "update-test" })
        expect(stored.map((r) => r.amount)).toEqual([250])
      }))

    store.effect("a page whose transaction fails midway leaves no rows and the cursor where it was", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const base = { plugin: "atomic-test", stream: "spend", kind: "council-spend-line" as const }
        yield* ingest.commitPage({ ...base, records: [spendLine("a.csv", 0, 1)], rejections: [], nextCursor: "after-0" })
        // More rows than one statement holds, the last one unstorable: the first chunks are written, then undone.
        const size = BulkUpsert.rowsPerChunk(16)
        const good = Array.from({ length: size + 10 }, (_, i) => spendLine("b.csv", i + 1, i * 100))
        const bad = { ...spendLine("b.csv", size + 20, 1), paymentDate: "2019-02-30" as CalendarDate.CalendarDate }
        const exit = yield* Effect.exit(ingest.commitPage({
          ...base,
          records: [...good, bad],
          rejections: [rejection(7, "bad,row")],
          nextCursor: "after-1"
        }))
        // It failed on the bad date in the last chunk, so the chunks before it had been written.
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(exit)).toMatch(/date\/time field value out of range/u)
        expect(yield* records.count("council-spend-line", { plugin: "atomic-test" })).toBe(1)
        expect(yield* ingest.quarantined({ plugin: "atomic-test" })).toEqual([])
        expect(yield* ingest.cursor({ plugin: "atomic-test", stream: "spend" })).toBe("after-0")
      }))

    store.effect("a page read from a cursor another worker has moved on is refused", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const base = { plugin: "cursor-test", stream: "spend", kind: "council-spend-line" as const, rejections: [] }
        yield* ingest.commitPage({ ...base, records: [], nextCursor: "c1", expectedCursor: null })
        const stale = yield* Effect.flip(ingest.commitPage({
          ...base,
          records: [spendLine("c.csv", 1, 5)],
          nextCursor: "c2",
          expectedCursor: null
        }))
        expect(stale._tag).toBe("CursorMoved")
        expect(yield* ingest.cursor(base)).toBe("c1")
        expect(yield* (yield* RecordRepo.RecordRepo).count("council-spend-line", { plugin: "cursor-test" })).toBe(0)
      }))

    store.effect("natural keys are unique in every record table", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const ingest = yield* IngestRepo.IngestRepo
        yield* ingest.commitPage({
          plugin: "unique-test",
          stream: "allocations",
          kind: "allocation-line",
          records: [{ organisationCode: "QWE", financialYear: "2022/23", allocationType: "core", amount: Money.pence(1), publishedOn: date("2022-03-01") }],
          rejections: [],
          nextCursor: "x"
        })
        const duplicate = yield* Effect.flip(sql`INSERT INTO allocations
          (organisation_code, financial_year, allocation_type, amount_pence, published_on, plugin, stream)
          VALUES ('QWE', '2022/23', 'core', 2, '2022-03-01', 'unique-test', 'allocations')`)
        expect(isUniqueViolation(duplicate)).toBe(true)
      }))

    store.effect("duplicates inside one page are stored once (the last one wins)", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const result = yield* ingest.commitPage({
          plugin: "dup-test",
          stream: "spend",
          kind: "council-spend-line",
          records: [spendLine("d.csv", 1, 10), spendLine("d.csv", 1, 20)],
          rejections: [],
          nextCursor: "d"
        })
        expect(result.stored).toBe(1)
        expect((yield* records.list("council-spend-line", { plugin: "dup-test" })).map((r) => r.amount)).toEqual([20])
      }))

    store.effect("any text round-trips through the bulk write: quotes, backslashes, commas, braces, NULL, blanks, unicode", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const awkward = ["NULL", "null", "", " ", "a,b", "{x}", "\"quoted\"", "back\\slash\\", "\\\"", "tab\tnew\nline", "£ é 漢字 🙂", "'single'"]
        const sampled = fc.sample(fc.string({ unit: "binary", maxLength: 12 }), { numRuns: 100, seed: 20261123 })
          .map((t) => t.replaceAll("\u0000", ""))
        const texts = [...awkward, ...sampled]
        const lines = texts.map((text, i) => ({ ...spendLine("text.csv", i, i), supplier: text, description: text, markers: [text, "m"] }))
        yield* ingest.commitPage({ plugin: "text-test", stream: "spend", kind: "council-spend-line", records: lines, rejections: [], nextCursor: "t" })
        const stored = yield* records.list("council-spend-line", { plugin: "text-test" })
        const byLine = new Map(stored.map((r) => [r.line, r]))
        expect(texts.map((_, i) => byLine.get(i + 2))).toEqual(lines)
      }))

    store.effect("money round-trips exactly, up to the largest safe integer of pence", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const extremes = [2 ** 31, 2 ** 31 + 1, -(2 ** 40) - 7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0, -1]
        const sampled = fc.sample(fc.maxSafeInteger(), { numRuns: 200, seed: 20260401 })
        const amounts = [...extremes, ...sampled]
        yield* ingest.commitPage({
          plugin: "money-test",
          stream: "spend",
          kind: "council-spend-line",
          records: amounts.map((a, i) => spendLine("money.csv", i, a)),
          rejections: [],
          nextCursor: "m"
        })
        const stored = yield* records.list("council-spend-line", { plugin: "money-test" })
        const byLine = new Map(stored.map((r) => [r.line, r.amount]))
        expect(amounts.map((_, i) => byLine.get(i + 2))).toEqual(amounts)
      }))

    store.effect("a stored amount beyond a safe integer is reported, naming table and column, not rounded", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const ingest = yield* IngestRepo.IngestRepo
        yield* ingest.commitPage({
          plugin: "overflow-test",
          stream: "spend",
          kind: "council-spend-line",
          records: [spendLine("o.csv", 1, 1)],
          rejections: [],
          nextCursor: "o"
        })
        yield* sql`UPDATE council_spend_lines SET amount_pence = 9007199254740993 WHERE plugin = 'overflow-test'`
        const error = yield* Effect.flip((yield* RecordRepo.RecordRepo).list("council-spend-line", { plugin: "overflow-test" }))
        expect(error._tag).toBe("StoredValueError")
        expect(error.message).toMatch(/council_spend_lines\.amount_pence: 9007199254740993/u)
        const eachError = yield* Effect.flip((yield* RecordRepo.RecordRepo).listEach({ spend: { kind: "council-spend-line", filter: { plugin: "overflow-test" } } }))
        expect(eachError._tag).toBe("StoredValueError")
        expect(eachError.message).toMatch(/council_spend_lines\.amount_pence: 900719925474099\d is not a whole number/u)
      }))

    store.effect("every record kind round-trips through its typed table", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const commit = <K extends RecordKinds.RecordKind>(kind: K, rows: ReadonlyArray<RecordKinds.Rows[K]>) =>
          ingest.commitPage({ plugin: "kinds-test", stream: kind, kind, records: rows, rejections: [], nextCursor: "k" })
        const activity: RecordKinds.ContractActivityLine = {
          contractId: "C-1", providerCode: "RJ1", commissionerCode: "08Q", financialYear: "2015/16", month: 3,
          pointOfDelivery: "EL", specialty: "100", plannedActivity: 40, actualActivity: 43,
          plannedCost: Money.pence(4_000_000_00), actualCost: Money.pence(4_321_987_65)
        }
        const withHrg = { ...activity, hrg: "FZ12A" }
        const budget: RecordKinds.BudgetLine = {
          organisation: "Harrogate", financialYear: "2019/20", serviceCode: "S1", service: "Bereavement",
          expenseCode: "E1", expenseType: "Plaques", capitalOrRevenue: "revenue", budget: Money.pence(123456)
        }
        const revised = { ...budget, expenseCode: "E2", revisedBudget: Money.pence(-5) }
        const statement: RecordKinds.PooledFundStatementLine = {
          fundId: "BCF-SWK", fundName: "Better Care Fund", host: "E09000028", financialYear: "2015/16", month: 12,
          partner: "08Q", partnerKind: "nhs", planned: Money.pence(100), contributed: Money.pence(90), spent: Money.pence(80)
        }
        const contribution: RecordKinds.PooledContribution = {
          fundId: "BCF-SWK", financialYear: "2015/16", month: 12, partnerCode: "08Q", amount: Money.pence(2 ** 33), version: 2, reference: "R-1"
        }
        const ack: RecordKinds.SubmissionAcknowledgement = {
          kind: "financial-return", submissionId: "S-9", idempotencyKey: "k-9", status: "rejected",
          receivedAt: "2026-04-01T10:00:00Z", duplicate: false, reasons: ["line 3: plan missing"]
        }
        const contract: RecordKinds.Contract = {
          contractId: "LCBS-C-2013-08Q-RJ1", commissionerCode: "08Q", providerCode: "RJ1",
          providerName: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", financialYear: "2013/14", contractType: "acute",
          startDate: date("2013-04-01"), endDate: date("2014-03-31"), annualValue: Money.pence(2 ** 40 + 1), status: "active"
        }
        const openEnded: RecordKinds.Contract = {
          contractId: "LCBS-C-2013-08Q-RRU", commissionerCode: "08Q", providerCode: "RRU", financialYear: "2013/14",
          contractType: "ambulance", startDate: date("2013-04-01"), annualValue: Money.pence(-1), status: "expired"
        }
        yield* commit("contract-activity-line", [activity, withHrg])
        yield* commit("contract", [openEnded, contract])
        yield* commit("budget-line", [budget, revised])
        yield* commit("pooled-fund-statement-line", [statement])
        yield* commit("pooled-contribution", [contribution])
        yield* commit("submission-acknowledgement", [ack])
        const filter = { plugin: "kinds-test" }
        expect(yield* records.list("contract-activity-line", filter)).toEqual([activity, withHrg])
        expect(yield* records.list("budget-line", filter)).toEqual([budget, revised])
        expect(yield* records.list("pooled-fund-statement-line", filter)).toEqual([statement])
        expect(yield* records.list("pooled-contribution", filter)).toEqual([contribution])
        expect(yield* records.list("submission-acknowledgement", filter)).toEqual([ack])
        expect(yield* records.list("contract", filter)).toEqual([contract, openEnded])
        // listEach: the same answers (dates, int8 pence, optional fields, jsonb, limit and offset) from one statement.
        const each = yield* SqlTrace.counted(records.listEach({
          activity: { kind: "contract-activity-line", filter },
          first: { kind: "contract", filter: { ...filter, limit: 1 } },
          rest: { kind: "contract", filter: { ...filter, offset: 1 } },
          acks: { kind: "submission-acknowledgement", filter },
          none: { kind: "allocation-line", filter }
        }))
        expect(each.result).toEqual({ activity: [activity, withHrg], first: [contract], rest: [openEnded], acks: [ack], none: [] })
        expect(each.statements).toHaveLength(1)
      }))

    store.effect("a revised contract replaces the stored one by contract id, and a replay writes nothing", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const contract: RecordKinds.Contract = {
          contractId: "LCBS-C-2012-5LE-RJ1", commissionerCode: "5LE", providerCode: "RJ1", financialYear: "2012/13",
          contractType: "acute", startDate: date("2012-04-01"), endDate: date("2013-03-31"),
          annualValue: Money.pence(48_211_350_00), status: "active"
        }
        const revised = { ...contract, annualValue: Money.pence(49_000_000_00), status: "expired" as const }
        const base = { plugin: "contract-test", stream: "contracts", kind: "contract" as const, rejections: [] }
        expect(yield* ingest.commitPage({ ...base, records: [contract], nextCursor: "c1" })).toMatchObject({ stored: 1, written: 1 })
        expect(yield* ingest.commitPage({ ...base, records: [revised], nextCursor: "c2" })).toMatchObject({ stored: 1, written: 1 })
        expect(yield* ingest.commitPage({ ...base, records: [revised], nextCursor: "c2" })).toMatchObject({ stored: 1, written: 0 })
        expect(yield* records.list("contract", { plugin: "contract-test" })).toEqual([revised])
      }))

    store.effect("the contracts table refuses a term that ends before it starts, and the page leaves nothing behind", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const records = yield* RecordRepo.RecordRepo
        const good: RecordKinds.Contract = {
          contractId: "C-GOOD", commissionerCode: "08Q", providerCode: "RJ1", financialYear: "2013/14",
          contractType: "community", startDate: date("2013-04-01"), annualValue: Money.pence(1), status: "active"
        }
        const backwards = { ...good, contractId: "C-BACKWARDS", endDate: date("2013-03-31") }
        const exit = yield* Effect.exit(ingest.commitPage({
          plugin: "contract-check-test", stream: "contracts", kind: "contract", records: [good, backwards], rejections: [], nextCursor: "x"
        }))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(exit)).toMatch(/check constraint/iu)
        expect(yield* records.count("contract", { plugin: "contract-check-test" })).toBe(0)
        expect(yield* ingest.cursor({ plugin: "contract-check-test", stream: "contracts" })).toBeNull()
      }))

    store.effect("quarantine keeps the raw row, its line and every reason, even for a row with a NUL byte", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const raw = "Harrogate Borough Council,Supplies,R,Community,,Plaques,2019-13-45,ACME,3575510,12.3.4,"
        const result = yield* ingest.commitPage({
          plugin: "quarantine-test",
          stream: "spend",
          kind: "council-spend-line",
          records: [spendLine("q.csv", 1, 5)],
          rejections: [rejection(41, raw), rejection(42, ""), rejection(43, "binary\u0000junk")],
          nextCursor: "q"
        })
        expect(result).toMatchObject({ stored: 1, quarantined: 3 })
        const rows = yield* ingest.quarantined({ plugin: "quarantine-test", stream: "spend" })
        expect(rows.map((r) => ({ line: r.line, raw: r.raw, reasons: r.reasons }))).toEqual([
          { line: 41, raw, reasons: rejection(41, raw).problems },
          { line: 42, raw: "", reasons: rejection(42, "").problems },
          // PostgreSQL text cannot hold NUL: it is kept as U+FFFD rather than failing the page.
          { line: 43, raw: "binary\uFFFDjunk", reasons: rejection(43, "").problems }
        ])
      }))

    store.effect("the outbox refuses a second submission under the same key and keeps one row for a replay", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const series = { plugin: "nhse", kind: "financial-return", body: "08Q", period: "2015/16-M03" }
        const key = OutboxRepo.idempotencyKey(series, 1)
        const submission = { ...series, idempotencyKey: key, version: 1, payload: { lines: [{ code: "A", plan: "10.00" }] } }
        const first = yield* outbox.prepare(submission)
        const again = yield* outbox.prepare(submission)
        expect(first.created).toBe(true)
        expect(again.created).toBe(false)
        expect(again.entry.id).toBe(first.entry.id)
        const conflict = yield* Effect.flip(outbox.prepare({ ...submission, payload: { lines: [] } }))
        expect(conflict._tag).toBe("OutboxConflict")
        const otherKey = yield* Effect.flip(outbox.prepare({ ...submission, idempotencyKey: "another-key" }))
        expect(otherKey._tag).toBe("OutboxConflict")
        expect(yield* outbox.list({ plugin: "nhse" })).toHaveLength(1)
      }))

    store.effect("a corrected return is a new version superseding the previous one, which stays as sent", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const series = { plugin: "nhse-v", kind: "financial-return", body: "5LE", period: "2015/16-M06" }
        const v1 = yield* outbox.prepare({ ...series, idempotencyKey: OutboxRepo.idempotencyKey(series, 1), version: 1, payload: { plan: 1 } })
        yield* outbox.markSent(v1.entry.idempotencyKey, { receipt: { submissionId: "S-1" } })
        const next = yield* outbox.nextVersion(series)
        expect(next).toEqual({ version: 2, idempotencyKey: OutboxRepo.idempotencyKey(series, 2), supersedes: v1.entry.idempotencyKey })
        const gap = yield* Effect.flip(outbox.prepare({ ...series, idempotencyKey: "gap", version: 3, payload: { plan: 3 } }))
        expect(gap._tag).toBe("OutboxConflict")
        const v2 = yield* outbox.prepare({ ...series, idempotencyKey: next.idempotencyKey, version: next.version, payload: { plan: 2 } })
        expect(v2.entry.supersedes).toBe(v1.entry.idempotencyKey)
        expect((yield* outbox.find(v1.entry.idempotencyKey))?.status).toBe("sent")
        expect((yield* outbox.latest(series))?.version).toBe(2)
      }))

    store.effect("outbox status moves prepared → sent → acknowledged, and not backwards", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const series = { plugin: "nhse-s", kind: "co-commissioning", body: "08Q", period: "2015/16" }
        const key = OutboxRepo.idempotencyKey(series, 1)
        yield* outbox.prepare({ ...series, idempotencyKey: key, version: 1, payload: { level: "joint" } })
        const early = yield* Effect.flip(outbox.markAcknowledged(key, { acknowledgement: { status: "accepted" } }))
        expect(early._tag).toBe("OutboxConflict")
        yield* outbox.markSent(key, { receipt: { submissionId: "S-2" } })
        const done = yield* outbox.markAcknowledged(key, { acknowledgement: { status: "accepted" } })
        expect(done).toMatchObject({ status: "acknowledged", receipt: { submissionId: "S-2" }, acknowledgement: { status: "accepted" } })
        const back = yield* Effect.flip(outbox.markSent(key, {}))
        expect(back._tag).toBe("OutboxConflict")
        const missing = yield* Effect.flip(outbox.markSent("no-such-key", {}))
        expect(missing._tag).toBe("NotFound")
      }))

    store.effect("preparing, replaying and moving a submission are one statement each, the audit entry included", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const audit = yield* AuditLog.AuditLog
        const series = { plugin: "nhse-one", kind: "financial-return", body: "08Q", period: "2015/16 M4" }
        const key = OutboxRepo.idempotencyKey(series, 1)
        const submission = { ...series, idempotencyKey: key, version: 1, payload: { plan: 4 } }
        const prepared = yield* SqlTrace.counted(outbox.prepare(submission))
        expect(prepared.result.created).toBe(true)
        expect(prepared.statements).toHaveLength(1)
        expect(prepared.transactions).toBe(0)
        const replay = yield* SqlTrace.counted(outbox.prepare(submission))
        expect(replay.result).toMatchObject({ created: false, entry: { id: prepared.result.entry.id } })
        expect(replay.statements).toHaveLength(1)
        const sent = yield* SqlTrace.counted(outbox.markSent(key, { receipt: { submissionId: "S-4" } }))
        expect(sent.result).toMatchObject({ status: "sent", receipt: { submissionId: "S-4" }, payload: { plan: 4 } })
        expect(sent.statements).toHaveLength(1)
        expect(sent.transactions).toBe(0)
        const entries = yield* audit.list({ entityType: "submission", entityKey: key })
        expect(entries.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
          ["outbox.prepare", "worker:push", undefined, { status: "prepared", version: 1, supersedes: null }],
          ["outbox.markSent", "worker:push", { status: "prepared" }, { status: "sent" }]
        ])
      }).pipe(Effect.provideService(AuditLog.Actor, "worker:push")))

    store.effect("prepareNext writes the next version in one statement unless the latest has the same payload", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const audit = yield* AuditLog.AuditLog
        const series = { plugin: "nhse-next", kind: "financial-return", body: "08Q", period: "2015/16 M7" }
        const next = (plan: number) => ({ ...series, payload: { version: 0, lines: [{ code: "acute", plan }] }, versionField: "version" })
        const v1 = yield* SqlTrace.counted(outbox.prepareNext(next(1)))
        expect(v1.statements).toHaveLength(1)
        expect(v1.result).toMatchObject({
          created: true,
          entry: { version: 1, idempotencyKey: OutboxRepo.idempotencyKey(series, 1), status: "prepared", payload: { version: 1, lines: [{ code: "acute", plan: 1 }] } }
        })
        expect(v1.result.entry.supersedes).toBeUndefined()
        // The same figures (keys in another order, another version number): the stored version, nothing written.
        const again = yield* SqlTrace.counted(outbox.prepareNext({ ...next(1), payload: { lines: [{ plan: 1, code: "acute" }], version: 9 } }))
        expect(again.statements).toHaveLength(1)
        expect(again.result).toMatchObject({ created: false, entry: { id: v1.result.entry.id, version: 1 } })
        yield* outbox.markSent(v1.result.entry.idempotencyKey, { receipt: { submissionId: "S-7" } })
        const v2 = yield* outbox.prepareNext(next(2))
        expect(v2).toMatchObject({
          created: true,
          entry: { version: 2, idempotencyKey: OutboxRepo.idempotencyKey(series, 2), supersedes: v1.result.entry.idempotencyKey, payload: { version: 2 } }
        })
        // Back to version 1's figures: only the latest version counts, so this is version 3.
        expect(yield* outbox.prepareNext(next(1))).toMatchObject({ created: true, entry: { version: 3, supersedes: v2.entry.idempotencyKey } })
        expect((yield* outbox.find(v1.result.entry.idempotencyKey))?.status).toBe("sent")
        const entries = yield* audit.list({ entityType: "submission", entityKey: v2.entry.idempotencyKey })
        expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
          ["outbox.prepare", undefined, { status: "prepared", version: 2, supersedes: v1.result.entry.idempotencyKey }]
        ])
        // Concurrent preparers of the same figures: one version is written and every preparer gets it.
        const race = { ...series, period: "2015/16 M8", payload: { version: 0, plan: 8 }, versionField: "version" }
        const outcomes = yield* Effect.all(Array.from({ length: 6 }, () => outbox.prepareNext(race)), { concurrency: "unbounded" })
        expect(outcomes.filter((o) => o.created)).toHaveLength(1)
        expect(new Set(outcomes.map((o) => o.entry.id)).size).toBe(1)
      }))

    store.effect("of many concurrent preparers of one submission one creates it and the others get the stored row", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const audit = yield* AuditLog.AuditLog
        const series = { plugin: "nhse-race", kind: "financial-return", body: "5LE", period: "2015/16 M5" }
        const key = OutboxRepo.idempotencyKey(series, 1)
        const submission = { ...series, idempotencyKey: key, version: 1, payload: { plan: 5 } }
        const outcomes = yield* Effect.all(Array.from({ length: 8 }, () => outbox.prepare(submission)), { concurrency: "unbounded" })
        expect(outcomes.filter((o) => o.created)).toHaveLength(1)
        expect(new Set(outcomes.map((o) => o.entry.id)).size).toBe(1)
        expect(yield* audit.list({ entityType: "submission", entityKey: key })).toHaveLength(1)
        // Different figures for the next version, concurrently: one becomes version 2, the others are conflicts.
        const next = Array.from({ length: 6 }, (_, n) => ({ ...series, idempotencyKey: `${key}-next-${n}`, version: 2, payload: { plan: 50 + n } }))
        const exits = yield* Effect.all(next.map((s) => Effect.exit(outbox.prepare(s))), { concurrency: "unbounded" })
        const won = exits.filter(Exit.isSuccess)
        expect(won).toHaveLength(1)
        expect(won[0]?.value.entry).toMatchObject({ version: 2, supersedes: key })
        for (const exit of exits.filter(Exit.isFailure)) expect(String(exit.cause)).toMatch(/OutboxConflict/u)
        expect((yield* outbox.latest(series))?.idempotencyKey).toBe(won[0]?.value.entry.idempotencyKey)
      }))

    store.effect("concurrent status moves of one submission each start from the status the previous one left", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxRepo.OutboxRepo
        const audit = yield* AuditLog.AuditLog
        const series = { plugin: "nhse-moves", kind: "financial-return", body: "5LE", period: "2015/16 M6" }
        const key = OutboxRepo.idempotencyKey(series, 1)
        yield* outbox.prepare({ ...series, idempotencyKey: key, version: 1, payload: { plan: 6 } })
        const sent = yield* Effect.all(
          Array.from({ length: 8 }, (_, n) => outbox.markSent(key, { receipt: { submissionId: `S-${n}` } })),
          { concurrency: "unbounded" }
        )
        expect(sent.every((e) => e.status === "sent")).toBe(true)
        const moves = (yield* audit.list({ entityType: "submission", entityKey: key })).filter((e) => e.action === "outbox.markSent")
        expect(moves.map((e) => e.before)).toEqual([{ status: "prepared" }, ...Array.from({ length: 7 }, () => ({ status: "sent" }))])
        const closed = yield* Effect.all([
          Effect.exit(outbox.markAcknowledged(key, { acknowledgement: { status: "accepted" } })),
          Effect.exit(outbox.markRejected(key, { acknowledgement: { status: "rejected" }, reasons: ["late"] }))
        ], { concurrency: "unbounded" })
        // sent → acknowledged and sent → rejected: whichever runs second finds the other's status and is refused.
        expect(closed.filter(Exit.isSuccess)).toHaveLength(1)
        expect(String(closed.find(Exit.isFailure)?.cause)).toMatch(/cannot go from (acknowledged|rejected) to (acknowledged|rejected)/u)
      }))

    store.effect("an API key is found by its hash only while it is not revoked, and a hash is unique", () =>
      Effect.gen(function*() {
        const keys = yield* ApiKeyRepo.ApiKeyRepo
        const hash = "sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"
        yield* keys.create({ id: "key-ops", name: "ops team", hash, scopes: ["read", "ops"] })
        expect(yield* keys.findByHash(hash)).toMatchObject({ id: "key-ops", name: "ops team", scopes: ["read", "ops"] })
        expect(yield* keys.findByHash("sha256:other")).toBeUndefined()
        const duplicate = yield* Effect.flip(keys.create({ id: "key-ops-2", name: "copy", hash, scopes: [] }))
        expect(duplicate._tag).toBe("AlreadyExists")
        yield* keys.revoke("key-ops")
        expect(yield* keys.findByHash(hash)).toBeUndefined()
      }))

    store.effect("every write is audited with its actor, entity and before/after summary", () =>
      Effect.gen(function*() {
        const ingest = yield* IngestRepo.IngestRepo
        const audit = yield* AuditLog.AuditLog
        yield* ingest.commitPage({
          plugin: "audit-test",
          stream: "spend",
          kind: "council-spend-line",
          records: [spendLine("au.csv", 1, 5)],
          rejections: [],
          nextCursor: "au-1"
        }).pipe(Effect.provideService(AuditLog.Actor, "worker:ingest"))
        const entries = yield* audit.list({ entityType: "stream", entityKey: "audit-test/spend" })
        expect(entries).toHaveLength(1)
        expect(entries[0]).toMatchObject({
          actor: "worker:ingest",
          action: "ingest.commit-page",
          before: { cursor: null },
          after: { cursor: "au-1", stored: 1, quarantined: 0, written: 1 }
        })
        expect(entries[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/u)
      }))

    store.effect("reference data, delegations and budgets round-trip", () =>
      Effect.gen(function*() {
        const reference = yield* ReferenceDataRepo.ReferenceDataRepo
        const data = {
          bodies: [
            { code: "08Q", odsCode: "08Q", gssCode: "E38000171", name: "NHS Southwark CCG", kind: "clinical-commissioning-group", statutory: true, period: Period.unsafeMake("2013-04-01", "2022-07-01"), source: "ODS eccg" },
            { code: "5LE", odsCode: "5LE", name: "NHS Southwark", kind: "primary-care-trust", statutory: true, period: Period.unsafeMake("2002-04-01", "2013-04-01") }
          ],
          relationships: [{ type: "member-of", from: "08Q", to: "QKK", period: Period.unsafeMake("2020-04-01") }],
          successions: [{ predecessor: "5LE", successor: "08Q", date: date("2013-04-01"), type: "transfer" }]
        } as unknown as Organisation.OrganisationData
        yield* reference.upsertOrganisations(data)
        expect(yield* reference.organisations()).toEqual(data)
        yield* reference.upsertAreas([{ code: "E01000001", name: "City of London 001A", population: 1500 }, { code: "E01000002" }])
        expect(yield* reference.areas()).toEqual([{ code: "E01000001", name: "City of London 001A", population: 1500 }, { code: "E01000002" }])
        yield* reference.replaceCoverage("lsoa11-ccg20", [{ areaCode: "E01000001", bodyCode: "09A" }, { areaCode: "E01000002", bodyCode: "09A" }])
        yield* reference.replaceCoverage("lsoa11-ccg20", [{ areaCode: "E01000001", bodyCode: "09A" }])
        expect(yield* reference.coverage("lsoa11-ccg20")).toEqual([{ lookup: "lsoa11-ccg20", areaCode: "E01000001", bodyCode: "09A" }])

        const delegations = yield* DelegationRepo.DelegationRepo
        const delegation: DelegationRepo.Delegation = {
          function: "contract-management", delegator: "5LE", delegate: "SEL-JC", population: "5LE",
          period: Period.unsafeMake("2010-07-01"), source: "southwark-2010 §2"
        }
        yield* delegations.upsert([delegation])
        expect(yield* delegations.list({ body: "SEL-JC" })).toEqual([delegation])

        const budgets = yield* BudgetRepo.BudgetRepo
        const budget: BudgetRepo.Budget = { bodyCode: "GPC-SOTON", financialYear: "2011/12", scope: "admin", amount: Money.pence(3_500_000_00), adminCap: Money.pence(2 ** 35) }
        yield* budgets.upsert([budget])
        expect(yield* budgets.list({ bodyCode: "GPC-SOTON" })).toEqual([budget])
      }))
  })
}
