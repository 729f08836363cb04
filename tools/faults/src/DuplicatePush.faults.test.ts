import { FinancialReturnPreparation, Push } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { OutboxRepo, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect } from "vitest"
import * as ReturnAmounts from "./returns/ReturnAmounts.ts"
import * as ReturnsSimulator from "./returns/ReturnsSimulator.ts"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"
import * as RecordingProxy from "./support/RecordingProxy.ts"

// Fault 7: duplicate and concurrent pushes. Two worker processes (concurrency 8 each) get several push jobs for
// every outbox entry at once (distinct job ids, as a retried enqueue or an operator's resend would make, plus the
// hub's own deduplicated `Push.enqueue` twice), while the NHS England returns simulator answers submissions 300 ms
// late, so sends of one key are in flight together. One entry's rows are also submitted again under a second key
// (version 2 with the same lines: a resubmission). The simulator must have applied exactly one submission per key:
// the same key is the same submission, a new key a new one. Then NHS England processes them and the workers
// attach the acknowledgements: every outbox row ends acknowledged.
const plugin = "nhs-england-returns"
const commissioner = "08Q"
const year = "2015/16"
const months = [1, 2, 3]
const sendsPerKey = 5
const pushQueue = JobQueue.push(plugin)
const pullQueue = JobQueue.pull(plugin)
const startTimeoutMs = 180_000

describe("duplicate and concurrent pushes of one key, and the same rows under two keys", () => {
  const fx = FaultHub.fixture("pushdup")

  EffectTest.effect("the simulator applies exactly one submission per key; every outbox row ends acknowledged", () =>
    Effect.gen(function*() {
      const returns = yield* ReturnsSimulator.start(fx.folder)
      const proxy = yield* RecordingProxy.start(returns.url)
      yield* FaultHub.arm(returns.url, { pathPrefix: "/v1/financial-returns", latencyMs: 300 })
      const started = yield* FaultHub.start(fx, {
        simulatorArgs: ["--spend-rows", "10"],
        workers: 0,
        extra: {
          NHS_ENGLAND_RETURNS_BASE_URL: proxy.url,
          NHS_ENGLAND_RETURNS_TOKEN: ReturnsSimulator.token,
          NHS_ENGLAND_RETURNS_FINANCIAL_YEAR: year,
          HUB_WORKER_CONCURRENCY: "8"
        }
      })
      // Started here rather than by FaultHub.start, to give them longer than its 60 s on a loaded machine.
      const workers = [
        yield* FaultHub.startWorker(fx.folder, "worker-1", started.setup),
        yield* FaultHub.startWorker(fx.folder, "worker-2", started.setup)
      ]
      for (const w of workers) yield* FaultHub.awaitStarted(w, startTimeoutMs)
      const hub: FaultHub.Hub = { ...started, workers }
      const store = Store.layerPostgres({ url: fx.databaseUrl, schema: fx.schema, maxConnections: 2 })

      const keys = yield* Effect.gen(function*() {
        const producer = yield* Producer.Producer
        yield* producer.add(pullQueue, { plugin, stream: "allocations", reason: "request" }, { jobId: "allocations" })
        expect((yield* FaultHub.awaitFinished("allocations", 120_000, pullQueue))?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("completed")

        // Three monthly returns prepared the hub's way, and month 1's rows again under a second key (version 2).
        const entries = yield* Effect.forEach(months, (month) =>
          FinancialReturnPreparation.prepare({ plugin, commissioner, financialYear: year, month, sources: { allocations: plugin, activity: "london-cbs" } }).pipe(
            Effect.map((p) => p.entry)
          )).pipe(Effect.provide(store))
        const first = entries[0]!
        const series: OutboxRepo.Series = { plugin, kind: first.kind, body: first.body, period: first.period }
        const again = yield* OutboxRepo.OutboxRepo.use((o) =>
          o.prepare({ ...series, version: 2, idempotencyKey: OutboxRepo.idempotencyKey(series, 2), payload: { ...(first.payload as object), version: 2 } })
        ).pipe(Effect.provide(store))
        expect(again.created).toBe(true)
        const all = [...entries, again.entry]
        expect(new Set(all.map((e) => e.idempotencyKey)).size).toBe(4)

        // Every key pushed several times at once, plus the deduplicated enqueue twice.
        const jobIds = yield* Effect.forEach(all.flatMap((e) => Array.from({ length: sendsPerKey }, (_, n) => ({ e, n }))), ({ e, n }) =>
          producer.add(pushQueue, { outboxId: e.idempotencyKey }, { jobId: `resend-${e.id}-${n}` }).pipe(Effect.map((added) => added.id)), { concurrency: "unbounded" })
        const enqueued = yield* Effect.forEach([...all, ...all], (e) => Push.enqueue(e).pipe(Effect.map((added) => added.id)), { concurrency: "unbounded" })
        expect(new Set(enqueued).size, "Push.enqueue of one entry twice is one job").toBe(all.length)
        for (const id of [...jobIds, ...new Set(enqueued)]) {
          const job = yield* FaultHub.awaitFinished(id, 120_000, pushQueue)
          expect(job?.state, `push job ${id}: ${job?.failedReason}`).toBe("completed")
        }
        expect(yield* FaultHub.unfinishedIn(pushQueue), "the push queue is drained").toBe(0)
        return all.map((e) => ({ key: e.idempotencyKey, payload: e.payload }))
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      // At the simulator: exactly one submission per key, whatever reached it; the amounts are the outbox's.
      const posts = proxy.exchanges().filter((e) => e.method === "POST" && e.path === "/v1/financial-returns")
      const applied = yield* ReturnsSimulator.applied(returns.url)
      expect(applied.map((a) => a.idempotencyKey).sort(), "one submission per key").toEqual(keys.map((k) => k.key).sort())
      expect(posts.length, "every key reached the simulator at least once").toBeGreaterThanOrEqual(keys.length)
      expect(posts.every((p) => p.status === 202), `every POST answered 202: ${posts.map((p) => p.status).join(",")}`).toBe(true)
      for (const { key, payload } of keys) {
        const submission = applied.find((a) => a.idempotencyKey === key)!
        expect(ReturnAmounts.ofBody(submission.body), `amounts of ${key}: source = target`).toEqual(ReturnAmounts.ofPayload(payload))
      }
      const [v1, v2] = [applied.find((a) => a.body.version === 1 && a.idempotencyKey === keys[0]!.key), applied.find((a) => a.body.version === 2)]
      expect(v2?.body.lines, "the resubmission carries the same rows").toEqual(v1?.body.lines)
      console.info(`fault 7: ${posts.length} POSTs for ${keys.length} keys reached the simulator (${keys.length * (sendsPerKey + 1)} push jobs); ${applied.length} applied`)

      // NHS England processes them; the workers pull the acknowledgements and close every outbox row.
      expect(yield* ReturnsSimulator.processPending(returns.url)).toHaveLength(keys.length)
      yield* Effect.gen(function*() {
        yield* Producer.Producer.use((p) => p.add(pullQueue, { plugin, stream: "acknowledgements", reason: "request" }, { jobId: "acks" }))
        expect((yield* FaultHub.awaitFinished("acks", 120_000, pullQueue))?.state).toBe("completed")
        expect(yield* FaultHub.unfinishedIn(pullQueue), "the pull queue is drained").toBe(0)
        expect(yield* FaultHub.unfinishedIn(pushQueue), "the push queue is drained").toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
      const outbox = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{ readonly idempotency_key: string; readonly status: string }>`SELECT idempotency_key, status FROM submission_outbox ORDER BY id`
      }).pipe(Effect.provide(store))
      expect(outbox.map((r) => r.status), "every outbox row acknowledged").toEqual(keys.map(() => "acknowledged"))

      FaultHub.expectWorkersAlive(hub)
      yield* FaultHub.stopWorkers(hub)
      fx.pass()
    }), 420_000)
})
