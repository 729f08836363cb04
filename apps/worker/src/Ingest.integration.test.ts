import { Money } from "@hub/domain"
import { Ingest } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { IngestRepo, RecordRepo } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { parse } from "csv-parse/sync"
import { Context, Effect, Layer, Option, Schedule } from "effect"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect } from "vitest"
import * as Simulators from "./Simulators.ts"
import * as TestHub from "./test-support/TestHub.ts"
import * as Workers from "./Workers.ts"

const manchesterFile = fileURLToPath(
  new URL("../../../tools/simulators/council-finance/data/spend/manchester-2019-01.csv", import.meta.url)
)

/** The file's data rows and their amounts, read here with csv-parse, independently of the plugin. */
const sourceRows = (text: string): ReadonlyArray<{ readonly line: number; readonly pence: number | undefined }> => {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, info: true }) as Array<{
    readonly record: Record<string, string>
    readonly info: { readonly lines: number }
  }>
  return rows.map((r) => ({ line: r.info.lines, pence: Money.parsePounds(r.record["Net Amount"] ?? "") }))
}

/** Every row of a JSON stream of a simulator, paged with plain fetch (independently of the plugin). */
const countJsonStream = (url: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    let cursor: string | undefined
    let count = 0
    for (;;) {
      const response = await fetch(`${url}&limit=1000${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`, { headers })
      const body = (await response.json()) as { readonly data: ReadonlyArray<unknown>; readonly nextCursor: string; readonly hasMore: boolean }
      count += body.data.length
      if (!body.hasMore) return count
      cursor = body.nextCursor
    }
  })

const resetCursor = (plugin: string, stream: string) =>
  IngestRepo.IngestRepo.use((repo) =>
    repo.commitPage({ plugin, stream, kind: "council-spend-line", records: [], rejections: [], nextCursor: null })
  )

class SimulatorUrls extends Context.Service<SimulatorUrls, Simulators.Running>()("test/SimulatorUrls") {}

const totals = (rows: ReadonlyArray<{ readonly amount: number }>) => rows.reduce((sum, r) => sum + r.amount, 0)

for (const backend of [TestHub.postgres, TestHub.pglite]) {
  describe(`ingest from the real simulators over HTTP, ${backend.name}`, () => {
    const hub = EffectTest.layer(
      Layer.unwrap(Effect.gen(function*() {
        const simulators = yield* Simulators.start({ financialYear: "2013/14" })
        return Layer.mergeAll(backend.layer(), TestHub.registryLayer(simulators), Layer.succeed(SimulatorUrls, simulators))
      }))
    )

    hub.effect("pulls a real council spend file: every source row stored or quarantined, amounts equal to the file's", () =>
      Effect.gen(function*() {
        const source = sourceRows(readFileSync(manchesterFile, "utf8"))
        const run = yield* Ingest.runToEnd({ plugin: "council-finance", stream: "spend" })
        expect(run.accepted).toBe(source.length)
        expect(run.stored + run.quarantined).toBe(source.length)
        expect(run.done).toBe(true)
        const records = yield* RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "council-finance", limit: 100_000 }))
        expect(records).toHaveLength(run.stored)
        const quarantined = new Set((yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "council-finance", limit: 100_000 }))).map((q) => q.line))
        const expected = source.filter((r) => !quarantined.has(r.line)).reduce((sum, r) => sum + (r.pence ?? 0), 0)
        expect(totals(records)).toBe(expected)
      }))

    hub.effect("replaying the council ingest from the start writes nothing and stores nothing twice", () =>
      Effect.gen(function*() {
        const before = yield* RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "council-finance" }))
        expect(before).toBeGreaterThan(3000)
        yield* resetCursor("council-finance", "spend")
        const replay = yield* Ingest.runToEnd({ plugin: "council-finance", stream: "spend" })
        expect(replay.written).toBe(0)
        expect(yield* RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "council-finance" }))).toBe(before)
      }))

    hub.effect("pulls London CBS contract activity: every line the CBS serves is stored, a second run adds nothing", () =>
      Effect.gen(function*() {
        const urls = yield* SimulatorUrls
        const served = yield* countJsonStream(`${urls.londonCbs}/v1/activity?financialYear=2013%2F14`, { "x-api-key": "cbs-dev-key" })
        const run = yield* Ingest.runToEnd({ plugin: "london-cbs", stream: "activity" })
        expect(run.accepted).toBe(served)
        expect(run.stored + run.quarantined).toBe(served)
        expect(run.quarantined).toBe(0)
        const stored = yield* RecordRepo.RecordRepo.use((r) => r.count("contract-activity-line", { plugin: "london-cbs" }))
        expect(stored).toBe(served)
        const again = yield* Ingest.runToEnd({ plugin: "london-cbs", stream: "activity" })
        expect(again.written).toBe(0)
        expect(yield* RecordRepo.RecordRepo.use((r) => r.count("contract-activity-line", { plugin: "london-cbs" }))).toBe(served)
      }))

    hub.effect("pulls NHS England allocations: every published allocation is stored, with its exact amount", () =>
      Effect.gen(function*() {
        const urls = yield* SimulatorUrls
        const served = yield* countJsonStream(`${urls.nhsEnglandReturns}/v1/allocations?financialYear=2013%2F14`, {
          authorization: "Bearer nhse-dev-token"
        })
        const run = yield* Ingest.runToEnd({ plugin: "nhs-england-returns", stream: "allocations" })
        expect(run.stored).toBe(served)
        expect(run.quarantined).toBe(0)
        const first = (yield* RecordRepo.RecordRepo.use((r) => r.list("allocation-line", { plugin: "nhs-england-returns", limit: 1 })))[0]
        expect(first).toBeDefined()
        const published = yield* Effect.promise(async () => {
          const response = await fetch(
            `${urls.nhsEnglandReturns}/v1/allocations?financialYear=2013%2F14&commissionerCode=${first!.organisationCode}&limit=1000`,
            { headers: { authorization: "Bearer nhse-dev-token" } }
          )
          return ((await response.json()) as { readonly data: ReadonlyArray<Record<string, unknown>> }).data
        })
        const same = published.find((a) => Object.values(a).includes(first!.allocationType))
        expect(same).toBeDefined()
        expect(Object.values(same!).map(String)).toContain(Money.toPoundsString(first!.amount))
      }))
  })
}

describe("a council file with broken rows, through the queue and the worker (PostgreSQL, Redis)", () => {
  const folder = mkdtempSync(join(tmpdir(), "hub-broken-"))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  const lines = readFileSync(manchesterFile, "utf8").split("\n").slice(0, 201)
  const breakField = (line: number, column: number, value: string) => {
    const fields = lines[line - 1]!.split(",")
    fields[column] = value
    lines[line - 1] = fields.join(",")
  }
  // Columns: Body Name,Service Area,Expenses Type,Invoice Payment Date,Transaction Number,Net Amount,Supplier Name
  breakField(5, 3, "2019-02-31")
  breakField(10, 5, "=1+1")
  breakField(20, 5, "twelve pounds")
  breakField(30, 6, "")
  const brokenFile = join(folder, "manchester-broken.csv")
  writeFileSync(brokenFile, `${lines.join("\n")}\n`)
  const source = sourceRows(readFileSync(brokenFile, "utf8"))

  const hub = EffectTest.layer(
    Layer.unwrap(Effect.gen(function*() {
      const simulators = yield* Simulators.start({ councilSpendFile: brokenFile, pageSizes: { councilFinance: 50 } })
      return Layer.mergeAll(TestHub.postgres.layer(), TestHub.registryLayer(simulators), TestHub.queueLayer())
    }))
  )

  hub.effect("stores the good rows, quarantines each bad one with its line and reason, and the job succeeds", () =>
    Effect.gen(function*() {
      yield* Workers.start({ concurrency: 1, closeTimeoutMs: 2000 })
      const producer = yield* Producer.Producer
      const added = yield* producer.add(JobQueue.pull("council-finance"), { plugin: "council-finance", stream: "spend", reason: "request" }, {
        jobId: "broken-file-test"
      })
      const job = yield* producer.getJob(JobQueue.pull("council-finance"), added.id).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("100 millis") }),
        Effect.timeout("60 seconds")
      )
      expect(job?.state).toBe("completed")
      expect(job?.returnValue).toMatchObject({ accepted: 200, stored: 196, quarantined: 4, done: true })
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "council-finance", stream: "spend" }))
      expect(held.map((q) => q.line).sort((a, b) => a - b)).toEqual([5, 10, 20, 30])
      const reasonsByLine = new Map(held.map((q) => [q.line, q.reasons.map((r) => r.field).join(",")]))
      expect(reasonsByLine.get(5)).toContain("paymentDate")
      expect(reasonsByLine.get(10)).toContain("amount")
      expect(reasonsByLine.get(20)).toContain("amount")
      expect(reasonsByLine.get(30)).toContain("supplier")
      for (const q of held) expect(q.reasons.every((r) => r.reason.length > 0)).toBe(true)
      const records = yield* RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "council-finance" }))
      expect(records).toHaveLength(196)
      const good = source.filter((r) => ![5, 10, 20, 30].includes(r.line))
      expect(totals(records)).toBe(good.reduce((sum, r) => sum + (r.pence ?? 0), 0))
    }))
})
