import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { startServer } from "./Server.ts"
import * as Simulator from "./Simulator.ts"
import * as SubmissionRecorder from "./SubmissionRecorder.ts"

/** A simulator with one submission endpoint issuing receipt numbers. */
const serve = Effect.gen(function* () {
  const sim = Simulator.make({ name: "test-sim" })
  let receipts = 0
  sim.app.post("/v1/things", async (c) => {
    const body: unknown = await c.req.json()
    return sim.recorder.submit({
      kind: "thing",
      idempotencyKey: c.req.header(SubmissionRecorder.idempotencyKeyHeader),
      body,
      accept: () =>
        (body as { ok?: boolean }).ok === false
          ? { status: 422, body: { error: "not ok" } }
          : { status: 201, body: { receipt: ++receipts } }
    })
  })
  const server = yield* startServer(sim.app)
  const post = (body: unknown, key?: string) =>
    Effect.promise(async () => {
      const res = await fetch(`${server.url}/v1/things`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
        body: JSON.stringify(body)
      })
      return { status: res.status, replayed: res.headers.get("idempotent-replayed"), body: (await res.json()) as Record<string, unknown> }
    })
  const submissions = Effect.promise(() => fetch(`${server.url}/_sim/submissions`).then((r) => r.json() as Promise<{ count: number; submissions: ReadonlyArray<SubmissionRecorder.Submission> }>))
  return { post, submissions, url: server.url }
})

EffectTest.effect("the same key with the same body is the same submission: the stored response is replayed", () =>
  Effect.gen(function* () {
    const { post, submissions } = yield* serve
    const first = yield* post({ a: 1, b: [1, 2] }, "k-1")
    const again = yield* post({ b: [1, 2], a: 1 }, "k-1")
    expect(first).toEqual({ status: 201, replayed: null, body: { receipt: 1 } })
    expect(again).toEqual({ status: 201, replayed: "true", body: { receipt: 1 } })
    expect((yield* submissions).count).toBe(1)
  }))

EffectTest.effect("the same key with a different body is refused with 422 and records nothing", () =>
  Effect.gen(function* () {
    const { post, submissions } = yield* serve
    yield* post({ a: 1 }, "k-1")
    const clash = yield* post({ a: 2 }, "k-1")
    expect(clash.status).toBe(422)
    expect(clash.body.detail).toContain("k-1")
    expect((yield* submissions).count).toBe(1)
  }))

EffectTest.effect("different keys are different submissions; a rejected one is not recorded nor remembered", () =>
  Effect.gen(function* () {
    const { post, submissions, url } = yield* serve
    yield* post({ a: 1 }, "k-1")
    yield* post({ a: 1 }, "k-2")
    expect((yield* post({ ok: false }, "k-3")).status).toBe(422)
    expect((yield* post({ ok: true }, "k-3")).status).toBe(201)
    const listed = yield* submissions
    expect(listed.count).toBe(3)
    expect(listed.submissions.map((s) => s.idempotencyKey)).toEqual(["k-1", "k-2", "k-3"])
    yield* Effect.promise(() => fetch(`${url}/_sim/reset`, { method: "POST" }))
    expect((yield* submissions).count).toBe(0)
    expect((yield* post({ a: 1 }, "k-1")).replayed).toBeNull()
  }))

it("canonicalJson does not depend on key order", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
      const reversed = Object.fromEntries(Object.entries(record).reverse())
      expect(SubmissionRecorder.canonicalJson(reversed)).toBe(SubmissionRecorder.canonicalJson(record))
    })
  )
})

it("canonicalJson tells different values apart", () => {
  expect(SubmissionRecorder.canonicalJson({ a: "1" })).not.toBe(SubmissionRecorder.canonicalJson({ a: 1 }))
  expect(SubmissionRecorder.canonicalJson([1, 2])).not.toBe(SubmissionRecorder.canonicalJson([2, 1]))
})
