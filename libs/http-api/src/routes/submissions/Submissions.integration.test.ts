import { CalendarDate, Money } from "@hub/domain"
import { JobQueue, QueueLayer } from "@hub/queue"
import { IngestRepo, Store } from "@hub/store"
import { Queue } from "bullmq"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Redis } from "ioredis"
import { type ChildProcess, spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as QueueSubmissions from "../../adapters/QueueSubmissions.ts"
import { jobIdOf } from "../../ports/SubmissionQueue.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

// The gateway over PostgreSQL (a schema of this run, dropped afterwards) and a private Redis (its own
// redis-server on a free loopback port, in a temporary folder, stopped by its pid), which is NOT running when
// the first submit arrives: an outage. The queue side is the production one: libs/hub's Push.enqueue over the
// fail-fast producer.

const databaseUrl = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const schema = `gw_submissions_${randomUUID().replaceAll("-", "").slice(0, 12)}`
const prefix = `{gwsub-${randomUUID().slice(0, 8)}}`
const pushQueue = JobQueue.push("nhs-england-returns").name

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const port = await freePort()
const redisUrl = `redis://127.0.0.1:${port}`
const redisDir = mkdtempSync(join(tmpdir(), "hub-gw-redis-"))
let redisServer: ChildProcess | undefined

const startRedis = async (): Promise<void> => {
  redisServer = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir], {
    stdio: "ignore"
  })
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on("error", () => undefined)
  for (let i = 0; i < 100; i++) {
    const up = await probe.connect().then(() => probe.ping()).then(() => true, () => false)
    if (up) break
    probe.disconnect()
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  probe.disconnect()
}

const seed = Layer.effectDiscard(
  Effect.gen(function*() {
    const ingest = yield* IngestRepo.IngestRepo
    yield* ingest.commitPage({
      plugin: "nhs-england-returns",
      stream: "allocations",
      kind: "allocation-line",
      records: [{ organisationCode: "08Q", financialYear: "2013/14", allocationType: "core-services", amount: Money.pence(120_000_000_00), publishedOn: CalendarDate.unsafeMake("2013-02-01") }],
      rejections: [],
      nextCursor: "a-1"
    })
  })
)

const dropSchema = Layer.effectDiscard(Effect.addFinalizer(() =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
  }).pipe(Effect.provide(Store.layerPostgresClient({ url: databaseUrl, maxConnections: 1 })), Effect.orDie)
))

const store = Layer.provideMerge(seed, Store.layerPostgres({ url: databaseUrl, schema, maxConnections: 4 }).pipe(Layer.provideMerge(dropSchema)))
const queue = QueueSubmissions.layer.pipe(Layer.provide(QueueLayer.layer({ url: redisUrl, prefix, connectTimeoutMs: 300, operationTimeoutMs: 1000 })))
const { app } = makeTestApp({ store, submissionQueue: queue })

afterAll(() => {
  redisServer?.kill("SIGTERM")
  rmSync(redisDir, { recursive: true, force: true })
})

const json = (token: string, key: string) => bearer(token, { "Content-Type": "application/json", "Idempotency-Key": key })

const prepare = async (plugin: string): Promise<{ readonly id: number; readonly key: string }> => {
  const res = await app.request("/v1/submissions/prepare", {
    method: "POST",
    headers: bearer(tokens.write, { "Content-Type": "application/json" }),
    body: JSON.stringify({ commissioner: "08Q", financialYear: "2013/14", month: 1, plugin, sources: { allocations: "nhs-england-returns" } })
  })
  expect(res.status).toBe(201)
  const body = (await res.json()) as { submission: { id: number; key: string } }
  return body.submission
}

const submit = (id: number, key: string, body: unknown = { note: "month end" }) =>
  app.request(`/v1/submissions/${id}/submit`, { method: "POST", headers: json(tokens.write, key), body: JSON.stringify(body) })

/** The ids of every job in a push queue, read with a connection of its own. */
const jobIds = async (queueName: string = pushQueue): Promise<Array<string>> => {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  const queue = new Queue(queueName, { connection, prefix })
  try {
    const found = await queue.getJobs(["waiting", "active", "delayed", "prioritized", "completed", "failed"])
    return found.map((job) => job.id ?? "")
  } finally {
    await queue.close()
    connection.disconnect()
  }
}

describe("submitting through a Redis outage (PostgreSQL, a private Redis)", () => {
  it("is 503 problem+json while Redis is down; the same key after recovery makes exactly one job, and a repeat replays", async () => {
    const submission = await prepare("nhs-england-returns")
    const key = `outage-${randomUUID()}`

    const down = await submit(submission.id, key)
    expect(down.status).toBe(503)
    expect(down.headers.get("Content-Type")).toBe("application/problem+json")
    expect(await down.json()).toMatchObject({ status: 503, dependencies: ["redis"] })

    await startRedis()
    // The client retries with the same key until the gateway's producer has reconnected: every 503 on the way
    // released the key, so the first answer that is not a 503 is the request running for real.
    let recovered = down
    for (let attempt = 0; attempt < 150 && recovered.status === 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      recovered = await submit(submission.id, key)
    }
    expect(recovered.status).toBe(202)
    expect(recovered.headers.get("Idempotent-Replayed")).toBeNull()
    const body = (await recovered.json()) as { jobId: string; queue: string }
    expect(body).toMatchObject({ jobId: jobIdOf(submission.key), queue: pushQueue })
    expect(await jobIds()).toEqual([jobIdOf(submission.key)])

    const replay = await submit(submission.id, key)
    expect(replay.status).toBe(202)
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true")
    expect(await replay.json()).toEqual(body)
    expect(await jobIds()).toEqual([jobIdOf(submission.key)])
  }, 120_000)

  it("concurrent submits with one key: one runs, the others get 409 or its stored response, and there is one job", async () => {
    await startRedisIfNeeded()
    const plugin = "concurrent-returns"
    const submission = await prepare(plugin)
    const key = `concurrent-${randomUUID()}`
    const responses = await Promise.all(Array.from({ length: 6 }, () => submit(submission.id, key)))
    const statuses = responses.map((r) => r.status)
    const fresh = responses.filter((r) => r.status === 202 && r.headers.get("Idempotent-Replayed") === null)
    expect(fresh, statuses.join(",")).toHaveLength(1)
    expect(statuses.every((s) => s === 202 || s === 409), statuses.join(",")).toBe(true)
    expect(await jobIds(JobQueue.push(plugin).name)).toEqual([jobIdOf(submission.key)])

    // The same key for another body is refused, and still makes no job.
    const reused = await submit(submission.id, key, { note: "something else" })
    expect(reused.status).toBe(422)
    expect(await jobIds(JobQueue.push(plugin).name)).toEqual([jobIdOf(submission.key)])
  }, 120_000)
})

async function startRedisIfNeeded(): Promise<void> {
  if (redisServer === undefined) await startRedis()
}
