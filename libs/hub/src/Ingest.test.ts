import { CalendarDate, Money } from "@hub/domain"
import { type Page, Plugin, PluginError, RecordType } from "@hub/plugin-sdk"
import { IngestRepo, RecordRepo, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Effect, Exit, Layer, Schema } from "effect"
import { describe, expect } from "vitest"
import * as Ingest from "./Ingest.ts"
import { PluginRegistry, register } from "./PluginRegistry.ts"

/** A source of 10 spend rows, rows 4 and 8 bad (rejected by the plugin), served 3 rows a page by row cursor. */
const sourceRows = Array.from({ length: 10 }, (_, i) => ({ line: i + 2, amountPence: (i + 1) * 1234, bad: i === 3 || i === 7 }))

const spendRecord = (row: { readonly line: number; readonly amountPence: number }) => ({
  council: "testshire",
  source: "spend-2019-01",
  line: row.line,
  transactionNumber: `T${row.line}`,
  paymentDate: CalendarDate.unsafeMake("2019-01-15"),
  amount: Money.pence(row.amountPence),
  supplier: `Supplier ${row.line}`,
  markers: []
})

const pulls: Array<string | null> = []

const fakePlugin = (extra: {
  readonly invalidRecordAt?: number
  readonly failPull?: boolean
  /** From this row on, every remaining row in one page (a system ignoring `limit`). */
  readonly wholeFrom?: number
  /** At this row, the host's HTTP client refuses the answer as over its size cap. */
  readonly tooLargeAt?: number
} = {}) =>
  Plugin.make({
    manifest: {
      id: "fake-council",
      version: "0.1.0",
      displayName: "Fake council",
      externalSystem: "in memory",
      description: "spend rows from memory",
      streams: [
        { name: "spend", recordType: "council-spend-line", cursor: "row", description: "spend" },
        { name: "intentions", recordType: "commissioning-intention", cursor: "row", description: "not stored" }
      ],
      pushes: [],
      configuration: [{ name: "token", description: "secret", secret: true, required: true }],
      hosts: ["*.example.gov.uk"]
    },
    configSchema: Schema.Struct({ token: Schema.RedactedFromValue(Schema.String) }),
    check: () => Effect.void,
    pull: (_config, _stream, cursor) =>
      Effect.gen(function*() {
        pulls.push(cursor)
        if (extra.failPull === true) return yield* new PluginError.ServerError({ url: "mem://", status: 503, reason: "down" })
        const from = Number(cursor ?? "0")
        if (from === extra.tooLargeAt) {
          return yield* new PluginError.ResponseTooLarge({ url: `mem://spend?cursor=${from}`, limitBytes: 4096, seenBytes: 4097 })
        }
        const slice = sourceRows.slice(from, extra.wholeFrom !== undefined && from >= extra.wholeFrom ? sourceRows.length : from + 3)
        const records: Array<unknown> = slice.filter((r) => !r.bad).map((r) =>
          r.line === extra.invalidRecordAt ? { ...spendRecord(r), amount: 12.5 } : spendRecord(r)
        )
        const page: Page.Page = {
          records,
          rejections: slice.filter((r) => r.bad).map((r) => ({
            line: r.line,
            field: "amount",
            reason: "not an amount",
            raw: `T${r.line},2019-01-15,=1+1`,
            problems: [{ field: "amount", reason: "not an amount" }]
          })),
          nextCursor: String(from + slice.length),
          done: from + slice.length >= sourceRows.length
        }
        return page
      }),
    push: () => Effect.die("no pushes")
  })

const layerFor = (plugin: ReturnType<typeof fakePlugin>) =>
  Layer.mergeAll(
    Store.layerPglite(),
    PluginRegistry.layer([register({ plugin, config: { token: "s3cret" } })])
  )

const goodTotal = sourceRows.filter((r) => !r.bad).reduce((sum, r) => sum + r.amountPence, 0)

describe("Ingest", () => {
  EffectTest.effect("runs a stream to its end: good rows stored, bad rows quarantined, accepted = stored + quarantined", () =>
    Effect.gen(function*() {
      const run = yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" })
      expect(run).toMatchObject({ pages: 4, accepted: 10, stored: 8, quarantined: 2, written: 8, cursor: "10", done: true })
      const records = yield* RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "fake-council" }))
      expect(records.map((r) => r.line).sort((a, b) => a - b)).toEqual([2, 3, 4, 6, 7, 8, 10, 11])
      expect(records.reduce((s, r) => s + r.amount, 0)).toBe(goodTotal)
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held.map((q) => [q.line, q.reasons[0]?.field])).toEqual([[5, "amount"], [9, "amount"]])
    }).pipe(Effect.provide(layerFor(fakePlugin()))))

  EffectTest.effect("running the same ingest again stores nothing twice", () =>
    Effect.gen(function*() {
      yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" })
      // Replays every page from the start of the stream, as a crashed worker's retry would.
      yield* IngestRepo.IngestRepo.use((r) =>
        r.commitPage({ plugin: "fake-council", stream: "spend", kind: "council-spend-line", records: [], rejections: [], nextCursor: null })
      )
      const again = yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" })
      expect(again).toMatchObject({ accepted: 10, stored: 8, quarantined: 2, written: 0 })
      const count = yield* RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "fake-council" }))
      expect(count).toBe(8)
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held).toHaveLength(2)
    }).pipe(Effect.provide(layerFor(fakePlugin()))))

  EffectTest.effect("resumes from the committed cursor", () =>
    Effect.gen(function*() {
      pulls.length = 0
      yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" }, { maxPages: 2 })
      yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" })
      expect(pulls).toEqual([null, "3", "6", "9"])
    }).pipe(Effect.provide(layerFor(fakePlugin()))))

  EffectTest.effect("a record that is not a valid canonical record is quarantined with the field, not stored", () =>
    Effect.gen(function*() {
      const run = yield* Ingest.runToEnd({ plugin: "fake-council", stream: "spend" })
      expect(run).toMatchObject({ accepted: 10, stored: 7, quarantined: 3 })
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held.find((q) => q.line === 6)?.reasons[0]?.field).toBe("amount")
    }).pipe(Effect.provide(layerFor(fakePlugin({ invalidRecordAt: 6 })))))

  EffectTest.effect("a plugin failure writes nothing and keeps the cursor, with its retryable flag", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Ingest.runPage({ plugin: "fake-council", stream: "spend" }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(Ingest.runPage({ plugin: "fake-council", stream: "spend" }))
      expect(error).toMatchObject({ _tag: "ServerError", retryable: true })
      expect(yield* IngestRepo.IngestRepo.use((r) => r.cursor({ plugin: "fake-council", stream: "spend" }))).toBeNull()
    }).pipe(Effect.provide(layerFor(fakePlugin({ failPull: true })))))

  EffectTest.effect("unknown plugins, unknown streams and unstored record types fail for good, naming them", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.flip(Ingest.runPage({ plugin: "nope", stream: "spend" }))
      expect(unknown).toMatchObject({ _tag: "UnknownPlugin", retryable: false })
      expect(unknown.message).toContain("fake-council")
      const noStream = yield* Effect.flip(Ingest.runPage({ plugin: "fake-council", stream: "payments" }))
      expect(noStream).toMatchObject({ _tag: "BadConfiguration", retryable: false })
      const unstored = yield* Effect.flip(Ingest.runPage({ plugin: "fake-council", stream: "intentions" }))
      expect(unstored).toMatchObject({ _tag: "UnsupportedStream", retryable: false })
    }).pipe(Effect.provide(layerFor(fakePlugin()))))
})

describe("Ingest page caps", () => {
  const spend = { plugin: "fake-council", stream: "spend" }

  EffectTest.effect("a page over the row cap is refused whole: nothing of it stored, one quarantine row naming the cap, the cursor stays", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Ingest.runPage(spend, { maxPageRows: 2 }))
      expect(error).toMatchObject({ _tag: "PageTooLarge", retryable: false, limitRows: 2, rows: 3, cursor: null })
      expect(yield* RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "fake-council" }))).toBe(0)
      expect(yield* IngestRepo.IngestRepo.use((r) => r.cursor(spend))).toBeNull()
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held).toHaveLength(1)
      expect(held[0]?.line).toBe(2)
      expect(held[0]?.reasons[0]?.reason).toMatch(/row cap.*3 rows, the limit is 2 rows/u)
      expect(held[0]?.raw).toContain("T2")
      expect(held[0]?.raw.length).toBeLessThanOrEqual(1_000)
    }).pipe(Effect.provide(layerFor(fakePlugin()))))

  EffectTest.effect("a later page over the row cap keeps the earlier pages and stops the cursor before it", () =>
    Effect.gen(function*() {
      pulls.length = 0
      const error = yield* Effect.flip(Ingest.runToEnd(spend, { maxPageRows: 3 }))
      expect(error).toMatchObject({ _tag: "PageTooLarge", cursor: "6", rows: 4, limitRows: 3 })
      // Rows 0-5 (lines 2-7) came in two pages of three, line 5 rejected by the plugin; lines 8-11 came in one.
      const records = yield* RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "fake-council" }))
      expect(records.map((r) => r.line).sort((a, b) => a - b)).toEqual([2, 3, 4, 6, 7])
      expect(yield* IngestRepo.IngestRepo.use((r) => r.cursor(spend))).toBe("6")
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held.map((q) => [q.line, q.reasons[0]?.reason.includes("row cap") ?? false])).toEqual([[5, false], [8, true]])
      expect(pulls).toEqual([null, "3", "6"])
    }).pipe(Effect.provide(layerFor(fakePlugin({ wholeFrom: 6 })))))

  EffectTest.effect("an answer over the size cap is quarantined once at line 0 with its URL, the cursor stays, and the error is not retryable", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Ingest.runToEnd(spend))
      expect(error).toMatchObject({ _tag: "ResponseTooLarge", retryable: false })
      expect(yield* IngestRepo.IngestRepo.use((r) => r.cursor(spend))).toBe("3")
      expect(yield* RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "fake-council" }))).toBe(3)
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "fake-council" }))
      expect(held.map((q) => [q.line, q.raw])).toEqual([[0, "mem://spend?cursor=3"]])
      expect(held[0]?.reasons[0]?.reason).toMatch(/size cap: 4097 bytes seen, the limit is 4096 bytes.*cursor 3 was refused whole/u)
    }).pipe(Effect.provide(layerFor(fakePlugin({ tooLargeAt: 3 })))))

  EffectTest.effect("a page at the row cap is stored as usual", () =>
    Effect.gen(function*() {
      const run = yield* Ingest.runToEnd(spend, { maxPageRows: 3 })
      expect(run).toMatchObject({ pages: 4, accepted: 10, stored: 8, quarantined: 2 })
    }).pipe(Effect.provide(layerFor(fakePlugin()))))
})

describe("Ingest.checkPage", () => {
  const info = RecordType.recordTypes["council-spend-line"]
  const row = { line: 2, amountPence: 100 }
  EffectTest.effect("a repeated natural key on one page is a rejection naming the first line", () =>
    Effect.sync(() => {
      const page: Page.Page = { records: [spendRecord(row), spendRecord(row)], rejections: [], nextCursor: "2", done: true }
      const checked = Ingest.checkPage(info, page)
      expect(checked.records).toHaveLength(1)
      expect(checked.rejections[0]?.problems[0]?.reason).toContain("line 2")
    }))
})
