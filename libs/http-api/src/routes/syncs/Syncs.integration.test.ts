import { JobQueue, JobWorker, QueueLayer } from "@hub/queue"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { Redis } from "ioredis"
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as QueueSyncJobs from "../../adapters/QueueSyncJobs.ts"
import type { Description, Installed } from "../../ports/Plugins.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

// The gateway's sync routes over a real loopback Redis (a key prefix of this run only), with a real BullMQ worker
// of libs/queue processing the pulls the API enqueues.
const redisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"
const prefix = `{gwsyncs-${randomUUID().slice(0, 8)}}`

const description: Description = {
  id: "london-cbs",
  version: "1.0.0",
  displayName: "London CBS",
  externalSystem: "CBS",
  description: "",
  enabled: true,
  streams: [
    { name: "activity", recordType: "contract-activity", cursor: "row", description: "" },
    { name: "contracts", recordType: "contract", cursor: "row", description: "" }
  ],
  pushes: [],
  hosts: [],
  settings: []
}
const plugins: ReadonlyArray<Installed> = [{ description, check: () => Effect.void }]

class Rejected extends Schema.TaggedError<Rejected>()("Rejected", { detail: Schema.String }) {
  readonly retryable = false as const
  override get message(): string {
    return this.detail
  }
}

// The worker side: a pull of `activity` completes with an ingest outcome, a pull of `contracts` fails for good.
const worker = ManagedRuntime.make(
  Layer.effectDiscard(
    JobWorker.runWorker({
      queue: JobQueue.pull("london-cbs"),
      closeTimeoutMs: 2000,
      process: (job) =>
        job.data.stream === "activity"
          ? Effect.succeed({ plugin: "london-cbs", stream: "activity", pages: 2, accepted: 10, stored: 9, quarantined: 1, written: 9, cursor: "10", done: true })
          : Effect.fail(new Rejected({ detail: "the CBS refused the contracts export for this key" }))
    })
  ).pipe(Layer.provideMerge(QueueLayer.layer({ url: redisUrl, prefix })))
)

const { app, runtime } = makeTestApp({
  plugins,
  syncJobs: QueueSyncJobs.layer.pipe(Layer.provide(QueueLayer.layer({ url: redisUrl, prefix })))
})

beforeAll(async () => {
  await runtime.context()
  await worker.context()
}, 180_000)

afterAll(async () => {
  await worker.dispose()
  const redis = new Redis(redisUrl)
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

const start = async (stream: string) => {
  const res = await app.request("/v1/syncs", {
    method: "POST",
    body: JSON.stringify({ plugin: "london-cbs", stream }),
    headers: bearer(tokens.write, { "Content-Type": "application/json" })
  })
  expect(res.status).toBe(202)
  return (await res.json()) as { jobId: string; queue: string; statusUrl: string }
}

/** Reads the job's status until it has finished (completed or failed), for at most a minute. */
const settled = async (statusUrl: string): Promise<Record<string, unknown>> => {
  for (let i = 0; i < 600; i++) {
    const res = await app.request(statusUrl, { headers: bearer(tokens.read) })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    if (body["state"] === "completed" || body["state"] === "failed") return body
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the job at ${statusUrl} did not finish within a minute`)
}

describe("syncs over Redis", () => {
  it("enqueues a pull job on the plugin's queue, and its status shows the run's counts once done", async () => {
    const started = await start("activity")
    expect(started.queue).toBe("hub.london-cbs.pull")
    expect(started.jobId).toMatch(/^london-cbs\.[0-9]+$/u)
    const status = await settled(started.statusUrl)
    expect(status).toMatchObject({
      jobId: started.jobId,
      plugin: "london-cbs",
      stream: "activity",
      state: "completed",
      reason: "request",
      requestedBy: "api-key:key-write",
      progress: { attemptsMade: 1, attemptsStarted: 1, attemptsAllowed: 5 },
      counts: { pages: 2, accepted: 10, stored: 9, quarantined: 1, written: 9 }
    })
    expect(typeof status["finishedAt"]).toBe("string")
    expect(status["failureReason"]).toBeUndefined()
  }, 120_000)

  it("a failed job shows its reason", async () => {
    const started = await start("contracts")
    const status = await settled(started.statusUrl)
    expect(status).toMatchObject({ state: "failed", stream: "contracts", failureReason: "Rejected: the CBS refused the contracts export for this key" })
    expect(status["counts"]).toBeUndefined()
  }, 120_000)

  it("a job id the queue never held is a 404", async () => {
    const res = await app.request("/v1/syncs/london-cbs.999999", { headers: bearer(tokens.read) })
    expect(res.status).toBe(404)
  }, 60_000)
})

describe("syncs while Redis is down", () => {
  // Nothing listens on port 1 of loopback: the fail-fast producer is refused at once.
  const down = makeTestApp({
    plugins,
    syncJobs: QueueSyncJobs.layer.pipe(Layer.provide(QueueLayer.layer({ url: "redis://127.0.0.1:1", prefix, connectTimeoutMs: 200 })))
  })

  it("starting a sync or reading one is a 503 problem naming redis", async () => {
    const res = await down.app.request("/v1/syncs", {
      method: "POST",
      body: JSON.stringify({ plugin: "london-cbs", stream: "activity" }),
      headers: bearer(tokens.write, { "Content-Type": "application/json" })
    })
    expect(res.status).toBe(503)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toMatchObject({ status: 503, dependencies: ["redis"] })
    const status = await down.app.request("/v1/syncs/london-cbs.1", { headers: bearer(tokens.read) })
    expect(status.status).toBe(503)
  }, 120_000)
})
