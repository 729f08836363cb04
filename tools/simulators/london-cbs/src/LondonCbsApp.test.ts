import { EffectTest } from "@hub/testing"
import { LoopbackClient, Pounds, Server } from "@hub/simulator-kit"
import { Effect } from "effect"
import { expect } from "vitest"
import type { ActivityLine, Contract } from "./Dataset.ts"
import { makeLondonCbsApp } from "./LondonCbsApp.ts"
import { ccgs, pcts, trustsByCode } from "./ReferenceData.ts"

interface Page<A> { readonly data: ReadonlyArray<A>; readonly nextCursor: string; readonly hasMore: boolean }
interface ProblemBody { readonly status: number; readonly detail: string; readonly errors?: ReadonlyArray<{ field: string; message: string }> }

const serve = (seed = 1) =>
  Effect.gen(function* () {
    const server = yield* Server.startServer(makeLondonCbsApp({ seed }))
    return {
      api: LoopbackClient.make(server.url, { "x-api-key": "cbs-dev-key" }),
      anonymous: LoopbackClient.make(server.url)
    }
  })

/** Pages a stream to the end, returning every row and every page's cursor. */
const pageAll = <A>(api: LoopbackClient.LoopbackClient, first: string) =>
  Effect.gen(function* () {
    const rows: Array<A> = []
    const cursors: Array<string> = []
    let path = first
    for (let guard = 0; guard < 10_000; guard++) {
      const res = yield* api.get<Page<A>>(path)
      expect(res.status).toBe(200)
      rows.push(...res.body.data)
      cursors.push(res.body.nextCursor)
      if (!res.body.hasMore) break
      path = `${first.split("?")[0]}?limit=${new URLSearchParams(first.split("?")[1]).get("limit") ?? 100}&cursor=${res.body.nextCursor}`
    }
    return { rows, cursors }
  })

const ids = (lines: ReadonlyArray<ActivityLine>) => lines.map((l) => l.lineId)

EffectTest.effect("activity pages to the end: thousands of distinct lines in (updatedAt, lineId) order, whatever the page size", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const big = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000")
    expect(big.rows.length).toBeGreaterThan(5_000)
    expect(new Set(ids(big.rows)).size).toBe(big.rows.length)
    for (let i = 1; i < big.rows.length; i++) {
      const [a, b] = [big.rows[i - 1] as ActivityLine, big.rows[i] as ActivityLine]
      expect(a.updatedAt < b.updatedAt || (a.updatedAt === b.updatedAt && a.lineId < b.lineId)).toBe(true)
    }
    const odd = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=777")
    expect(ids(odd.rows)).toEqual(ids(big.rows))
  }), 60_000)

EffectTest.effect("a mid-stream cursor resumes exactly where that page ended", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const p1 = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=50")
    const p2 = yield* api.get<Page<ActivityLine>>(`/v1/activity?limit=50&cursor=${p1.body.nextCursor}`)
    const both = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=100")
    expect([...ids(p1.body.data), ...ids(p2.body.data)]).toEqual(ids(both.body.data))
    const again = yield* api.get<Page<ActivityLine>>(`/v1/activity?limit=50&cursor=${p1.body.nextCursor}`)
    expect(again.body).toEqual(p2.body)
  }))

EffectTest.effect("the cursor at the end returns nothing until lines are revised, then only the revised lines", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const all = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000")
    const end = all.cursors[all.cursors.length - 1] as string
    const empty = yield* api.get<Page<ActivityLine>>(`/v1/activity?limit=1000&cursor=${end}`)
    expect(empty.body).toEqual({ data: [], nextCursor: end, hasMore: false })
    const revised = yield* api.post<{ revised: ReadonlyArray<string> }>("/_sim/activity/revisions", { count: 5 })
    expect(revised.body.revised).toHaveLength(5)
    const news = yield* api.get<Page<ActivityLine>>(`/v1/activity?limit=1000&cursor=${end}`)
    expect(ids(news.body.data)).toEqual(revised.body.revised)
    const before = new Map(all.rows.map((l) => [l.lineId, l]))
    for (const line of news.body.data) expect(line.updatedAt > (before.get(line.lineId) as ActivityLine).updatedAt).toBe(true)
  }), 60_000)

EffectTest.effect("updatedSince and financialYear filter the stream, and the cursor keeps them", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const since = "2013-06-01T00:00:00Z"
    const filtered = yield* pageAll<ActivityLine>(api, `/v1/activity?limit=1000&updatedSince=${since}&financialYear=2013/14`)
    expect(filtered.rows.length).toBeGreaterThan(1_000)
    expect(filtered.rows.every((l) => l.updatedAt >= since && l.financialYear === "2013/14")).toBe(true)
    const all = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000")
    expect(filtered.rows.length).toBe(all.rows.filter((l) => l.updatedAt >= since && l.financialYear === "2013/14").length)
  }), 60_000)

EffectTest.effect("bad paging parameters are refused with 400 naming the parameter", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const first = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=10&financialYear=2011/12")
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["/v1/activity?limit=0", "limit"],
      ["/v1/activity?limit=1001", "limit"],
      ["/v1/activity?cursor=garbage!", "cursor"],
      ["/v1/activity?updatedSince=yesterday", "updatedSince"],
      ["/v1/activity?financialYear=2011/13", "financialYear"],
      ["/v1/activity?volume=-5", "volume"],
      [`/v1/activity?cursor=${first.body.nextCursor}&financialYear=2012/13`, "financialYear"],
      [`/v1/contracts?cursor=${first.body.nextCursor}`, "cursor"]
    ]
    for (const [path, field] of cases) {
      const res = yield* api.get<ProblemBody>(path)
      expect([path, res.status, res.body.errors?.[0]?.field]).toEqual([path, 400, field])
    }
  }))

EffectTest.effect("every line's costs are its activity at one unit price, to the penny", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const { rows } = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000")
    for (const l of rows) {
      const planned = Pounds.toPence(l.plannedCost) as number
      const actual = Pounds.toPence(l.actualCost) as number
      expect(planned % l.plannedActivity).toBe(0)
      expect(actual).toBe((planned / l.plannedActivity) * l.actualActivity)
    }
  }), 60_000)

EffectTest.effect("PCTs commission up to 2012/13, CCGs in 2013/14, and only trusts open that year are providers", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const { rows } = yield* pageAll<Contract>(api, "/v1/contracts?limit=1000")
    const pctCodes = new Set(pcts.map((p) => p.code))
    const ccgCodes = new Set(ccgs.map((c) => c.code))
    expect(new Set(rows.filter((c) => c.financialYear !== "2013/14").map((c) => c.commissionerCode))).toEqual(pctCodes)
    expect(new Set(rows.filter((c) => c.financialYear === "2013/14").map((c) => c.commissionerCode))).toEqual(ccgCodes)
    expect(rows.some((c) => c.providerOdsCode === "R1K")).toBe(false)
    expect(rows.some((c) => c.providerOdsCode === "R1H" && c.financialYear === "2011/12")).toBe(false)
    expect(rows.some((c) => c.commissionerCode === "5LE" && c.providerOdsCode === "RJ1")).toBe(true)
    for (const c of rows) expect(trustsByCode.get(c.providerOdsCode)?.name).toBe(c.providerName)
  }))

EffectTest.effect("a contract's annual value is the sum of its lines' planned cost", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const contracts = (yield* pageAll<Contract>(api, "/v1/contracts?limit=1000")).rows
    const lines = (yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000")).rows
    const planned = new Map<string, number>()
    for (const l of lines) planned.set(l.contractId, (planned.get(l.contractId) ?? 0) + (Pounds.toPence(l.plannedCost) as number))
    for (const c of contracts) expect(Pounds.fromPence(planned.get(c.contractId) ?? -1)).toBe(c.annualValue)
  }), 60_000)

EffectTest.effect("the same seed gives the same data; another seed other data", () =>
  Effect.gen(function* () {
    const a = (yield* serve(1)).api
    const b = (yield* serve(1)).api
    const c = (yield* serve(2)).api
    const pa = yield* a.get<Page<ActivityLine>>("/v1/activity?limit=200")
    expect((yield* b.get<Page<ActivityLine>>("/v1/activity?limit=200")).body).toEqual(pa.body)
    expect((yield* c.get<Page<ActivityLine>>("/v1/activity?limit=200")).body).not.toEqual(pa.body)
  }))

EffectTest.effect("?volume=N serves exactly N synthetic lines, resumable mid-stream, even for millions", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const { rows } = yield* pageAll<ActivityLine>(api, "/v1/activity?limit=1000&volume=2500")
    expect(rows).toHaveLength(2500)
    expect(new Set(ids(rows)).size).toBe(2500)
    const p1 = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=1000&volume=2500")
    const p2 = yield* api.get<Page<ActivityLine>>(`/v1/activity?limit=1000&cursor=${p1.body.nextCursor}`)
    expect(ids(p2.body.data)).toEqual(ids(rows.slice(1000, 2000)))
    const huge = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=1000&volume=50000000&updatedSince=2013-01-01T00:00:00Z")
    expect(huge.body.data).toHaveLength(1000)
    expect(huge.body.data[0]?.updatedAt).toBe("2013-01-01T00:00:00Z")
    expect(huge.body.hasMore).toBe(true)
  }))

EffectTest.effect("authentication: no or wrong key is 401, a read-only key cannot submit (403)", () =>
  Effect.gen(function* () {
    const { api, anonymous } = yield* serve()
    expect((yield* anonymous.get("/v1/health")).status).toBe(401)
    expect((yield* anonymous.get("/v1/health", { "x-api-key": "wrong" })).status).toBe(401)
    expect((yield* anonymous.get("/v1/activity")).status).toBe(401)
    expect((yield* api.get("/v1/health")).body).toEqual({ status: "ok", system: "london-cbs", apiVersion: "1" })
    const readOnly = yield* api.post("/v1/commissioning-intentions", intentions(), { "x-api-key": "cbs-read-key", "idempotency-key": "k" })
    expect(readOnly.status).toBe(403)
  }))

const intentions = (overrides: Record<string, unknown> = {}) => ({
  commissionerCode: "5LE",
  financialYear: "2012/13",
  agreedBy: "LDN-SECTOR-SE",
  agreedOn: "2011-12-14",
  intentions: [
    { reference: "SE-ORTHO-01", providerOdsCode: "RJ1", service: "Elective orthopaedics", pointOfDelivery: "EL", specialtyCode: "110", direction: "decrease", activityChangePercent: "-5.0", plannedValue: "10725000.00" },
    { reference: "SE-OPHTH-02", providerOdsCode: "RJZ", service: "Ophthalmology outpatients", pointOfDelivery: "OPFA", direction: "increase", plannedValue: "2000000.50" }
  ],
  ...overrides
})

interface ReceivedIntention { reference: string; version: number; intentionId: string; supersedes: string | null; status?: string }
interface Receipt { submissionId: string; receivedAt: string; totalPlannedValue: string; status: string; intentions: ReadonlyArray<ReceivedIntention> }

EffectTest.effect("commissioning intentions: a repeated key is the same submission, a changed body under it is 422", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const first = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions(), { "idempotency-key": "ci-1" })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ totalPlannedValue: "12725000.50", status: "received", receivedAt: "2012-01-09T09:00:00Z" })
    expect(first.body.intentions.map((i) => [i.reference, i.version, i.supersedes])).toEqual([["SE-ORTHO-01", 1, null], ["SE-OPHTH-02", 1, null]])
    const again = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions(), { "idempotency-key": "ci-1" })
    expect([again.status, again.body, again.headers.get("idempotent-replayed")]).toEqual([201, first.body, "true"])
    const clash = yield* api.post("/v1/commissioning-intentions", intentions({ agreedOn: "2011-12-15" }), { "idempotency-key": "ci-1" })
    expect(clash.status).toBe(422)
    const recorded = yield* api.get<{ count: number }>("/_sim/submissions?kind=commissioning-intentions")
    expect(recorded.body.count).toBe(1)
  }))

EffectTest.effect("a later submission of a reference is its next version and supersedes the earlier one", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const v1 = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions(), { "idempotency-key": "a" })
    const corrected = intentions({ intentions: [{ reference: "SE-ORTHO-01", service: "Elective orthopaedics", direction: "maintain" }] })
    const v2 = yield* api.post<Receipt>("/v1/commissioning-intentions", corrected, { "idempotency-key": "b" })
    expect(v2.body.intentions).toEqual([
      { reference: "SE-ORTHO-01", version: 2, intentionId: `${v2.body.submissionId}-0001`, supersedes: v1.body.intentions[0]?.intentionId }
    ])
    expect(v2.body.receivedAt).toBe("2012-01-09T09:00:01Z")
    const stored = yield* api.get<Receipt>(`/v1/commissioning-intentions/${v1.body.submissionId}`)
    expect(stored.body.intentions.map((i) => [i.reference, i.status])).toEqual([["SE-ORTHO-01", "superseded"], ["SE-OPHTH-02", "received"]])
    const explicit = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions({ intentions: [{ reference: "SE-ORTHO-01", version: 5, service: "x", direction: "decrease" }] }), { "idempotency-key": "c" })
    expect(explicit.body.intentions[0]?.version).toBe(5)
    const stale = yield* api.post<ProblemBody>("/v1/commissioning-intentions", intentions({ intentions: [{ reference: "SE-ORTHO-01", version: 4, service: "x", direction: "decrease" }] }), { "idempotency-key": "d" })
    expect([stale.status, stale.body.errors?.map((e) => e.field)]).toEqual([422, ["intentions[0].version"]])
    const other = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions({ commissionerCode: "5LD" }), { "idempotency-key": "e" })
    expect(other.body.intentions[0]?.version).toBe(1)
  }))

EffectTest.effect("malformed intentions are 400 naming the field; unacceptable ones 422 listing every refusal", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const noKey = yield* api.post<ProblemBody>("/v1/commissioning-intentions", intentions())
    expect([noKey.status, noKey.body.errors?.[0]?.field]).toEqual([400, "Idempotency-Key"])
    const good = intentions()
    const badMoney = { ...good, intentions: [{ ...good.intentions[0], plannedValue: "1,000.00" }] }
    const malformed = yield* api.post<ProblemBody>("/v1/commissioning-intentions", badMoney, { "idempotency-key": "m" })
    expect(malformed.status).toBe(400)
    expect(malformed.body.errors?.map((e) => e.field)).toEqual(["intentions[0].plannedValue"])
    const twice = yield* api.post<ProblemBody>("/v1/commissioning-intentions", { ...good, intentions: [good.intentions[0], good.intentions[0]] }, { "idempotency-key": "t" })
    expect([twice.status, twice.body.errors?.map((e) => e.field)]).toEqual([400, ["intentions[1].reference"]])
    const refused = yield* api.post<ProblemBody>(
      "/v1/commissioning-intentions",
      intentions({ financialYear: "2013/14", agreedOn: "2013-05-01", intentions: [{ ...good.intentions[0], providerOdsCode: "ZZZ" }] }),
      { "idempotency-key": "r" }
    )
    expect(refused.status).toBe(422)
    expect(refused.body.errors?.map((e) => e.field)).toEqual(["commissionerCode", "agreedOn", "intentions[0].providerOdsCode"])
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(0)
    const fixed = yield* api.post("/v1/commissioning-intentions", intentions(), { "idempotency-key": "m" })
    expect(fixed.status).toBe(201)
  }))

EffectTest.effect("faults on the activity stream: 5xx, 429, malformed and duplicate rows, truncation, then recovery", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const clean = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=10")
    yield* api.post("/_sim/faults", { pathPrefix: "/v1/activity", status5xx: { count: 1 }, rateLimit: { count: 1, retryAfterSeconds: 4 } })
    const limited = yield* api.get("/v1/activity?limit=10")
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "4"])
    expect((yield* api.get("/v1/activity?limit=10")).status).toBe(503)
    yield* api.post("/_sim/faults", { malformedRows: { count: 1 }, duplicateRows: { count: 1 } })
    const faulty = yield* api.get<Page<Record<string, unknown>>>("/v1/activity?limit=10")
    expect(faulty.body.data).toHaveLength(11)
    expect(faulty.body.data.filter((l) => l["actualCost"] === "n/a" && l["month"] === "M13")).toHaveLength(1)
    expect(faulty.body.data[1]).toEqual(faulty.body.data[0])
    expect(faulty.body.nextCursor).toBe(clean.body.nextCursor)
    expect((yield* api.get<Page<ActivityLine>>("/v1/activity?limit=10")).body).toEqual(clean.body)
    yield* api.post("/_sim/faults", { truncate: { count: 1 } })
    const cut = yield* Effect.promise(() =>
      fetch(`${api.url}/v1/activity?limit=10`, { headers: { "x-api-key": "cbs-dev-key" } }).then((r) => r.json()).then(() => "whole", () => "cut"))
    expect(cut).toBe("cut")
    expect((yield* api.get("/v1/activity?limit=10")).status).toBe(200)
    expect((yield* api.get("/v1/health")).status).toBe(200)
  }))

EffectTest.effect("malformed contract rows lose their provider and value", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const page = yield* api.get<Page<Record<string, unknown>>>("/v1/contracts?limit=5", { "x-sim-fault": "malformed-rows" })
    const bad = page.body.data.filter((c) => c["annualValue"] === "n/a")
    expect(bad).toHaveLength(1)
    expect(bad[0]).not.toHaveProperty("providerOdsCode")
  }))

EffectTest.effect("reset clears submissions, revisions and faults", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const before = yield* api.get<Page<ActivityLine>>("/v1/activity?limit=1000")
    yield* api.post("/v1/commissioning-intentions", intentions(), { "idempotency-key": "x" })
    yield* api.post("/_sim/activity/revisions", { count: 500 })
    yield* api.post("/_sim/faults", { status5xx: { count: 3 } })
    expect((yield* api.post("/_sim/reset")).status).toBe(204)
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(0)
    expect((yield* api.get<Page<ActivityLine>>("/v1/activity?limit=1000")).body).toEqual(before.body)
    const v1 = yield* api.post<Receipt>("/v1/commissioning-intentions", intentions(), { "idempotency-key": "x" })
    expect([v1.status, v1.body.intentions[0]?.version, v1.headers.get("idempotent-replayed")]).toEqual([201, 1, null])
  }))

EffectTest.effect("latency and hang faults: a slow answer, then one the client gives up on, then normal service", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    yield* api.post("/_sim/faults", { pathPrefix: "/v1/contracts", latencyMs: 200 })
    const started = performance.now()
    expect((yield* api.get("/v1/contracts?limit=1")).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
    yield* api.post("/_sim/faults", { hang: { count: 1, ms: 5_000 } })
    const outcome = yield* Effect.promise(() =>
      fetch(`${api.url}/v1/activity?limit=1`, { headers: { "x-api-key": "cbs-dev-key" }, signal: AbortSignal.timeout(200) })
        .then(() => "answered", (e: Error) => e.name))
    expect(outcome).toBe("TimeoutError")
    expect((yield* api.get("/v1/activity?limit=1")).status).toBe(200)
  }))
