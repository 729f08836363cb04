import { Money } from "@hub/domain"
import { FinancialReturnPreparation, Ingest, PluginRegistry, Push } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { OutboxRepo } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { parse } from "csv-parse/sync"
import { Context, Effect, Layer, Option, Schedule } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect } from "vitest"
import * as Simulators from "./Simulators.ts"
import * as TestHub from "./test-support/TestHub.ts"
import * as Workers from "./Workers.ts"

const glaFile = fileURLToPath(new URL("../../../tools/simulators/council-finance/data/spend/gla-2013-p01.csv", import.meta.url))
const commissioner = "08Q"
const year = "2013/14"
const month = 1

class Urls extends Context.Service<Urls, Simulators.Running>()("test/Urls") {}

const getJson = (url: string, headers: Record<string, string>) =>
  Effect.promise(async () => (await (await fetch(url, { headers })).json()) as Record<string, unknown>)

/** Every row of a JSON stream, paged with plain fetch (not the plugin). */
const allRows = (url: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const rows: Array<Record<string, unknown>> = []
    let cursor: string | undefined
    for (;;) {
      const response = await fetch(`${url}&limit=1000${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`, { headers })
      const body = (await response.json()) as { readonly data: Array<Record<string, unknown>>; readonly nextCursor: string; readonly hasMore: boolean }
      rows.push(...body.data)
      if (!body.hasMore) return rows
      cursor = body.nextCursor
    }
  })

/** Pounds text to pence; accounting negatives `(1,012.50)` as the GLA file writes them. */
const pence = (value: unknown): number => {
  const text = String(value).trim().replaceAll(",", "")
  const negative = /^\(.*\)$/u.test(text)
  const amount = Money.parsePounds(negative ? text.slice(1, -1) : text) ?? Number.NaN
  return negative ? -amount : amount
}

const waitForJob = (queue: string, id: string) =>
  Producer.Producer.use((p) => p.getJob(queue, id)).pipe(
    Effect.map(Option.getOrUndefined),
    Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("100 millis") }),
    Effect.timeout("60 seconds")
  )

describe("a monthly financial return, from the sources to NHS England and back (PostgreSQL, Redis)", () => {
  const hub = EffectTest.layer(
    Layer.unwrap(Effect.gen(function*() {
      const simulators = yield* Simulators.start({ council: "gla", financialYear: year })
      return Layer.mergeAll(TestHub.postgres.layer(), TestHub.registryLayer(simulators), TestHub.queueLayer(), Layer.succeed(Urls, simulators))
    }))
  )

  const request: FinancialReturnPreparation.Request = {
    plugin: "nhs-england-returns",
    commissioner,
    financialYear: year,
    month,
    sources: { allocations: "nhs-england-returns", activity: "london-cbs", councilSpend: { plugin: "council-finance", councils: ["gla"] } }
  }

  hub.effect("every number of the return reconciles to the sources; pushed once, acknowledged, replay changes nothing; a correction supersedes", () =>
    Effect.gen(function*() {
      const urls = yield* Urls
      yield* Workers.start({ concurrency: 1, closeTimeoutMs: 2000 })
      for (const [plugin, stream] of [["nhs-england-returns", "allocations"], ["london-cbs", "activity"], ["council-finance", "spend"]] as const) {
        yield* Ingest.runToEnd({ plugin, stream })
      }

      // --- prepare: each figure against the sources, read independently
      const prepared = yield* FinancialReturnPreparation.prepare(request)
      expect(prepared.created).toBe(true)
      const nhse = { authorization: "Bearer nhse-dev-token" }
      const allocations = (yield* getJson(`${urls.nhsEnglandReturns}/v1/allocations?financialYear=2013%2F14&commissionerCode=${commissioner}&limit=100`, nhse))["data"] as Array<Record<string, unknown>>
      const allocationOf = (type: string) => allocations.filter((a) => a["allocationType"] === type).reduce((s, a) => s + pence(a["amount"]), 0)
      const activity = (yield* allRows(`${urls.londonCbs}/v1/activity?financialYear=2013%2F14`, { "x-api-key": "cbs-dev-key" }))
        .filter((a) => a["commissionerCode"] === commissioner && a["month"] === "M1")
      const glaRows = parse(readFileSync(glaFile, "utf8").replaceAll("\r\n", "\n"), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>
      const glaApril = glaRows.filter((r) => (r["Clearing Date"] ?? "").startsWith("2013-04"))
      const line = (code: string) => prepared.lines.find((l) => l.code === code)
      expect(activity.length).toBeGreaterThan(0)
      expect(line("acute")).toMatchObject({
        plan: allocationOf("core-services"),
        actualToDate: activity.reduce((s, a) => s + pence(a["actualCost"]), 0),
        sourceRows: activity.length
      })
      expect(line("other-programme")).toMatchObject({ plan: 0, actualToDate: glaApril.reduce((s, r) => s + pence(r["Amount"]), 0), sourceRows: glaApril.length })
      expect(line("primary-care")?.plan ?? 0).toBe(allocationOf("primary-care"))
      expect(line("running-costs")?.plan ?? 0).toBe(allocationOf("running-costs"))
      for (const l of prepared.lines) expect(l.forecastOutturn).toBe(l.actualToDate * 12) // the run rate at M1
      const publishedTotal = allocations.reduce((s, a) => s + pence(a["amount"]), 0)
      expect(prepared.lines.reduce((s, l) => s + l.plan, 0)).toBe(publishedTotal)
      expect(prepared.position.annualPlan).toBe(publishedTotal)
      expect(prepared.position.actualToDate).toBe(prepared.lines.reduce((s, l) => s + l.actualToDate, 0))
      expect(prepared.entry).toMatchObject({ status: "prepared", version: 1, kind: "financial-return", body: commissioner })

      // --- preparing the same figures again changes nothing
      const again = yield* FinancialReturnPreparation.prepare(request)
      expect(again.created).toBe(false)
      expect(again.entry.idempotencyKey).toBe(prepared.entry.idempotencyKey)

      // --- push through the queue and the worker: sent once with the key, receipt stored
      const key = prepared.entry.idempotencyKey
      const job = yield* Push.enqueue(prepared.entry)
      const pushed = yield* waitForJob(JobQueue.push("nhs-england-returns").name, job.id)
      expect(pushed?.state).toBe("completed")
      const sent = yield* OutboxRepo.OutboxRepo.use((o) => o.find(key))
      expect(sent?.status).toBe("sent")
      expect(sent?.receipt).toMatchObject({ idempotencyKey: key, status: "pending" })
      const submissionId = (sent?.receipt as { readonly submissionId: string }).submissionId

      // --- replaying the push: the same job, a skipped send, and the system's repeat of the key: one submission
      const replayJob = yield* Push.enqueue(prepared.entry)
      expect(replayJob.id).toBe(job.id)
      expect((yield* Push.send(key)).action).toBe("skipped")
      const registry = yield* PluginRegistry.PluginRegistry
      const plugin = yield* registry.get("nhs-england-returns")
      const repeated = yield* plugin.push("financial-return", sent!.payload, key)
      expect(repeated).toMatchObject({ submissionId, duplicate: true })
      const recorded = yield* getJson(`${urls.nhsEnglandReturns}/_sim/submissions?kind=financial-return`, {})
      expect(recorded["count"]).toBe(1)

      // --- NHS England processes it; the acknowledgement is pulled and attached (pull job of the acknowledgements)
      yield* Effect.promise(() => fetch(`${urls.nhsEnglandReturns}/_sim/process`, { method: "POST" }))
      const ackJob = yield* Producer.Producer.use((p) =>
        p.add(JobQueue.pull("nhs-england-returns"), { plugin: "nhs-england-returns", stream: "acknowledgements", reason: "request" })
      )
      expect((yield* waitForJob(JobQueue.pull("nhs-england-returns").name, ackJob.id))?.state).toBe("completed")
      const closed = yield* OutboxRepo.OutboxRepo.use((o) => o.find(key))
      expect(closed?.status, JSON.stringify(closed?.acknowledgement)).toBe("acknowledged")
      expect(closed?.acknowledgement).toMatchObject({ submissionId, status: "accepted" })

      // --- a correction (the council spend no longer counted) is version 2, superseding version 1, which stays
      const corrected = yield* FinancialReturnPreparation.prepare({ ...request, sources: { ...request.sources, councilSpend: undefined } })
      expect(corrected.created).toBe(true)
      expect(corrected.entry).toMatchObject({ version: 2, supersedes: key, status: "prepared" })
      expect(corrected.lines.find((l) => l.code === "other-programme")).toBeUndefined()
      expect((yield* OutboxRepo.OutboxRepo.use((o) => o.find(key)))?.status).toBe("acknowledged")
    }))
})
