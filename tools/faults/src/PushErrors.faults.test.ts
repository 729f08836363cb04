import { FinancialReturnPreparation, Push } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { OutboxRepo, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Effect, type Scope } from "effect"
import { describe, expect } from "vitest"
import * as ReturnAmounts from "./returns/ReturnAmounts.ts"
import * as ReturnsSimulator from "./returns/ReturnsSimulator.ts"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"
import * as RecordingProxy from "./support/RecordingProxy.ts"

// Fault 8, push side: the NHS England returns simulator answers the submission POST of an outbox entry with a
// 500, then a 429 with Retry-After, then takes the submission but answers only after the worker's HTTP timeout,
// then answers. The push job (a worker process) retries until it completes, waits out Retry-After, sends the
// same Idempotency-Key every time, and the simulator applies the submission once: the timed-out send was applied,
// the send after it is a replay of the key. Errors that never end leave a failed job with its reason after
// exactly HUB_JOB_ATTEMPTS attempts, the outbox row ends `failed` with that reason, and nothing more reaches the
// system.
const plugin = "nhs-england-returns"
const commissioner = "08Q"
const year = "2015/16"
const submissions = "/v1/financial-returns"
const pushQueue = JobQueue.push(plugin)
const pullQueue = JobQueue.pull(plugin)
const retryAfterSeconds = 2
const httpTimeoutMs = 3000
const startTimeoutMs = 180_000

/** The requests for submissions the proxy saw, with the Idempotency-Key each carried. */
const submissionPosts = (proxy: RecordingProxy.RecordingProxy) =>
  proxy.exchanges().filter((e) => e.path.startsWith(submissions))

/**
 * The returns simulator behind a recording proxy (the fault plan armed before anything is sent), the private
 * Redis, and one worker process pushing to the proxy; the allocations pulled and the return for month 1 prepared
 * the hub's way in the outbox.
 */
const startPushHub = (fx: FaultHub.Fixture, plan: Readonly<Record<string, unknown>>, attempts: number): Effect.Effect<{
  readonly hub: FaultHub.Hub
  readonly returns: ReturnsSimulator.ReturnsSimulator
  readonly proxy: RecordingProxy.RecordingProxy
  readonly store: ReturnType<typeof Store.layerPostgres>
  readonly entry: OutboxRepo.OutboxEntry
}, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const returns = yield* ReturnsSimulator.start(fx.folder)
    const proxy = yield* RecordingProxy.start(returns.url)
    yield* FaultHub.arm(returns.url, { pathPrefix: submissions, ...plan })
    const started = yield* FaultHub.start(fx, {
      simulatorArgs: ["--spend-rows", "10"],
      workers: 0,
      extra: {
        NHS_ENGLAND_RETURNS_BASE_URL: proxy.url,
        NHS_ENGLAND_RETURNS_TOKEN: ReturnsSimulator.token,
        NHS_ENGLAND_RETURNS_FINANCIAL_YEAR: year,
        HUB_JOB_ATTEMPTS: String(attempts),
        HUB_HTTP_TIMEOUT_MS: String(httpTimeoutMs)
      }
    })
    // Started here rather than by FaultHub.start, to give it longer than its 60 s on a loaded machine.
    const worker = yield* FaultHub.startWorker(fx.folder, "worker-1", started.setup)
    yield* FaultHub.awaitStarted(worker, startTimeoutMs)
    const hub: FaultHub.Hub = { ...started, workers: [worker] }
    const store = Store.layerPostgres({ url: fx.databaseUrl, schema: fx.schema, maxConnections: 2 })
    yield* Effect.gen(function*() {
      yield* Producer.Producer.use((p) => p.add(pullQueue, { plugin, stream: "allocations", reason: "request" }, { jobId: "allocations" }))
      expect((yield* FaultHub.awaitFinished("allocations", 120_000, pullQueue))?.state, Processes.logOf(worker).slice(-3000)).toBe("completed")
    }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
    const prepared = yield* FinancialReturnPreparation.prepare({
      plugin,
      commissioner,
      financialYear: year,
      month: 1,
      sources: { allocations: plugin, activity: "london-cbs" }
    }).pipe(Effect.provide(store))
    expect(prepared.entry.status).toBe("prepared")
    return { hub, returns, proxy, store, entry: prepared.entry }
  })

const outboxEntry = (store: ReturnType<typeof Store.layerPostgres>, key: string) =>
  OutboxRepo.OutboxRepo.use((o) => o.find(key)).pipe(Effect.provide(store))

describe("the returns system answers a push with 500, 429 with Retry-After, a timeout, then recovers", () => {
  const fx = FaultHub.fixture("pusherr")

  EffectTest.effect("the push retries with the same key, waits out Retry-After, and the submission is applied exactly once", () =>
    Effect.gen(function*() {
      const { entry, hub, proxy, returns, store } = yield* startPushHub(fx, {
        // The third send is taken and applied, but answered only long after the worker has given up on it.
        sequence: [{ status: 500 }, { status: 429, retryAfterSeconds }, { hangMs: httpTimeoutMs * 4, handled: true }]
      }, 6)
      const key = entry.idempotencyKey

      yield* Effect.gen(function*() {
        const added = yield* Push.enqueue(entry)
        const job = yield* FaultHub.awaitFinished(added.id, 120_000, pushQueue)
        expect(job?.state, `push job: ${job?.failedReason} ${Processes.logOf(hub.workers[0]!).slice(-3000)}`).toBe("completed")
        // BullMQ counts every finished attempt: the 500, the 429, the timeout and the one that succeeded.
        expect(job?.attemptsMade).toBe(4)
        expect(yield* FaultHub.unfinishedIn(pushQueue), "the push queue is drained").toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      const posts = submissionPosts(proxy)
      // Status 0: the worker closed the connection without an answer (its HTTP timeout).
      expect(posts.map((p) => `${p.method} ${p.status}`)).toEqual(["POST 500", "POST 429", "POST 0", "POST 202"])
      expect(new Set(posts.map((p) => p.idempotencyKey)), "every send carried the outbox entry's key").toEqual(new Set([key]))
      expect(posts[1]?.retryAfter).toBe(String(retryAfterSeconds))
      const waited = posts[2]!.startedAt - posts[1]!.answeredAt
      expect(waited, "the retry after the 429 came no earlier than Retry-After").toBeGreaterThanOrEqual(retryAfterSeconds * 1000)
      const hung = posts[2]!.answeredAt - posts[2]!.startedAt
      expect(hung, "the worker gave up on the hung send at its HTTP timeout").toBeGreaterThanOrEqual(httpTimeoutMs - 50)
      expect(hung).toBeLessThan(httpTimeoutMs * 4)

      // The hung send was applied; the send after it was a replay of the key, not a second submission.
      const applied = yield* ReturnsSimulator.applied(returns.url)
      expect(applied.map((a) => a.idempotencyKey), "one submission for the key").toEqual([key])
      expect(ReturnAmounts.ofBody(applied[0]!.body), "amounts: source = target").toEqual(ReturnAmounts.ofPayload(entry.payload))
      expect((yield* outboxEntry(store, key))?.status).toBe("sent")

      // NHS England processes it; the worker pulls the acknowledgement and closes the outbox row.
      expect(yield* ReturnsSimulator.processPending(returns.url)).toHaveLength(1)
      yield* Effect.gen(function*() {
        yield* Producer.Producer.use((p) => p.add(pullQueue, { plugin, stream: "acknowledgements", reason: "request" }, { jobId: "acks" }))
        expect((yield* FaultHub.awaitFinished("acks", 120_000, pullQueue))?.state).toBe("completed")
        expect(yield* FaultHub.unfinishedIn(pullQueue), "the pull queue is drained").toBe(0)
        expect(yield* FaultHub.unfinishedIn(pushQueue), "the push queue is drained").toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
      expect((yield* outboxEntry(store, key))?.status, "the outbox row acknowledged").toBe("acknowledged")
      expect(submissionPosts(proxy), "nothing more was sent").toHaveLength(4)
      console.info(`fault 8 (push): POSTs ${posts.map((p) => p.status).join(",")}; waited ${Math.round(waited)} ms after the 429; hung send abandoned after ${Math.round(hung)} ms`)

      FaultHub.expectWorkersAlive(hub)
      yield* FaultHub.stopWorkers(hub)
      fx.pass()
    }), 360_000)
})

describe("the returns system fails every push", () => {
  const fx = FaultHub.fixture("pushstorm")

  EffectTest.effect("the push job fails after exactly HUB_JOB_ATTEMPTS sends of the same key, with its reason, and nothing more is sent", () =>
    Effect.gen(function*() {
      const attempts = 3
      const { entry, hub, proxy, returns, store } = yield* startPushHub(fx, { status5xx: { count: 100_000, status: 503 } }, attempts)
      const key = entry.idempotencyKey

      yield* Effect.gen(function*() {
        const added = yield* Push.enqueue(entry)
        const job = yield* FaultHub.awaitFinished(added.id, 120_000, pushQueue)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("failed")
        expect(job?.attemptsMade).toBe(attempts)
        expect(job?.failedReason).toMatch(/^ServerError: .*503/u)
        // No retry storm: nothing more reaches the system once the job has failed.
        yield* Effect.sleep("2 seconds")
        expect(yield* FaultHub.unfinishedIn(pushQueue), "the push queue is drained").toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))

      const posts = submissionPosts(proxy)
      expect(posts.map((p) => `${p.method} ${p.status}`)).toEqual(Array.from({ length: attempts }, () => "POST 503"))
      expect(new Set(posts.map((p) => p.idempotencyKey)), "every send carried the outbox entry's key").toEqual(new Set([key]))
      expect(yield* ReturnsSimulator.applied(returns.url), "nothing applied").toHaveLength(0)
      // The last attempt closes the outbox row as failed with the error (Push.send's finalAttempt): no row stays open.
      const row = yield* outboxEntry(store, key)
      expect(row?.status, "the outbox row ends failed").toBe("failed")
      expect(JSON.stringify(row?.reasons), "the failed row names the error").toMatch(/ServerError: .*503.*no attempts left/u)
      console.info(`fault 8 (push, exhausted): ${posts.length} POSTs, all 503; outbox row ${row?.status}`)

      FaultHub.expectWorkersAlive(hub)
      yield* FaultHub.stopWorkers(hub)
      fx.pass()
    }), 300_000)
})
