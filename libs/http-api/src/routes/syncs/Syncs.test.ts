import { Effect, Layer } from "effect"
import { QueueUnavailable } from "@hub/queue"
import { beforeAll, describe, expect, it } from "vitest"
import type { Description, Installed } from "../../ports/Plugins.ts"
import { type SyncJob, SyncJobs } from "../../ports/SyncJobs.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

const describePlugin = (id: string, enabled: boolean): Description => ({
  id,
  version: "1.0.0",
  displayName: id,
  externalSystem: id,
  description: id,
  enabled,
  streams: [
    { name: "activity", recordType: "contract-activity", cursor: "row", description: "" },
    { name: "contracts", recordType: "contract", cursor: "row", description: "" }
  ],
  pushes: [],
  hosts: [],
  settings: []
})

const plugins: ReadonlyArray<Installed> = [
  { description: describePlugin("london-cbs", true), check: () => Effect.void },
  { description: describePlugin("council-finance", false) }
]

const job = (id: string, overrides: Partial<SyncJob>): SyncJob => ({
  queue: "hub.london-cbs.pull",
  id,
  name: "pull",
  state: "completed",
  data: { plugin: "london-cbs", stream: "activity", reason: "schedule" },
  attemptsMade: 0,
  attemptsStarted: 1,
  failedReason: undefined,
  returnValue: null,
  createdAt: Date.UTC(2015, 5, 1, 11),
  processedAt: Date.UTC(2015, 5, 1, 11, 0, 1),
  finishedAt: Date.UTC(2015, 5, 1, 11, 0, 5),
  progress: 0,
  attemptsAllowed: 5,
  ...overrides
})

const seeded = [
  job("7", { returnValue: { plugin: "london-cbs", stream: "activity", pages: 3, accepted: 120, stored: 118, quarantined: 2, written: 118, cursor: "120", done: true } }),
  job("8", { state: "failed", attemptsMade: 1, failedReason: "Unauthorized: the CBS refused the configured API key", returnValue: null })
]

const { app, runtime } = makeTestApp({ plugins, syncJobs: SyncJobs.layerInMemory(seeded) })
beforeAll(() => runtime.context(), 180_000)

const start = (body: unknown, token: string = tokens.write) =>
  app.request("/v1/syncs", { method: "POST", body: JSON.stringify(body), headers: bearer(token, { "Content-Type": "application/json" }) })
const status = (jobId: string, token: string = tokens.read) => app.request(`/v1/syncs/${jobId}`, { headers: bearer(token) })

describe("POST /v1/syncs", () => {
  it("enqueues a pull and answers 202 with the job id, its queue and where to follow it", async () => {
    const res = await start({ plugin: "london-cbs", stream: "activity" })
    expect(res.status).toBe(202)
    const body = (await res.json()) as { jobId: string; queue: string; statusUrl: string }
    expect(body).toEqual({ jobId: expect.stringMatching(/^london-cbs\.[0-9]+$/u), queue: "hub.london-cbs.pull", statusUrl: `/v1/syncs/${body.jobId}` })
    expect(res.headers.get("location")).toBe(body.statusUrl)
    const read = await status(body.jobId)
    expect(read.status).toBe(200)
    expect(await read.json()).toMatchObject({
      jobId: body.jobId,
      plugin: "london-cbs",
      stream: "activity",
      state: "waiting",
      reason: "request",
      requestedBy: "api-key:key-write",
      createdAt: "2015-06-01T12:00:00.000Z"
    })
  })

  it("needs a key with the write scope", async () => {
    expect((await app.request("/v1/syncs", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(401)
    const res = await start({ plugin: "london-cbs", stream: "activity" }, tokens.read)
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ detail: expect.stringContaining("`write`") })
  })

  it("lists every bad field of the body", async () => {
    const res = await start({ plugin: "London CBS", extra: 1 })
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { errors: Array<{ path: Array<string> }> }
    expect(problem.errors.map((e) => e.path.join(".")).sort()).toEqual(["body.extra", "body.plugin", "body.stream"])
  })

  it("is a 404 for a plugin that is not installed, a 409 for one not enabled, a 422 for an unknown stream", async () => {
    const unknown = await start({ plugin: "nowhere", stream: "activity" })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ detail: 'No plugin "nowhere" was found.' })
    expect((await start({ plugin: "council-finance", stream: "activity" })).status).toBe(409)
    const stream = await start({ plugin: "london-cbs", stream: "budgets" })
    expect(stream.status).toBe(422)
    expect(await stream.json()).toMatchObject({ type: "urn:hub:problem:unknown-stream", detail: expect.stringContaining("activity, contracts") })
  })

  it("is a 503 naming redis when the queue cannot take the job", async () => {
    const down = makeTestApp({
      plugins,
      syncJobs: Layer.succeed(SyncJobs, {
        enqueue: () => Effect.fail(new QueueUnavailable.QueueUnavailable({ queue: "hub.london-cbs.pull", operation: "add", reason: "connect ECONNREFUSED" })),
        find: () => Effect.fail(new QueueUnavailable.QueueUnavailable({ queue: "hub.london-cbs.pull", operation: "getJob", reason: "connect ECONNREFUSED" }))
      })
    })
    const res = await down.app.request("/v1/syncs", {
      method: "POST",
      body: JSON.stringify({ plugin: "london-cbs", stream: "activity" }),
      headers: bearer(tokens.write, { "Content-Type": "application/json" })
    })
    expect(res.status).toBe(503)
    expect(res.headers.get("retry-after")).toBe("5")
    expect(await res.json()).toMatchObject({ status: 503, dependencies: ["redis"] })
  })
})

describe("GET /v1/syncs/{jobId}", () => {
  it("shows a completed pull's counts and timestamps", async () => {
    const res = await status("london-cbs.7")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      jobId: "london-cbs.7",
      queue: "hub.london-cbs.pull",
      plugin: "london-cbs",
      stream: "activity",
      state: "completed",
      reason: "schedule",
      progress: { attemptsMade: 0, attemptsStarted: 1, attemptsAllowed: 5, percent: 0 },
      counts: { pages: 3, accepted: 120, stored: 118, quarantined: 2, written: 118 },
      createdAt: "2015-06-01T11:00:00.000Z",
      startedAt: "2015-06-01T11:00:01.000Z",
      finishedAt: "2015-06-01T11:00:05.000Z"
    })
  })

  it("shows why a failed pull failed", async () => {
    const body = (await (await status("london-cbs.8")).json()) as Record<string, unknown>
    expect(body).toMatchObject({ state: "failed", failureReason: "Unauthorized: the CBS refused the configured API key" })
    expect(body["counts"]).toBeUndefined()
  })

  it("is a 404 for a job that does not exist or a plugin that is not installed, and a 400 for a malformed id", async () => {
    expect((await status("london-cbs.999")).status).toBe(404)
    expect((await status("nowhere.7")).status).toBe(404)
    const bad = await status("not an id")
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ errors: [{ path: ["path", "jobId"] }] })
  })

  it("needs a key with the read scope", async () => {
    expect((await app.request("/v1/syncs/london-cbs.7")).status).toBe(401)
    expect((await status("london-cbs.7", tokens.none)).status).toBe(403)
  })
})
