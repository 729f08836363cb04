import { EffectTest } from "@hub/testing"
import { LoopbackClient, Pounds, Server } from "@hub/simulator-kit"
import { Effect } from "effect"
import { expect } from "vitest"
import type { Allocation } from "./Allocations.ts"
import { makeNhsEnglandReturnsApp, type NhsEnglandReturnsOptions } from "./NhsEnglandReturnsApp.ts"
import { commissionersByCode, operationalForYear } from "./ReferenceData.ts"
import type { Acknowledgement, SubmissionStatus } from "./ReturnsRegister.ts"

interface Page<A> { readonly data: ReadonlyArray<A>; readonly nextCursor: string; readonly hasMore: boolean }
interface ProblemBody { readonly status: number; readonly errors?: ReadonlyArray<{ field: string; message: string }> }

const serve = (options: NhsEnglandReturnsOptions = {}) =>
  Effect.gen(function* () {
    const server = yield* Server.startServer(makeNhsEnglandReturnsApp(options))
    return {
      api: LoopbackClient.make(server.url, { authorization: "Bearer nhse-dev-token" }),
      anonymous: LoopbackClient.make(server.url)
    }
  })

const pageAll = <A>(api: LoopbackClient.LoopbackClient, path: string, limit: number) =>
  Effect.gen(function* () {
    const rows: Array<A> = []
    let cursor: string | undefined
    for (let guard = 0; guard < 1000; guard++) {
      const sep = path.includes("?") ? "&" : "?"
      const res = yield* api.get<Page<A>>(`${path}${sep}limit=${limit}${cursor === undefined ? "" : `&cursor=${cursor}`}`)
      expect(res.status).toBe(200)
      rows.push(...res.body.data)
      cursor = res.body.nextCursor
      if (!res.body.hasMore) break
    }
    return { rows, cursor: cursor as string }
  })

/** A return that passes every rule: the published allocation split over three categories. */
const goodReturn = (api: LoopbackClient.LoopbackClient, code: string, fy: string, month: string) =>
  Effect.gen(function* () {
    const published = (yield* api.get<Page<Allocation>>(`/v1/allocations?commissionerCode=${code}&financialYear=${encodeURIComponent(fy)}`)).body.data
    const total = published.reduce((s, a) => s + (Pounds.toPence(a.amount) as number), 0)
    const running = Pounds.toPence((published.find((a) => a.allocationType === "running-costs") as Allocation).amount) as number
    const acute = Math.floor((total - running) * 0.6)
    const plans = [acute, total - running - acute, running]
    const actual = plans.map((p) => Math.floor(p / 2))
    const forecast = plans.map((p) => p - 100)
    const sum = (xs: ReadonlyArray<number>) => Pounds.fromPence(xs.reduce((a, b) => a + b, 0))
    return {
      commissionerCode: code,
      financialYear: fy,
      month,
      allocation: Pounds.fromPence(total),
      lines: (["acute", "other-programme", "running-costs"] as const).map((category, i) => ({
        category,
        plan: Pounds.fromPence(plans[i] as number),
        actualYearToDate: Pounds.fromPence(actual[i] as number),
        forecastOutturn: Pounds.fromPence(forecast[i] as number)
      })),
      totals: { plan: sum(plans), actualYearToDate: sum(actual), forecastOutturn: sum(forecast) }
    }
  })

const acksAfter = (api: LoopbackClient.LoopbackClient, cursor?: string) =>
  Effect.map(api.get<Page<Acknowledgement>>(`/v1/acknowledgements?limit=1000${cursor === undefined ? "" : `&cursor=${cursor}`}`), (r) => r.body)

EffectTest.effect("allocations page to the end: real commissioners, each operational for the whole year, resumable mid-stream", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const { rows } = yield* pageAll<Allocation>(api, "/v1/allocations", 1000)
    expect(rows.length).toBeGreaterThan(300)
    expect(new Set(rows.map((a) => a.allocationId)).size).toBe(rows.length)
    for (const a of rows) {
      const c = commissionersByCode.get(a.commissionerCode)
      expect(c?.name).toBe(a.commissionerName)
      expect(operationalForYear(c as never, Number(a.financialYear.slice(0, 4)))).toBe(true)
      expect(Pounds.isPounds(a.amount)).toBe(true)
    }
    expect(rows.some((a) => a.commissionerCode === "08Q" && a.financialYear === "2020/21")).toBe(false)
    expect(rows.some((a) => a.commissionerCode === "72Q" && a.financialYear === "2020/21")).toBe(true)
    const small = yield* pageAll<Allocation>(api, "/v1/allocations", 37)
    expect(small.rows).toEqual(rows)
  }))

EffectTest.effect("a merged CCG's first core allocation is its predecessors' last one plus 1.5-4% growth", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const { rows } = yield* pageAll<Allocation>(api, "/v1/allocations", 1000)
    const core = (code: string, fy: string) =>
      Pounds.toPence(rows.find((a) => a.commissionerCode === code && a.financialYear === fy && a.allocationType === "core-services")?.amount ?? "") as number
    const before = ["07N", "07Q", "08A", "08K", "08L", "08Q"].reduce((s, code) => s + core(code, "2019/20"), 0)
    const ratio = core("72Q", "2020/21") / before
    expect(ratio).toBeGreaterThanOrEqual(1.015 - 1e-6)
    expect(ratio).toBeLessThanOrEqual(1.04 + 1e-6)
  }))

EffectTest.effect("allocation filters are kept by the cursor; a cursor used with other filters is 400", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const first = yield* api.get<Page<Allocation>>("/v1/allocations?financialYear=2015/16&limit=5")
    expect(first.body.data.every((a) => a.financialYear === "2015/16")).toBe(true)
    const next = yield* api.get<Page<Allocation>>(`/v1/allocations?financialYear=2015/16&limit=5&cursor=${first.body.nextCursor}`)
    expect(next.body.data.every((a) => a.financialYear === "2015/16")).toBe(true)
    expect(next.body.data[0]?.allocationId).not.toBe(first.body.data[0]?.allocationId)
    const wrong = yield* api.get<ProblemBody>(`/v1/allocations?financialYear=2016/17&limit=5&cursor=${first.body.nextCursor}`)
    expect([wrong.status, wrong.body.errors?.[0]?.field]).toEqual([400, "cursor"])
    expect((yield* api.get<ProblemBody>("/v1/allocations?financialYear=2015-16")).status).toBe(400)
  }))

EffectTest.effect("a financial return is accepted for processing (202), then acknowledged as accepted on processing", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const body = yield* goodReturn(api, "08Q", "2015/16", "M6")
    const res = yield* api.post<SubmissionStatus>("/v1/financial-returns", body)
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ kind: "financial-return", status: "pending", version: 1, month: "M6", acknowledgementId: null })
    expect(res.headers.get("location")).toBe(`/v1/submissions/${res.body.submissionId}`)
    expect((yield* acksAfter(api)).data).toEqual([])
    const processed = yield* api.post<{ processed: ReadonlyArray<string> }>("/_sim/process")
    expect(processed.body.processed).toEqual([res.body.submissionId])
    const acks = (yield* acksAfter(api)).data
    expect(acks).toHaveLength(1)
    expect(acks[0]).toMatchObject({ submissionId: res.body.submissionId, outcome: "accepted", reasons: [], supersedes: null, sequence: 1 })
    const status = yield* api.get<SubmissionStatus>(`/v1/submissions/${res.body.submissionId}`)
    expect(status.body).toMatchObject({ status: "accepted", acknowledgementId: acks[0]?.acknowledgementId })
  }))

EffectTest.effect("a return breaking the rules is rejected with every reason", () =>
  Effect.gen(function* () {
    const { api } = yield* serve({ today: "2016-09-15" })
    const good = yield* goodReturn(api, "08Q", "2016/17", "M6")
    const bad = { ...good, totals: { ...good.totals, forecastOutturn: "1.00" }, allocation: "5.00" }
    yield* api.post("/v1/financial-returns", bad)
    yield* api.post("/v1/financial-returns", { ...good, commissionerCode: "ZZZ" })
    yield* api.post("/v1/financial-returns", { ...good, commissionerCode: "72Q" })
    yield* api.post("/_sim/process")
    const acks = (yield* acksAfter(api)).data
    const codes = (i: number) => acks[i]?.reasons.map((r) => `${r.code}@${r.field}`)
    expect(acks.map((a) => a.outcome)).toEqual(["rejected", "rejected", "rejected"])
    expect(codes(0)).toEqual(["PERIOD_IN_FUTURE@month", "TOTALS_MISMATCH@totals.forecastOutturn", "PLAN_NOT_EQUAL_ALLOCATION@totals.plan", "ALLOCATION_MISMATCH@allocation"])
    expect(codes(1)).toContain("UNKNOWN_COMMISSIONER@commissionerCode")
    expect(codes(2)).toContain("COMMISSIONER_NOT_OPERATIONAL@commissionerCode")
  }))

EffectTest.effect("running costs above the cap are accepted with a warning", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const good = yield* goodReturn(api, "08K", "2017/18", "M3")
    const lines = good.lines.map((l) => (l.category === "running-costs" ? { ...l, forecastOutturn: Pounds.fromPence((Pounds.toPence(l.plan) as number) + 100) } : l))
    const forecast = lines.reduce((s, l) => s + (Pounds.toPence(l.forecastOutturn) as number), 0)
    yield* api.post("/v1/financial-returns", { ...good, lines, totals: { ...good.totals, forecastOutturn: Pounds.fromPence(forecast) } })
    yield* api.post("/_sim/process")
    const [ack] = (yield* acksAfter(api)).data
    expect(ack?.outcome).toBe("accepted")
    expect(ack?.warnings.map((w) => `${w.code}@${w.field}`)).toEqual(["RUNNING_COSTS_ABOVE_CAP@lines[2].forecastOutturn"])
  }))

EffectTest.effect("a corrected return is version 2 and supersedes version 1; a rejected version 3 supersedes nothing", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const good = yield* goodReturn(api, "08Q", "2015/16", "M6")
    const v1 = yield* api.post<SubmissionStatus>("/v1/financial-returns", good, { "idempotency-key": "fr-08Q-2015-M6-v1" })
    yield* api.post("/_sim/process")
    const corrected = { ...good, lines: good.lines.map((l) => ({ ...l })), totals: { ...good.totals } }
    const v2 = yield* api.post<SubmissionStatus>("/v1/financial-returns", corrected, { "idempotency-key": "fr-08Q-2015-M6-v2" })
    const v3 = yield* api.post<SubmissionStatus>("/v1/financial-returns", { ...good, allocation: "1.00" }, { "idempotency-key": "fr-08Q-2015-M6-v3" })
    expect([v1.body.version, v2.body.version, v3.body.version]).toEqual([1, 2, 3])
    yield* api.post("/_sim/process")
    const acks = (yield* acksAfter(api)).data
    expect(acks.map((a) => [a.version, a.outcome, a.supersedes])).toEqual([
      [1, "accepted", null],
      [2, "accepted", v1.body.submissionId],
      [3, "rejected", null]
    ])
    expect((yield* api.get<SubmissionStatus>(`/v1/submissions/${v1.body.submissionId}`)).body.status).toBe("superseded")
    expect((yield* api.get<SubmissionStatus>(`/v1/submissions/${v2.body.submissionId}`)).body.status).toBe("accepted")
    const other = yield* api.post<SubmissionStatus>("/v1/financial-returns", { ...good, month: "M7" })
    expect(other.body.version).toBe(1)
  }))

EffectTest.effect("an idempotency key makes a repeated submission the same submission, acknowledged once", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const good = yield* goodReturn(api, "07R", "2018/19", "M12")
    const first = yield* api.post<SubmissionStatus>("/v1/financial-returns", good, { "idempotency-key": "k1" })
    const again = yield* api.post<SubmissionStatus>("/v1/financial-returns", good, { "idempotency-key": "k1" })
    expect([again.status, again.body, again.headers.get("idempotent-replayed"), again.headers.get("location")])
      .toEqual([202, first.body, "true", `/v1/submissions/${first.body.submissionId}`])
    const clash = yield* api.post("/v1/financial-returns", { ...good, month: "M11" }, { "idempotency-key": "k1" })
    expect(clash.status).toBe(422)
    yield* api.post("/_sim/process")
    expect((yield* acksAfter(api)).data).toHaveLength(1)
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(1)
  }))

EffectTest.effect("malformed submissions are 400 naming each field and create nothing", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const good = yield* goodReturn(api, "08Q", "2015/16", "M6")
    const res = yield* api.post<ProblemBody>("/v1/financial-returns", {
      ...good,
      month: "M13",
      lines: [...good.lines, { ...good.lines[0], plan: "12,000.00" }]
    })
    expect(res.status).toBe(400)
    expect(res.body.errors?.map((e) => e.field)).toEqual(["month", "lines[3].plan"])
    const dup = yield* api.post<ProblemBody>("/v1/financial-returns", { ...good, lines: [...good.lines, good.lines[0]] })
    expect([dup.status, dup.body.errors?.map((e) => e.field)]).toEqual([400, ["lines[3].category"]])
    const decl = yield* api.post<ProblemBody>("/v1/co-commissioning-declarations", { commissionerCode: "08Q", financialYear: "2015/16", level: "full", effectiveFrom: "2015-02-30" })
    expect(decl.body.errors?.map((e) => e.field)).toEqual(["level", "effectiveFrom"])
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(0)
  }))

const declaration = (code: string, fy: string, level: string, effectiveFrom = `${fy.slice(0, 4)}-04-01`) =>
  ({ commissionerCode: code, financialYear: fy, level, effectiveFrom, approvedOn: `${fy.slice(0, 4)}-01-28` })

EffectTest.effect("co-commissioning moves up at most one level a year, from 1 April, from 2015/16", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    // Southwark: joint from 1 April 2015, delegation possible from 1 April 2016 (southwark-2015 §1).
    yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"))
    yield* api.post("/_sim/process")
    yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2016/17", "delegated-commissioning"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08K", "2015/16", "delegated-commissioning"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08L", "2015/16", "joint-commissioning", "2015-07-01"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08L", "2014/15", "greater-involvement"))
    yield* api.post("/_sim/process")
    const acks = (yield* acksAfter(api)).data
    expect(acks.map((a) => [a.commissionerCode, a.financialYear, a.outcome, a.reasons.map((r) => r.code)])).toEqual([
      ["08Q", "2015/16", "accepted", []],
      ["08Q", "2016/17", "accepted", []],
      ["08K", "2015/16", "rejected", ["LEVEL_JUMP"]],
      ["08L", "2015/16", "rejected", ["EFFECTIVE_DATE_NOT_1_APRIL"]],
      ["08L", "2014/15", "rejected", ["BEFORE_CO_COMMISSIONING"]]
    ])
    expect(acks.every((a) => !("month" in a))).toBe(true)
  }))

EffectTest.effect("the acknowledgement stream resumes from its last cursor with only the new acknowledgements", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08K", "2015/16", "joint-commissioning"))
    yield* api.post("/_sim/process")
    const first = yield* acksAfter(api)
    expect([first.data.length, first.hasMore]).toEqual([2, false])
    expect((yield* acksAfter(api, first.nextCursor)).data).toEqual([])
    yield* api.post("/v1/co-commissioning-declarations", declaration("08L", "2015/16", "joint-commissioning"))
    yield* api.post("/_sim/process")
    const later = yield* acksAfter(api, first.nextCursor)
    expect(later.data.map((a) => [a.sequence, a.commissionerCode])).toEqual([[3, "08L"]])
    const paged = yield* api.get<Page<Acknowledgement>>("/v1/acknowledgements?limit=1")
    const rest = yield* api.get<Page<Acknowledgement>>(`/v1/acknowledgements?limit=5&cursor=${paged.body.nextCursor}`)
    expect([...paged.body.data, ...rest.body.data].map((a) => a.sequence)).toEqual([1, 2, 3])
  }))

EffectTest.effect("with processAfterMs, submissions are acknowledged on their own after the delay", () =>
  Effect.gen(function* () {
    const { api } = yield* serve({ processAfterMs: 100 })
    const res = yield* api.post<SubmissionStatus>("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"))
    expect((yield* acksAfter(api)).data).toEqual([])
    yield* Effect.sleep("400 millis")
    const acks = (yield* acksAfter(api)).data
    expect(acks.map((a) => a.submissionId)).toEqual([res.body.submissionId])
  }))

EffectTest.effect("authentication: no or wrong token is 401, a read-only token cannot submit (403)", () =>
  Effect.gen(function* () {
    const { api, anonymous } = yield* serve()
    expect((yield* anonymous.get("/v1/health")).status).toBe(401)
    expect((yield* anonymous.get("/v1/health", { authorization: "Bearer wrong" })).status).toBe(401)
    expect((yield* api.get("/v1/health")).body).toEqual({ status: "ok", system: "nhs-england-returns", apiVersion: "1" })
    const ro = yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"), { authorization: "Bearer nhse-read-token" })
    expect(ro.status).toBe(403)
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(0)
  }))

EffectTest.effect("a 5xx before the submission is taken creates nothing; the retry with the same key is taken once", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    const body = declaration("08Q", "2015/16", "joint-commissioning")
    yield* api.post("/_sim/faults", { pathPrefix: "/v1/co-commissioning", status5xx: { count: 1, status: 502 } })
    expect((yield* api.post("/v1/co-commissioning-declarations", body, { "idempotency-key": "d1" })).status).toBe(502)
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(0)
    expect((yield* api.post("/v1/co-commissioning-declarations", body, { "idempotency-key": "d1" })).status).toBe(202)
    expect((yield* api.post("/v1/co-commissioning-declarations", body, { "idempotency-key": "d1" })).status).toBe(202)
    expect((yield* api.get<{ count: number }>("/_sim/submissions")).body.count).toBe(1)
  }))

EffectTest.effect("faults on the streams: 429 with Retry-After, malformed and duplicate rows, then recovery", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    yield* api.post("/_sim/faults", { rateLimit: { count: 1, retryAfterSeconds: 9 } })
    const limited = yield* api.get("/v1/allocations")
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "9"])
    const bad = yield* api.get<Page<Record<string, unknown>>>("/v1/allocations?limit=4", { "x-sim-fault": "malformed-rows,duplicate-rows" })
    expect(bad.body.data).toHaveLength(5)
    expect(bad.body.data.filter((a) => a["amount"] === "n/a")).toHaveLength(1)
    yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08K", "2015/16", "joint-commissioning"))
    yield* api.post("/v1/co-commissioning-declarations", declaration("08L", "2015/16", "joint-commissioning"))
    yield* api.post("/_sim/process")
    const acks = yield* api.get<Page<Record<string, unknown>>>("/v1/acknowledgements", { "x-sim-fault": "malformed-rows" })
    expect(acks.body.data.filter((a) => !("outcome" in a))).toHaveLength(1)
    expect((yield* acksAfter(api)).data.every((a) => a.outcome === "accepted")).toBe(true)
  }))

EffectTest.effect("reset forgets submissions, acknowledgements and versions", () =>
  Effect.gen(function* () {
    const { api } = yield* serve()
    yield* api.post("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"), { "idempotency-key": "r" })
    yield* api.post("/_sim/process")
    yield* api.post("/_sim/reset")
    expect((yield* acksAfter(api)).data).toEqual([])
    const again = yield* api.post<SubmissionStatus>("/v1/co-commissioning-declarations", declaration("08Q", "2015/16", "joint-commissioning"), { "idempotency-key": "r" })
    expect([again.body.version, again.headers.get("idempotent-replayed")]).toEqual([1, null])
  }))

EffectTest.effect("a given version is used; an older one than already received is rejected as STALE_VERSION", () =>
  Effect.gen(function* () {
    const { api } = yield* serve({ today: "2016-06-30" })
    const v3 = yield* api.post<SubmissionStatus>("/v1/co-commissioning-declarations", { ...declaration("08Q", "2015/16", "joint-commissioning"), version: 3 }, { "idempotency-key": "v3" })
    const v2 = yield* api.post<SubmissionStatus>("/v1/co-commissioning-declarations", { ...declaration("08Q", "2015/16", "joint-commissioning"), version: 2 }, { "idempotency-key": "v2" })
    const again3 = yield* api.post<SubmissionStatus>("/v1/co-commissioning-declarations", { ...declaration("08Q", "2015/16", "joint-commissioning"), version: 3 }, { "idempotency-key": "v3-resent" })
    expect([v3.body.version, v2.body.version, again3.body.version]).toEqual([3, 2, 3])
    expect(v3.body).toMatchObject({ idempotencyKey: "v3", receivedAt: "2016-06-30T09:00:00Z" })
    yield* api.post("/_sim/process")
    const acks = (yield* acksAfter(api)).data
    expect(acks.map((a) => [a.version, a.outcome, a.reasons.map((r) => r.code), a.supersedes])).toEqual([
      [3, "accepted", [], null],
      [2, "rejected", ["STALE_VERSION"], null],
      [3, "accepted", [], v3.body.submissionId]
    ])
    expect(acks[0]).toMatchObject({ idempotencyKey: "v3", receivedAt: "2016-06-30T09:00:00Z", acknowledgedAt: "2016-06-30T09:00:03Z" })
  }))
