/**
 * The tests of delegations recorded through the API, written once and run against each backend (PGlite in the
 * unit tests, PostgreSQL in the integration tests). Each backend gets a store of its own.
 */
import { Delegation } from "@hub/domain"
import { EffectTest } from "@hub/testing"
import { Data, Effect, Schema } from "effect"
import { describe, expect } from "vitest"
import * as AuditLog from "../AuditLog.ts"
import { DelegationRepo } from "../DelegationRepo.ts"
import type { Backend } from "./Backends.ts"

/** A delegation through the kernel's schema (so codes are branded and periods valid), with fields overridden. */
const delegation = (id: string, overrides: Record<string, unknown> = {}): Delegation.Delegation =>
  Schema.decodeUnknownSync(Delegation.Delegation)({
    id,
    function: "contract-management",
    delegator: "5LE",
    delegate: { _tag: "Body", code: "JC-SEL" },
    population: ["5LE", "E09000028"],
    period: { opened: "2010-07-01", closed: "2013-04-01" },
    source: "southwark-2010 §2",
    ...overrides
  })

class Refused extends Data.TaggedError("Refused")<{ readonly seen: ReadonlyArray<string> }> {}

/** Admits a delegation only when no recorded one has the same function and delegator: a stand-in for the rules. */
const noSecondFor = (candidate: Delegation.Delegation) => (recorded: ReadonlyArray<Delegation.Delegation>) =>
  recorded.some((d) => d.function === candidate.function && d.delegator === candidate.delegator)
    ? Effect.fail(new Refused({ seen: recorded.map((d) => d.id) }))
    : Effect.void

export const delegationSuite = (backend: Backend): void => {
  describe(`recorded delegations on ${backend.name}`, () => {
    const store = EffectTest.layer(backend.layer())

    store.effect("a recorded delegation reads back whole, with its status made explicit, and is audited with the actor", () =>
      Effect.gen(function*() {
        const repo = yield* DelegationRepo
        const joint = delegation("rt-joint", {
          function: "primary-care-commissioning",
          delegator: "X24",
          delegate: { _tag: "Joint", members: ["08Q", "X24"] },
          population: ["08Q"],
          period: { opened: "2015-04-01" },
          level: "joint",
          status: "proposed"
        })
        const recorded = yield* repo.record(joint, () => Effect.void).pipe(Effect.provideService(AuditLog.Actor, "api-key:rt"))
        expect(recorded.delegation).toEqual(joint)
        const plain = yield* repo.record(delegation("rt-plain"), () => Effect.void)
        expect(plain.delegation).toEqual({ ...delegation("rt-plain"), status: "agreed" })
        expect(plain.seq).toBeGreaterThan(recorded.seq)
        expect(yield* repo.page({ delegate: "08Q" })).toEqual([recorded])

        const entries = yield* (yield* AuditLog.AuditLog).list({ entityType: "delegation", entityKey: "rt-joint" })
        expect(entries).toEqual([expect.objectContaining({ actor: "api-key:rt", action: "delegation.record", after: { ...joint } })])
      }))

    store.effect("a refusal by admit, or a taken id, stores nothing and audits nothing", () =>
      Effect.gen(function*() {
        const repo = yield* DelegationRepo
        const first = delegation("ref-1", { delegator: "5LG" })
        yield* repo.record(first, noSecondFor(first))
        const second = delegation("ref-2", { delegator: "5LG", delegate: { _tag: "Body", code: "JC-LSL" } })
        const refused = yield* Effect.flip(repo.record(second, noSecondFor(second)))
        expect(refused).toEqual(new Refused({ seen: expect.arrayContaining(["ref-1"]) as unknown as ReadonlyArray<string> }))
        const taken = yield* Effect.flip(repo.record(delegation("ref-1", { delegator: "5LF" }), () => Effect.void))
        expect(taken._tag).toBe("AlreadyExists")
        expect((yield* repo.page({ delegator: "5LG" })).map((r) => r.delegation.id)).toEqual(["ref-1"])
        expect(yield* repo.page({ delegator: "5LF" })).toEqual([])
        const log = yield* AuditLog.AuditLog
        expect(yield* log.list({ entityType: "delegation", entityKey: "ref-2" })).toEqual([])
        expect(yield* log.list({ entityType: "delegation", entityKey: "ref-1" })).toHaveLength(1)
      }))

    store.effect("pages filter by function, delegator, delegate, any role, date and status, and follow seq", () =>
      Effect.gen(function*() {
        const repo = yield* DelegationRepo
        const a = delegation("pg-a", { delegator: "P1A", delegate: { _tag: "Body", code: "P1B" }, population: ["P1C"], period: { opened: "2011-04-01", closed: "2012-04-01" } })
        const b = delegation("pg-b", { delegator: "P1A", delegate: { _tag: "Joint", members: ["P1D", "P1E"] }, population: ["P1A"], period: { opened: "2012-04-01" }, status: "proposed" })
        const c = delegation("pg-c", { function: "financial-control", delegator: "P1F", delegate: { _tag: "Body", code: "P1A" }, population: ["P1F"], period: { opened: "2012-04-01" } })
        for (const d of [a, b, c]) yield* repo.record(d, () => Effect.void)
        const ids = (filter: Parameters<typeof repo.page>[0]) => repo.page(filter).pipe(Effect.map((rows) => rows.map((r) => r.delegation.id)))
        expect(yield* ids({ delegator: "P1A" })).toEqual(["pg-a", "pg-b"])
        expect(yield* ids({ delegate: "P1E" })).toEqual(["pg-b"])
        expect(yield* ids({ body: "P1A" })).toEqual(["pg-a", "pg-b", "pg-c"])
        expect(yield* ids({ body: "P1C" })).toEqual(["pg-a"])
        expect(yield* ids({ body: "P1A", function: "financial-control" })).toEqual(["pg-c"])
        expect(yield* ids({ body: "P1A", asAt: "2011-06-01" })).toEqual(["pg-a"])
        expect(yield* ids({ body: "P1A", asAt: "2012-04-01" })).toEqual(["pg-b", "pg-c"])
        expect(yield* ids({ body: "P1A", status: "proposed" })).toEqual(["pg-b"])
        expect(yield* ids({ id: "pg-b" })).toEqual(["pg-b"])
        const [first] = yield* repo.page({ body: "P1A", limit: 1 })
        expect(first?.delegation.id).toBe("pg-a")
        expect(yield* ids({ body: "P1A", afterSeq: first!.seq })).toEqual(["pg-b", "pg-c"])
      }))

    store.effect("two records racing for the same rule are serialised: the second sees the first and is refused", () =>
      Effect.gen(function*() {
        const repo = yield* DelegationRepo
        const one = delegation("race-1", { delegator: "R1A" })
        const two = delegation("race-2", { delegator: "R1A", delegate: { _tag: "Body", code: "JC-LSL" } })
        // The first holds its transaction open while the second starts; without the lock both would see nothing.
        const slow = (recorded: ReadonlyArray<Delegation.Delegation>) => Effect.andThen(Effect.sleep("300 millis"), noSecondFor(one)(recorded))
        const results = yield* Effect.all([
          Effect.result(repo.record(one, slow)),
          Effect.result(Effect.andThen(Effect.sleep("50 millis"), repo.record(two, noSecondFor(two))))
        ], { concurrency: 2 })
        expect(results.map((r) => r._tag)).toEqual(["Success", "Failure"])
        expect((yield* repo.page({ delegator: "R1A" })).map((r) => r.delegation.id)).toEqual(["race-1"])
      }))
  })
}
