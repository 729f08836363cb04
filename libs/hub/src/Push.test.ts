import { CalendarDate, Codes, FinancialYear, Money } from "@hub/domain"
import { Plugin, PluginError, type SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { IngestRepo, OutboxRepo, Store } from "@hub/store"
import { EffectTest, SqlTrace } from "@hub/testing"
import { Effect, Layer, Schema } from "effect"
import { describe, expect } from "vitest"
import * as FinancialReturnPreparation from "./FinancialReturnPreparation.ts"
import { PluginRegistry, register } from "./PluginRegistry.ts"
import * as Push from "./Push.ts"

/** Calls the fake system received, by idempotency key. */
const calls: Array<string> = []

const fakeSystem = Plugin.make({
  manifest: {
    id: "fake-returns",
    version: "0.1.0",
    displayName: "Fake returns",
    externalSystem: "in memory",
    description: "takes returns",
    streams: [{ name: "acknowledgements", recordType: "submission-acknowledgement", cursor: "opaque", description: "acks" }],
    pushes: [{ kind: "financial-return", payloadType: "financial-return", receiptType: "submission-acknowledgement", description: "r" }],
    configuration: [],
    hosts: ["*.example.org"]
  },
  configSchema: Schema.Struct({}),
  check: () => Effect.void,
  pull: () => Effect.die("not used"),
  push: (_config, kind, payload, key) =>
    Effect.gen(function*() {
      calls.push(key)
      const outcome = (payload as { readonly outcome: string }).outcome
      if (outcome === "refuse") return yield* new PluginError.Rejected({ kind, reasons: ["lines.0.code: unknown"] })
      if (outcome === "down") return yield* new PluginError.ServerError({ url: "mem://", status: 503, reason: "down" })
      const receipt: SubmissionAcknowledgement.SubmissionAcknowledgement = {
        kind, submissionId: `S-${key}`, idempotencyKey: key, status: outcome === "accept-now" ? "accepted" : "pending",
        receivedAt: "2022-06-30T09:00:00Z", duplicate: false, reasons: []
      }
      return receipt
    })
})

const layer = Layer.mergeAll(Store.layerPglite(), PluginRegistry.layer([register({ plugin: fakeSystem, config: {} })]))

const prepare = (body: string, outcome: string) =>
  OutboxRepo.OutboxRepo.use((o) => {
    const series = { plugin: "fake-returns", kind: "financial-return", body, period: "2013/14 M1" }
    return o.prepare({ ...series, version: 1, idempotencyKey: OutboxRepo.idempotencyKey(series, 1), payload: { outcome } })
  }).pipe(Effect.map((p) => p.entry.idempotencyKey))


describe("Push", () => {
  EffectTest.effect("preparing a return and sending it take four SQL statements and no transaction of their own", () =>
    Effect.gen(function*() {
      const year = Schema.decodeSync(FinancialYear.FinancialYear)("2013/14")
      yield* IngestRepo.IngestRepo.use((r) => r.commitPage({
        plugin: "fake-returns", stream: "allocations", kind: "allocation-line", rejections: [], nextCursor: "1",
        records: [
          { organisationCode: Schema.decodeSync(Codes.OdsCode)("08Q"), financialYear: year, allocationType: "core-services", amount: Money.pence(120_000_00), publishedOn: CalendarDate.unsafeMake("2013-03-01") },
          { organisationCode: Schema.decodeSync(Codes.OdsCode)("07R"), financialYear: year, allocationType: "core-services", amount: Money.pence(90_000_00), publishedOn: CalendarDate.unsafeMake("2013-03-01") }
        ]
      }))
      const request: FinancialReturnPreparation.Request = {
        plugin: "fake-returns", commissioner: "08Q", financialYear: "2013/14", month: 2, sources: { allocations: "fake-returns", activity: "london-cbs" }
      }
      const prepared = yield* SqlTrace.counted(FinancialReturnPreparation.prepare(request))
      expect(prepared.result).toMatchObject({ created: true, entry: { version: 1, status: "prepared" } })
      // The allocation and activity reads in one statement, then the next version's insert with its audit entry.
      expect(prepared.statements).toHaveLength(2)
      const key = prepared.result.entry.idempotencyKey
      const sent = yield* SqlTrace.counted(Push.send(key))
      expect(sent.result).toMatchObject({ action: "sent", status: "sent" })
      // The outbox row, then the receipt with its audit entry.
      expect(sent.statements).toHaveLength(2)
      expect(prepared.transactions + sent.transactions).toBe(0)
      expect(calls.filter((k) => k === key)).toHaveLength(1)
      // Preparing the same figures again reads, and the write statement finds and returns the stored version.
      const again = yield* SqlTrace.counted(FinancialReturnPreparation.prepare(request))
      expect(again.result).toMatchObject({ created: false, entry: { idempotencyKey: key, status: "sent" } })
      expect(again.statements).toHaveLength(2)
    }).pipe(Effect.provide(layer)))


  EffectTest.effect("sends a prepared return once with its key, stores the receipt, and a replay sends nothing", () =>
    Effect.gen(function*() {
      const key = yield* prepare("08Q", "pending")
      const first = yield* Push.send(key)
      expect(first).toMatchObject({ action: "sent", status: "sent", receipt: { submissionId: `S-${key}` } })
      const replay = yield* Push.send(key)
      expect(replay).toMatchObject({ action: "skipped", status: "sent" })
      expect(calls.filter((k) => k === key)).toHaveLength(1)
      expect((yield* OutboxRepo.OutboxRepo.use((o) => o.find(key)))?.receipt).toMatchObject({ idempotencyKey: key })

      // A final receipt closes the entry at once.
      const now = yield* prepare("07R", "accept-now")
      expect((yield* Push.send(now)).status).toBe("acknowledged")

      // A refused return fails for good and says why; a system that is down leaves it prepared for the retry.
      const refused = yield* prepare("08A", "refuse")
      const error = yield* Effect.flip(Push.send(refused))
      expect(error).toMatchObject({ _tag: "Rejected", retryable: false })
      expect((yield* OutboxRepo.OutboxRepo.use((o) => o.find(refused)))).toMatchObject({ status: "failed", reasons: [expect.stringContaining("lines.0.code: unknown")] })
      const down = yield* prepare("08C", "down")
      expect(yield* Effect.flip(Push.send(down))).toMatchObject({ _tag: "ServerError", retryable: true })
      expect((yield* OutboxRepo.OutboxRepo.use((o) => o.find(down)))?.status).toBe("prepared")
      // On the job's last attempt the same retryable failure closes the entry as failed, naming the error.
      expect(yield* Effect.flip(Push.send(down, { finalAttempt: true }))).toMatchObject({ _tag: "ServerError", retryable: true })
      expect((yield* OutboxRepo.OutboxRepo.use((o) => o.find(down)))).toMatchObject({
        status: "failed",
        reasons: [expect.stringMatching(/^ServerError: .*\(no attempts left\)$/u)]
      })

      // An unknown key is a problem for a person, not a retry.
      expect(yield* Effect.flip(Push.send("nope"))).toMatchObject({ _tag: "SubmissionProblem", retryable: false })

      // Acknowledgements pulled later close the sent entry; attaching twice changes nothing.
      yield* IngestRepo.IngestRepo.use((r) => r.commitPage({
        plugin: "fake-returns", stream: "acknowledgements", kind: "submission-acknowledgement", rejections: [], nextCursor: "1",
        records: [{ kind: "financial-return", submissionId: `S-${key}`, idempotencyKey: key, status: "rejected", receivedAt: "x", duplicate: false, reasons: ["PLAN_NOT_EQUAL_ALLOCATION"] }]
      }))
      expect(yield* Push.attachAcknowledgements("fake-returns")).toEqual({ acknowledged: [], rejected: [key] })
      expect(yield* Push.attachAcknowledgements("fake-returns")).toEqual({ acknowledged: [], rejected: [] })
      expect(yield* OutboxRepo.OutboxRepo.use((o) => o.find(key))).toMatchObject({ status: "rejected", reasons: ["PLAN_NOT_EQUAL_ALLOCATION"] })
    }).pipe(Effect.provide(layer)))
})
