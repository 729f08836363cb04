/**
 * The Idempotency-Key repository's tests, written once and run against each backend (PGlite in the unit tests,
 * PostgreSQL in the integration tests). Each test uses its own key owner, so tests never see each other's keys.
 */
import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect } from "vitest"
import { IdempotencyRepo } from "../IdempotencyRepo.ts"
import type { Backend } from "./Backends.ts"

const lease = { leaseMs: 60_000 }
const response = { status: 202, contentType: "application/json", body: "{\"jobId\":\"push.1\"}" }

export const idempotencySuite = (backend: Backend): void => {
  describe(`idempotency keys on ${backend.name}`, () => {
    const store = EffectTest.layer(backend.layer())

    store.effect("a key is claimed once; the same request then finds it in flight, then completed with its response", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        const request = { owner: "life", key: "k-1", fingerprint: "fp-a", ...lease }
        expect(yield* repo.claim(request)).toEqual({ _tag: "Claimed" })
        expect(yield* repo.claim(request)).toEqual({ _tag: "InFlight" })
        expect(yield* repo.complete({ ...request, response, retainMs: 86_400_000 })).toBe(true)
        expect(yield* repo.claim(request)).toEqual({ _tag: "Completed", response })
        // Completing again is not this request's any more: the stored answer stays.
        expect(yield* repo.complete({ ...request, response: { ...response, status: 500 }, retainMs: 1 })).toBe(false)
        expect(yield* repo.claim(request)).toEqual({ _tag: "Completed", response })
      }))

    store.effect("the same key with a different fingerprint is a mismatch, in flight or completed", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        const request = { owner: "mismatch", key: "k-1", fingerprint: "fp-a", ...lease }
        yield* repo.claim(request)
        expect(yield* repo.claim({ ...request, fingerprint: "fp-b" })).toEqual({ _tag: "Mismatch" })
        yield* repo.complete({ ...request, response, retainMs: 86_400_000 })
        expect(yield* repo.claim({ ...request, fingerprint: "fp-b" })).toEqual({ _tag: "Mismatch" })
      }))

    store.effect("keys belong to their owner: another client may use the same key", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        yield* repo.claim({ owner: "owner-a", key: "shared", fingerprint: "fp-a", ...lease })
        expect(yield* repo.claim({ owner: "owner-b", key: "shared", fingerprint: "fp-b", ...lease })).toEqual({ _tag: "Claimed" })
      }))

    store.effect("of many concurrent claims of one key exactly one wins", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        for (const round of [1, 2, 3]) {
          const request = { owner: "race", key: `k-${round}`, fingerprint: "fp", ...lease }
          const claims = yield* Effect.all(Array.from({ length: 8 }, () => repo.claim(request)), { concurrency: "unbounded" })
          expect(claims.filter((c) => c._tag === "Claimed")).toHaveLength(1)
          expect(claims.filter((c) => c._tag === "InFlight")).toHaveLength(7)
        }
      }))

    store.effect("a released claim can be claimed again; release leaves a completed record alone", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        const request = { owner: "release", key: "k-1", fingerprint: "fp-a", ...lease }
        yield* repo.claim(request)
        expect(yield* repo.release({ ...request, fingerprint: "fp-other" })).toBe(false)
        expect(yield* repo.release(request)).toBe(true)
        expect(yield* repo.claim(request)).toEqual({ _tag: "Claimed" })
        yield* repo.complete({ ...request, response, retainMs: 86_400_000 })
        expect(yield* repo.release(request)).toBe(false)
        expect(yield* repo.claim(request)).toEqual({ _tag: "Completed", response })
      }))

    store.effect("a claim whose lease ran out is taken over, and the late holder can no longer complete it", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        const dead = { owner: "lease", key: "k-1", fingerprint: "fp-dead", leaseMs: 0 }
        expect(yield* repo.claim(dead)).toEqual({ _tag: "Claimed" })
        const next = { ...dead, fingerprint: "fp-next", ...lease }
        expect(yield* repo.claim(next)).toEqual({ _tag: "Claimed" })
        expect(yield* repo.complete({ ...dead, response, retainMs: 86_400_000 })).toBe(false)
        expect(yield* repo.claim(next)).toEqual({ _tag: "InFlight" })
      }))

    store.effect("expired records are purged; live ones stay", () =>
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo
        const sql = yield* SqlClient.SqlClient
        const done = { owner: "purge", key: "old", fingerprint: "fp", ...lease }
        yield* repo.claim(done)
        yield* repo.complete({ ...done, response, retainMs: 0 })
        yield* repo.claim({ owner: "purge", key: "live", fingerprint: "fp", ...lease })
        expect(yield* repo.purgeExpired()).toBeGreaterThanOrEqual(1)
        const left = yield* sql<{ readonly idempotency_key: string }>`SELECT idempotency_key FROM idempotency_keys WHERE key_owner = 'purge'`
        expect(left.map((r) => r.idempotency_key)).toEqual(["live"])
      }))
  })
}
