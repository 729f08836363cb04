import { BullQueues, Producer, QueueConnection, QueueLayer } from "@hub/queue"
import { Worker } from "bullmq"
import { Effect, ManagedRuntime } from "effect"
import { Redis } from "ioredis"
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as QueueMetrics from "../../adapters/QueueMetrics.ts"
import * as QueueReadiness from "../../adapters/QueueReadiness.ts"
import * as GatewayMetrics from "../../middleware/metrics/GatewayMetrics.ts"
import { makeTestApp, tokens } from "../../test-support/TestApp.ts"

// The real Redis (loopback), under a key prefix of this run only, every key of which is removed afterwards.
const redisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"
const prefix = `{gwtest-${randomUUID().slice(0, 8)}}`
const queueName = "hub.council-finance.pull"
const origin = "http://localhost"

const queues = ManagedRuntime.make(QueueLayer.layer({ url: redisUrl, prefix }))
const services = await queues.runPromise(
  Effect.gen(function* () {
    return { bull: yield* BullQueues.BullQueues, connection: yield* QueueConnection.QueueConnection, producer: yield* Producer.Producer }
  })
)
const queue = services.bull.get(queueName)
const { app } = makeTestApp({
  dashboardQueues: [queue],
  checks: [QueueReadiness.redisCheck(services.connection.producer)],
  metrics: GatewayMetrics.make({ sampleQueues: QueueMetrics.sampler(queues, [queueName]) })
})

let failedJobId = ""

beforeAll(async () => {
  const job = await queue.add("pull", { plugin: "council-finance", stream: "spend" }, { attempts: 1 })
  failedJobId = job.id ?? ""
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null })
  const worker = new Worker(queueName, () => Promise.reject(new Error("the council's API said 401")), { connection, prefix })
  await new Promise<void>((resolve) => worker.on("failed", () => resolve()))
  await worker.close()
  connection.disconnect()
  await queue.add("pull", { plugin: "council-finance", stream: "payments" })
})

afterAll(async () => {
  await queue.obliterate({ force: true })
  const client = new Redis(redisUrl)
  let cursor = "0"
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== "0")
  client.disconnect()
  await queues.dispose()
})

const signIn = async (key: string): Promise<string> => {
  const res = await app.request("/admin/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ key }).toString()
  })
  expect(res.status).toBe(303)
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
}

const retry = (cookie: string) =>
  app.request(`/admin/queues/api/queues/${queueName}/${failedJobId}/retry`, { method: "PUT", headers: { Cookie: cookie, Origin: origin } })

describe("the queue dashboard over real Redis", () => {
  it("lists the hub's queues with their failed job, for an ops session", async () => {
    const cookie = await signIn(tokens.ops)
    const res = await app.request("/admin/queues/api/queues?activeQueue=" + queueName + "&status=failed", { headers: { Cookie: cookie } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { queues: Array<{ name: string; readOnlyMode: boolean; counts: Record<string, number>; jobs: Array<{ id: string; failedReason: string }> }> }
    expect(body.queues.map((q) => q.name)).toEqual([queueName])
    expect(body.queues[0]).toMatchObject({ readOnlyMode: true, counts: { failed: 1, waiting: 1 } })
    expect(body.queues[0]?.jobs).toEqual([expect.objectContaining({ id: failedJobId, failedReason: "the council's API said 401" })])
  })

  it("refuses a read-only (ops) session's retry and clean, and the job stays failed", async () => {
    const cookie = await signIn(tokens.ops)
    const res = await retry(cookie)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    const clean = await app.request(`/admin/queues/api/queues/${queueName}/${failedJobId}/clean`, { method: "PUT", headers: { Cookie: cookie, Origin: origin } })
    expect(clean.status).toBeGreaterThanOrEqual(400)
    expect(clean.status).toBeLessThan(500)
    expect(await (await queue.getJob(failedJobId))?.getState()).toBe("failed")
  })

  it("lets an admin session retry the failed job, but not from another site", async () => {
    const cookie = await signIn(tokens.admin)
    const forged = await app.request(`/admin/queues/api/queues/${queueName}/${failedJobId}/retry`, {
      method: "PUT",
      headers: { Cookie: cookie, Origin: "https://evil.example" }
    })
    expect(forged.status).toBe(403)
    expect(await (await queue.getJob(failedJobId))?.getState()).toBe("failed")
    const res = await retry(cookie)
    expect(res.status).toBe(204)
    expect(await (await queue.getJob(failedJobId))?.getState()).toBe("waiting")
  })

  it("is ready when Redis answers PING", async () => {
    const res = await app.request("/readyz")
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ checks: [{ name: "redis", status: "up" }] })
  })

  it("reports queue depth at scrape time in /metrics", async () => {
    const text = await (await app.request("/metrics")).text()
    expect(text).toContain(`hub_queue_depth{queue="${queueName}",state="waiting"} 2`)
    await queue.add("pull", { plugin: "council-finance", stream: "spend" })
    const again = await (await app.request("/metrics")).text()
    expect(again).toContain(`hub_queue_depth{queue="${queueName}",state="waiting"} 3`)
  })
})
