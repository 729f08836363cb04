import { CalendarDate, Money } from "@hub/domain"
import { QueueUnavailable } from "@hub/queue"
import { AuditLog, IngestRepo, OutboxRepo, Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { jobIdOf, type PushRequest, SubmissionQueue } from "../../ports/SubmissionQueue.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

// The submission routes over a real (embedded, in-memory) store seeded as the ingest would: NHS England's
// allocations of 08Q for 2013/14 and one month of its contract activity from London CBS, enough for an
// overspend at M1. The push queue is an in-memory one this file controls: it can be made to hang (a request in
// flight) or to be down (Redis unreachable), and it keeps its jobs by id as BullMQ does.
const seed = Layer.effectDiscard(
  Effect.gen(function*() {
    const ingest = yield* IngestRepo.IngestRepo
    const allocation = (allocationType: string, amount: number) => ({
      organisationCode: "08Q",
      financialYear: "2013/14",
      allocationType,
      amount: Money.pence(amount),
      publishedOn: CalendarDate.unsafeMake("2013-02-01")
    })
    yield* ingest.commitPage({
      plugin: "nhs-england-returns",
      stream: "allocations",
      kind: "allocation-line",
      records: [allocation("core-services", 120_000_000_00), allocation("running-costs", 1_000_000_00)],
      rejections: [],
      nextCursor: "a-1"
    })
    yield* ingest.commitPage({
      plugin: "london-cbs",
      stream: "activity",
      kind: "contract-activity-line",
      records: [{
        contractId: "LCBS-C-2013-08Q-RJ1",
        providerCode: "RJ1",
        commissionerCode: "08Q",
        financialYear: "2013/14",
        month: 1,
        pointOfDelivery: "EL",
        specialty: "100",
        plannedActivity: 100,
        actualActivity: 120,
        plannedCost: Money.pence(10_000_000_00),
        actualCost: Money.pence(15_000_000_00)
      }],
      rejections: [],
      nextCursor: "c-1"
    })
  })
)

const jobs = new Map<string, PushRequest>()
const queueState: { down: boolean; hold: { entered: () => void; release: Promise<void> } | undefined } = { down: false, hold: undefined }
const queue = Layer.succeed(SubmissionQueue, {
  enqueue: (request) =>
    Effect.gen(function*() {
      const hold = queueState.hold
      if (hold !== undefined) {
        hold.entered()
        yield* Effect.promise(() => hold.release)
      }
      if (queueState.down) {
        return yield* new QueueUnavailable.QueueUnavailable({ queue: "hub.nhs-england-returns.push", operation: "add", reason: "Connection is closed." })
      }
      const jobId = jobIdOf(request.idempotencyKey)
      if (!jobs.has(jobId)) jobs.set(jobId, request)
      return { queue: "hub.nhs-england-returns.push", jobId }
    })
})

const { app, runtime } = makeTestApp({ store: Layer.provideMerge(seed, Store.layerTest), submissionQueue: queue })

// Builds the runtime (the embedded database, the reference data) before the first test's clock starts.
beforeAll(async () => {
  expect((await app.request("/v1/submissions", { headers: bearer(tokens.read) })).status).toBe(200)
}, 180_000)

const json = (token: string, headers: Record<string, string> = {}) => bearer(token, { "Content-Type": "application/json", ...headers })
const prepareBody = { commissioner: "08Q", financialYear: "2013/14", month: 1 }

const prepare = async (body: unknown = prepareBody, token: string = tokens.write) => {
  const res = await app.request("/v1/submissions/prepare", { method: "POST", headers: json(token), body: JSON.stringify(body) })
  return { res, body: (await res.json()) as Record<string, unknown> }
}

const submit = (id: number | string, key: string | undefined, body: string = "{}", token: string = tokens.write) =>
  app.request(`/v1/submissions/${id}/submit`, {
    method: "POST",
    headers: json(token, key === undefined ? {} : { "Idempotency-Key": key }),
    body
  })

/** A fresh series (pushed through a plugin of its own, from the same sources), prepared: the submission id. */
let series = 0
const preparedId = async (): Promise<number> => {
  const { res, body } = await prepare({ ...prepareBody, plugin: `series-${++series}`, sources: { allocations: "nhs-england-returns" } })
  expect(res.status).toBe(201)
  return (body["submission"] as { id: number }).id
}

describe("POST /v1/submissions/prepare", () => {
  it("prepares the return with its lines, position and the kernel's flags, and the same figures again are the stored version", async () => {
    const first = await prepare()
    expect(first.res.status).toBe(201)
    expect(first.body).toMatchObject({
      created: true,
      submission: { plugin: "nhs-england-returns", kind: "financial-return", body: "08Q", period: "2013/14 M1", version: 1, state: "prepared" },
      position: { month: 1, annualPlanPence: 121_000_000_00, actualToDatePence: 15_000_000_00, forecastOutturnPence: 180_000_000_00, overspend: true }
    })
    expect(first.body["lines"]).toContainEqual({
      code: "acute",
      planPence: 120_000_000_00,
      actualToDatePence: 15_000_000_00,
      forecastOutturnPence: 180_000_000_00,
      sourceRows: 1
    })
    expect((first.body["flags"] as Array<{ rule: string }>).map((f) => f.rule)).toEqual(["position/overspend"])
    expect((first.body["submission"] as { payload: { version: number } }).payload.version).toBe(1)
    const again = await prepare()
    expect(again.res.status).toBe(200)
    expect(again.body).toMatchObject({ created: false, submission: { id: (first.body["submission"] as { id: number }).id, version: 1 } })
  })

  it("is audited under the calling key", async () => {
    const { body } = await prepare({ ...prepareBody, month: 12 })
    const key = (body["submission"] as { key: string }).key
    const entries = await runtime.runPromise(AuditLog.AuditLog.use((log) => log.list({ entityType: "submission", entityKey: key })))
    expect(entries.map((e) => [e.action, e.actor])).toEqual([["outbox.prepare", "api-key:key-write"]])
  })

  it("refuses a body that is not a return request, naming every field", async () => {
    const { res, body } = await prepare({ commissioner: "not a code", financialYear: "2013/15", month: 13, extra: 1 })
    expect(res.status).toBe(400)
    const paths = (body["errors"] as Array<{ path: Array<string> }>).map((e) => e.path.join("."))
    expect(paths).toEqual(expect.arrayContaining(["body.commissioner", "body.financialYear", "body.month", "body.extra"]))
  })

  it("is 422 naming the reason when the sources do not make a return", async () => {
    const { res, body } = await prepare({ ...prepareBody, commissioner: "07T" })
    expect(res.status).toBe(422)
    expect(body["detail"]).toMatch(/no allocation of 07T for 2013\/14 has been ingested/u)
  })

  it("needs a key with the write scope", async () => {
    expect((await app.request("/v1/submissions/prepare", { method: "POST", body: "{}" })).status).toBe(401)
    expect((await prepare(prepareBody, tokens.read)).res.status).toBe(403)
    expect((await prepare(prepareBody, tokens.admin)).res.status).toBe(200)
  })
})

describe("POST /v1/submissions/{id}/submit with Idempotency-Key", () => {
  it("enqueues the push once: 202, then the same key and body replay the stored response", async () => {
    const id = await preparedId()
    const before = jobs.size
    const first = await submit(id, "key-replay-1", JSON.stringify({ note: "month end" }))
    expect(first.status).toBe(202)
    expect(first.headers.get("Idempotent-Replayed")).toBeNull()
    const body = (await first.json()) as { submission: { id: number; key: string; state: string }; jobId: string }
    expect(body.submission).toMatchObject({ id, state: "prepared" })
    expect(body.jobId).toBe(jobIdOf(body.submission.key))
    expect(jobs.size).toBe(before + 1)

    // The same body written differently (spacing) is the same request.
    const replay = await submit(id, "key-replay-1", "{ \"note\" : \"month end\" }")
    expect(replay.status).toBe(202)
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true")
    expect(await replay.json()).toEqual(body)
    expect(jobs.size).toBe(before + 1)
  })

  it("the same key with a different body, or for another submission, is 422", async () => {
    const id = await preparedId()
    expect((await submit(id, "key-reuse-1", JSON.stringify({ note: "a" }))).status).toBe(202)
    const other = await submit(id, "key-reuse-1", JSON.stringify({ note: "b" }))
    expect(other.status).toBe(422)
    expect(other.headers.get("Content-Type")).toBe("application/problem+json")
    expect(await other.json()).toMatchObject({ type: "urn:hub:problem:idempotency-key-reused", detail: expect.stringMatching(/Idempotency-Key/u) })
    const otherPath = await submit(await preparedId(), "key-reuse-1", JSON.stringify({ note: "a" }))
    expect(otherPath.status).toBe(422)
  })

  it("a repeat while the first is still running is 409; once it completes, the repeat gets the stored response", async () => {
    const id = await preparedId()
    const before = jobs.size
    let entered: () => void = () => undefined
    const inside = new Promise<void>((resolve) => (entered = resolve))
    let release: () => void = () => undefined
    queueState.hold = { entered, release: new Promise<void>((resolve) => (release = resolve)) }
    const first = submit(id, "key-concurrent-1")
    await inside
    queueState.hold = undefined
    const concurrent = await submit(id, "key-concurrent-1")
    expect(concurrent.status).toBe(409)
    expect(await concurrent.json()).toMatchObject({ status: 409, detail: expect.stringMatching(/still being processed/u) })
    release()
    expect((await first).status).toBe(202)
    const after = await submit(id, "key-concurrent-1")
    expect(after.status).toBe(202)
    expect(after.headers.get("Idempotent-Replayed")).toBe("true")
    expect(jobs.size).toBe(before + 1)
  })

  it("a queue outage is 503 and not the final answer: the same key after recovery makes exactly one job", async () => {
    const id = await preparedId()
    const before = jobs.size
    queueState.down = true
    const down = await submit(id, "key-outage-1")
    queueState.down = false
    expect(down.status).toBe(503)
    expect(down.headers.get("Content-Type")).toBe("application/problem+json")
    expect(await down.json()).toMatchObject({ status: 503, dependencies: ["redis"] })
    expect(jobs.size).toBe(before)
    const retried = await submit(id, "key-outage-1")
    expect(retried.status).toBe(202)
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull()
    expect(jobs.size).toBe(before + 1)
  })

  it("keys are per API key: another client's same key is its own request (and the same submission is still one job)", async () => {
    const id = await preparedId()
    const before = jobs.size
    expect((await submit(id, "key-shared-1", "{}", tokens.write)).status).toBe(202)
    const admin = await submit(id, "key-shared-1", JSON.stringify({ note: "other client" }), tokens.admin)
    expect(admin.status).toBe(202)
    expect(admin.headers.get("Idempotent-Replayed")).toBeNull()
    expect(jobs.size).toBe(before + 1)
  })

  it("without the header, or with a malformed one, is 400 naming the header", async () => {
    const id = await preparedId()
    const missing = await submit(id, undefined)
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ errors: [{ path: ["header", "Idempotency-Key"], message: expect.stringMatching(/required/u) }] })
    expect((await submit(id, "x".repeat(256))).status).toBe(400)
    expect((await submit(id, "\"\"")).status).toBe(400)
    expect((await submit(id, "\"quoted-key-1\"")).status).toBe(202)
  })

  it("needs a key with the write scope", async () => {
    expect((await app.request("/v1/submissions/1/submit", { method: "POST", headers: { "Idempotency-Key": "k" } })).status).toBe(401)
    expect((await submit(1, "key-scope-1", "{}", tokens.read)).status).toBe(403)
  })

  it("refuses an unknown submission (404), a superseded version (409) and a body with unknown fields (400)", async () => {
    expect((await submit(999_999, "key-unknown-1")).status).toBe(404)
    const month = 11
    const v1 = await prepare({ ...prepareBody, month })
    const v2 = await prepare({ ...prepareBody, month, sources: { activity: "no-activity-here" } })
    expect(v2.res.status).toBe(201)
    expect(v2.body["submission"]).toMatchObject({ version: 2, supersedes: (v1.body["submission"] as { key: string }).key })
    const superseded = await submit((v1.body["submission"] as { id: number }).id, "key-superseded-1")
    expect(superseded.status).toBe(409)
    expect(await superseded.json()).toMatchObject({ detail: expect.stringMatching(/superseded by version 2/u) })
    expect((await submit((v2.body["submission"] as { id: number }).id, "key-extra-1", JSON.stringify({ extra: true }))).status).toBe(400)
  })
})

describe("GET /v1/submissions", () => {
  it("lists submissions oldest first, filtered by plugin and state, in stable pages", async () => {
    await preparedId()
    await preparedId()
    const all: Array<{ id: number; state: string }> = []
    let cursor: string | null = null
    do {
      const res: Response = await app.request(`/v1/submissions?limit=2${cursor === null ? "" : `&cursor=${cursor}`}`, { headers: bearer(tokens.read) })
      expect(res.status).toBe(200)
      const page = (await res.json()) as { items: Array<{ id: number; state: string }>; nextCursor: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(all.length).toBeGreaterThanOrEqual(2)
    expect(all.map((s) => s.id)).toEqual([...all.map((s) => s.id)].sort((a, b) => a - b))
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length)
    expect(all[0]).not.toHaveProperty("payload")
    const filtered = (await (await app.request("/v1/submissions?plugin=nhs-england-returns&state=prepared&limit=200", { headers: bearer(tokens.read) })).json()) as {
      items: Array<{ plugin: string; state: string }>
    }
    expect(filtered.items.length).toBeGreaterThan(0)
    expect(filtered.items.every((s) => s.plugin === "nhs-england-returns" && s.state === "prepared")).toBe(true)
    const none = (await (await app.request("/v1/submissions?plugin=london-cbs", { headers: bearer(tokens.read) })).json()) as { items: Array<unknown> }
    expect(none.items).toEqual([])
  })

  it("refuses a bad state, limit or cursor (400), and a key without read (403)", async () => {
    expect((await app.request("/v1/submissions?state=lost", { headers: bearer(tokens.read) })).status).toBe(400)
    expect((await app.request("/v1/submissions?limit=201", { headers: bearer(tokens.read) })).status).toBe(400)
    expect((await app.request("/v1/submissions?cursor=bm9wZTox", { headers: bearer(tokens.read) })).status).toBe(400)
    expect((await app.request("/v1/submissions", { headers: bearer(tokens.ops) })).status).toBe(403)
    expect((await app.request("/v1/submissions")).status).toBe(401)
  })

  it("shows what the outside system said: the receipt, then the rejection and its reasons", async () => {
    const id = await preparedId()
    const key = ((await (await app.request(`/v1/submissions/${id}`, { headers: bearer(tokens.read) })).json()) as { key: string }).key
    await runtime.runPromise(OutboxRepo.OutboxRepo.use((outbox) =>
      Effect.andThen(
        outbox.markSent(key, { receipt: { submissionId: "NHSE-S-1", status: "pending" } }),
        outbox.markRejected(key, { acknowledgement: { submissionId: "NHSE-S-1", status: "rejected" }, reasons: ["line acute: plan does not match the allocation"] })
      )
    ))
    expect(await (await app.request(`/v1/submissions/${id}`, { headers: bearer(tokens.read) })).json()).toMatchObject({
      state: "rejected",
      receipt: { submissionId: "NHSE-S-1" },
      acknowledgement: { status: "rejected" },
      reasons: ["line acute: plan does not match the allocation"]
    })
    const rejected = (await (await app.request("/v1/submissions?state=rejected", { headers: bearer(tokens.read) })).json()) as { items: Array<{ id: number; reasons: unknown }> }
    expect(rejected.items).toEqual([expect.objectContaining({ id, reasons: ["line acute: plan does not match the allocation"] })])
    expect((await submit(id, "key-rejected-1")).status).toBe(409)
  })

  it("shows one submission with its payload; unknown ids are 404, malformed ones 400", async () => {
    const id = await preparedId()
    const res = await app.request(`/v1/submissions/${id}`, { headers: bearer(tokens.read) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, state: "prepared", payload: { organisationCode: "08Q", financialYear: "2013/14" } })
    expect((await app.request("/v1/submissions/999999", { headers: bearer(tokens.read) })).status).toBe(404)
    expect((await app.request("/v1/submissions/abc", { headers: bearer(tokens.read) })).status).toBe(400)
  })
})
