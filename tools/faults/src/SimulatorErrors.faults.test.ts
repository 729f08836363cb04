import { Producer } from "@hub/queue"
import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect } from "vitest"
import * as FaultHub from "./FaultHub.ts"
import * as PrivateRedis from "./PrivateRedis.ts"
import * as Processes from "./Processes.ts"
import * as RecordingProxy from "./RecordingProxy.ts"
import * as Env from "./test-support/Env.ts"

const sourceRows = 3_000
const retryAfterSeconds = 2

/** Arms a fault plan on the simulator (its admin API, not through the proxy). */
const arm = (simulatorUrl: string, plan: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${simulatorUrl}/_sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(plan)
    })
    if (!response.ok) throw new Error(`arming ${JSON.stringify(plan)}: ${response.status} ${await response.text()}`)
  })

/** The requests the worker made to the council's data (the proxy sees nothing else). */
const dataRequests = (proxy: RecordingProxy.RecordingProxy) => proxy.exchanges().filter((e) => e.path.startsWith("/v1/councils/"))

describe("the council-finance system answers 429 with Retry-After and 500s, then recovers", () => {
  const folder = mkdtempSync(join(tmpdir(), "hub-fault-sim-errors-"))
  const outcome = { passed: false }
  const schema = Env.freshName("hub_fault_simerr")
  const databaseUrl = Env.testDatabaseUrl()
  afterAll(async () => {
    await Effect.runPromise(FaultHub.dropSchema(databaseUrl, schema))
    // A failing test keeps its folder (every process log) for inspection.
    if (outcome.passed) rmSync(folder, { recursive: true, force: true })
  })

  EffectTest.effect("the job retries, waits at least Retry-After after the 429, and stores exactly the source rows", () =>
    Effect.gen(function*() {
      const redis = yield* PrivateRedis.start(folder)
      const simulator = yield* FaultHub.startSimulator(folder, ["--spend-rows", String(sourceRows)])
      const proxy = yield* RecordingProxy.start(simulator.url)
      yield* arm(simulator.url, {
        pathPrefix: "/v1/councils",
        rateLimit: { count: 1, retryAfterSeconds },
        status5xx: { count: 2, status: 500 }
      })
      const prefix = "{hubfault}"
      const setup = { databaseUrl, schema, redisUrl: redis.url, prefix, simulatorUrl: proxy.url, extra: { HUB_JOB_ATTEMPTS: "6" } }
      const worker = yield* FaultHub.startWorker(folder, "worker", setup)

      yield* Effect.gen(function*() {
        const producer = yield* Producer.Producer
        yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "ingest" })
        const job = yield* FaultHub.awaitFinished("ingest", 120_000)
        expect(job?.state, Processes.logOf(worker).slice(-3000)).toBe("completed")
        // The rate limit fires first, then the two 500s, then the system answers.
        const requests = dataRequests(proxy)
        expect(requests.slice(0, 4).map((e) => e.status)).toEqual([429, 500, 500, 200])
        expect(requests[0]?.retryAfter).toBe(String(retryAfterSeconds))
        const waited = requests[1]!.startedAt - requests[0]!.answeredAt
        expect(waited, "the retry after the 429 came no earlier than Retry-After").toBeGreaterThanOrEqual(retryAfterSeconds * 1000)
        // BullMQ counts every finished attempt: the three refused requests and the one that succeeded.
        expect(job?.attemptsMade).toBe(4)
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(setup)))

      yield* Processes.stop(worker)
      expect(worker.child.exitCode).toBe(0)
      const source = yield* FaultHub.served(simulator.url)
      const state = yield* FaultHub.storeState(databaseUrl, schema)
      expect(source.count).toBe(sourceRows)
      expect(state.stored + state.quarantined.length).toBe(source.count)
      expect(state.quarantined).toHaveLength(0)
      expect(state.distinctKeys).toBe(state.stored)
      expect(state.pence).toBe(source.pence)
      expect(state.openOutbox).toBe(0)
      outcome.passed = true
    }), 180_000)
})

describe("a permanent 5xx storm with few attempts", () => {
  const folder = mkdtempSync(join(tmpdir(), "hub-fault-sim-storm-"))
  const outcome = { passed: false }
  const schema = Env.freshName("hub_fault_storm")
  const databaseUrl = Env.testDatabaseUrl()
  afterAll(async () => {
    await Effect.runPromise(FaultHub.dropSchema(databaseUrl, schema))
    // A failing test keeps its folder (every process log) for inspection.
    if (outcome.passed) rmSync(folder, { recursive: true, force: true })
  })

  EffectTest.effect("leaves a failed job with its reason after exactly HUB_JOB_ATTEMPTS requests, and no more", () =>
    Effect.gen(function*() {
      const attempts = 3
      const redis = yield* PrivateRedis.start(folder)
      const simulator = yield* FaultHub.startSimulator(folder, ["--spend-rows", String(sourceRows)])
      const proxy = yield* RecordingProxy.start(simulator.url)
      yield* arm(simulator.url, { pathPrefix: "/v1/councils", status5xx: { count: 100_000, status: 503 } })
      const prefix = "{hubfault}"
      const setup = {
        databaseUrl,
        schema,
        redisUrl: redis.url,
        prefix,
        simulatorUrl: proxy.url,
        extra: { HUB_JOB_ATTEMPTS: String(attempts), HUB_JOB_BACKOFF_MS: "100" }
      }
      const worker = yield* FaultHub.startWorker(folder, "worker", setup)

      yield* Effect.gen(function*() {
        const producer = yield* Producer.Producer
        yield* producer.add(FaultHub.pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "ingest" })
        const job = yield* FaultHub.awaitFinished("ingest", 60_000)
        expect(job?.state, Processes.logOf(worker).slice(-3000)).toBe("failed")
        expect(job?.attemptsMade).toBe(attempts)
        expect(job?.failedReason).toMatch(/^ServerError: .*503/u)
        // No retry storm: nothing more reaches the system once the job has failed.
        yield* Effect.sleep("2 seconds")
        const requests = dataRequests(proxy)
        expect(requests.map((e) => e.status)).toEqual(Array.from({ length: attempts }, () => 503))
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(setup)))

      yield* Processes.stop(worker)
      expect(worker.child.exitCode).toBe(0)
      const state = yield* FaultHub.storeState(databaseUrl, schema)
      expect(state.stored).toBe(0)
      expect(state.cursor).toBeNull()
      outcome.passed = true
    }), 120_000)
})
