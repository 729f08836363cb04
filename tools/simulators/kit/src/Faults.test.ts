import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { expect, it } from "vitest"
import * as Faults from "./Faults.ts"
import { startServer } from "./Server.ts"
import * as Simulator from "./Simulator.ts"

/** A tiny simulator with one list endpoint that honours row faults. */
const makeSim = () => {
  const sim = Simulator.make({ name: "test-sim" })
  const rows = [{ id: 1, amount: "1.00" }, { id: 2, amount: "2.00" }, { id: 3, amount: "3.00" }]
  sim.app.get("/v1/rows", (c) =>
    c.json({ data: Faults.applyRowFaults(rows, sim.faults.rowFaults(c), (row) => ({ ...row, amount: "not money" })) }))
  sim.app.get("/v1/other", (c) => c.json({ ok: true }))
  return sim
}

interface Row { readonly id: number; readonly amount: string }
interface Page { readonly data: ReadonlyArray<Row> }
const json = <T>(res: Response): Effect.Effect<T> => Effect.promise(() => res.json() as Promise<T>)

const serve = Effect.gen(function* () {
  const sim = makeSim()
  const server = yield* startServer(sim.app)
  const get = (path: string, headers: Record<string, string> = {}) =>
    Effect.promise(() => fetch(`${server.url}${path}`, { headers }))
  const arm = (plan: unknown) =>
    Effect.promise(() =>
      fetch(`${server.url}/_sim/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(plan) }))
  return { sim, url: server.url, get, arm }
})

const statuses = (get: (p: string) => Effect.Effect<Response>, path: string, n: number) =>
  Effect.forEach(Array.from({ length: n }), () => Effect.map(get(path), (r) => r.status))

EffectTest.effect("status5xx fails the next N requests with that status, then the simulator recovers", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    expect((yield* arm({ status5xx: { count: 2, status: 502 } })).status).toBe(200)
    expect(yield* statuses(get, "/v1/rows", 3)).toEqual([502, 502, 200])
  }))

EffectTest.effect("rateLimit answers 429 with Retry-After N times", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    yield* arm({ rateLimit: { count: 1, retryAfterSeconds: 7 } })
    const limited = yield* get("/v1/rows")
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("7")
    expect(limited.headers.get("content-type")).toBe("application/problem+json")
    expect((yield* get("/v1/rows")).status).toBe(200)
  }))

EffectTest.effect("truncate sends part of the body and cuts the connection, once", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    yield* arm({ truncate: { count: 1 } })
    const res = yield* get("/v1/rows")
    expect(res.status).toBe(200)
    const read = yield* Effect.promise(() => res.text().then(() => "complete", () => "cut"))
    expect(read).toBe("cut")
    const next = yield* get("/v1/rows")
    expect((yield* json<Page>(next)).data).toHaveLength(3)
  }))

EffectTest.effect("latencyMs delays every matching request until reset", () =>
  Effect.gen(function* () {
    const { get, arm, url } = yield* serve
    yield* arm({ latencyMs: 600 })
    const started = performance.now()
    yield* get("/v1/rows")
    const slowed = performance.now() - started
    expect(slowed).toBeGreaterThanOrEqual(590)
    yield* Effect.promise(() => fetch(`${url}/_sim/faults`, { method: "DELETE" }))
    expect(yield* json<unknown>(yield* get("/_sim/faults"))).toEqual({})
    const again = performance.now()
    yield* get("/v1/rows")
    // Relative, so a loaded machine does not fail it: the delay is gone, not merely shorter.
    expect(performance.now() - again).toBeLessThan(slowed - 300)
  }))

EffectTest.effect("hang holds the request so a client timeout fires, then the next request is served", () =>
  Effect.gen(function* () {
    const { url, arm, get } = yield* serve
    yield* arm({ hang: { count: 1, ms: 5_000 } })
    const outcome = yield* Effect.promise(() =>
      fetch(`${url}/v1/rows`, { signal: AbortSignal.timeout(200) }).then(() => "answered", (e: Error) => e.name))
    expect(outcome).toBe("TimeoutError")
    expect((yield* get("/v1/rows")).status).toBe(200)
  }))

EffectTest.effect("dripBytesPerSecond feeds the body slowly but completely", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    yield* arm({ dripBytesPerSecond: 200 })
    const started = performance.now()
    const res = yield* get("/v1/rows")
    const body = yield* json<Page>(res)
    expect(body.data).toHaveLength(3)
    // ~90 bytes at 20 bytes per 100 ms tick: at least 4 ticks.
    expect(performance.now() - started).toBeGreaterThanOrEqual(350)
  }))

EffectTest.effect("malformedRows corrupts one row of the next N list pages; duplicateRows repeats one", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    yield* arm({ malformedRows: { count: 1 }, duplicateRows: { count: 1 } })
    const first = (yield* json<Page>(yield* get("/v1/rows"))).data
    expect(first.map((r) => r.id)).toEqual([1, 1, 2, 3])
    expect(first.filter((r) => r.amount === "not money")).toHaveLength(1)
    const second = (yield* json<Page>(yield* get("/v1/rows"))).data
    expect(second).toEqual([{ id: 1, amount: "1.00" }, { id: 2, amount: "2.00" }, { id: 3, amount: "3.00" }])
  }))

EffectTest.effect("per-request x-sim-fault headers inject a fault without arming anything", () =>
  Effect.gen(function* () {
    const { get } = yield* serve
    expect((yield* get("/v1/rows", { "x-sim-fault": "500" })).status).toBe(500)
    const limited = yield* get("/v1/rows", { "x-sim-fault": "429", "x-sim-retry-after": "3" })
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"])
    const dup = yield* json<Page>(yield* get("/v1/rows", { "x-sim-fault": "duplicate-rows" }))
    expect(dup.data).toHaveLength(4)
    expect((yield* get("/v1/rows")).status).toBe(200)
  }))

EffectTest.effect("pathPrefix limits faults to matching paths, and /_sim is never faulted", () =>
  Effect.gen(function* () {
    const { get, arm } = yield* serve
    yield* arm({ pathPrefix: "/v1/rows", status5xx: { count: 5 } })
    expect((yield* get("/v1/other")).status).toBe(200)
    expect((yield* get("/_sim/faults")).status).toBe(200)
    expect((yield* get("/v1/rows")).status).toBe(503)
    const left = yield* json<{ status5xx: { count: number } }>(yield* get("/_sim/faults"))
    expect(left.status5xx.count).toBe(4)
  }))

EffectTest.effect("an invalid fault plan is refused with 400 naming the field", () =>
  Effect.gen(function* () {
    const { arm } = yield* serve
    const res = yield* arm({ status5xx: { count: -1 }, rateLimit: { count: 1 } })
    expect(res.status).toBe(400)
    const body = yield* json<{ errors: ReadonlyArray<{ field: string }> }>(res)
    const fields = body.errors.map((e) => e.field)
    expect(fields).toContain("status5xx.count")
    expect(fields).toContain("rateLimit.retryAfterSeconds")
  }))

EffectTest.effect("a sequence plays its steps in order, one per request, before the other faults; a handled hang does the work and answers late", () =>
  Effect.gen(function* () {
    const { sim, url, arm } = yield* serve
    const handled = { count: 0 }
    sim.app.post("/v1/submit", (c) => {
      handled.count += 1
      return c.json({ handled: handled.count }, 202)
    })
    const post = Effect.promise(async () => {
      const started = performance.now()
      const res = await fetch(`${url}/v1/submit`, { method: "POST" })
      return { status: res.status, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started, handledThen: handled.count }
    })
    yield* arm({
      sequence: [{ status: 500 }, { status: 429, retryAfterSeconds: 3 }, { hangMs: 300 }, { hangMs: 300, handled: true }, {}],
      status5xx: { count: 1, status: 502 }
    })
    const answers = yield* Effect.forEach(Array.from({ length: 6 }), () => post)
    expect(answers.map((a) => a.status)).toEqual([500, 429, 504, 202, 202, 502])
    expect(answers[1]?.retryAfter).toBe("3")
    expect(answers[2]?.ms).toBeGreaterThanOrEqual(290)
    expect(answers[2]?.handledThen, "a plain hang never reaches the handler").toBe(0)
    expect(answers[3]?.ms, "the handled hang answers late").toBeGreaterThanOrEqual(290)
    expect(answers[3]?.handledThen).toBe(1)
    expect(handled.count, "the empty step passes; the 502 comes after the sequence").toBe(2)
  }))

it("applyRowFaults leaves a page untouched when no fault is due", () => {
  const rows = [1, 2, 3]
  expect(Faults.applyRowFaults(rows, { malformed: false, duplicate: false }, () => "bad")).toEqual([1, 2, 3])
  expect(Faults.applyRowFaults([], { malformed: true, duplicate: true }, () => "bad")).toEqual([])
})

it("in process (app.request, no socket) a truncated body errors when read", async () => {
  const sim = makeSim()
  sim.faults.set({ truncate: { count: 1 } })
  const res = await sim.app.request("/v1/rows")
  expect(res.status).toBe(200)
  await expect(res.text()).rejects.toThrow(/simulated truncation/)
  expect((await sim.app.request("/v1/rows")).status).toBe(200)
})

it("a fault plan with a member the kit does not know is refused, naming it (a typo never disarms silently)", () => {
  const plan = Faults.decodePlan({ timeoutMs: 5000, status5xx: { count: 1, stauts: 502 } })
  expect(plan._tag).toBe("Failure")
  const fields = plan._tag === "Failure" ? plan.failure.map((e) => e.field) : []
  expect(fields).toEqual(expect.arrayContaining(["timeoutMs", "status5xx.stauts"]))
})
