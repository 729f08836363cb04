import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "./CalendarDate.ts"
import type * as Codes from "./Codes.ts"
import * as Decision from "./Decision.ts"
import * as Organisation from "./Organisation.ts"
import * as Registry from "./Registry.ts"

const d = CalendarDate.unsafeMake
const code = (c: string) => c as Codes.BodyCode

/** A Local Commissioning Group of `size` PCTs; the last one leaves on 2010-04-01. The SHA is only nominated. */
const registryWithGroup = (size: number): Registry.Registry => {
  const pcts = Array.from({ length: size }, (_, i) => `P${i + 1}`)
  const result = Registry.make(
    Schema.decodeUnknownSync(Organisation.OrganisationData)({
      bodies: [
        ...pcts.map((c) => ({ code: c, name: c, kind: "primary-care-trust", statutory: true, period: { opened: "2006-10-01", closed: "2013-04-01" } })),
        { code: "LCG", name: "LCG", kind: "local-commissioning-group", statutory: false, period: { opened: "2006-10-01", closed: "2013-04-01" } },
        { code: "Q36", name: "NHS London", kind: "strategic-health-authority", statutory: true, period: { opened: "2006-07-01", closed: "2013-04-01" } }
      ],
      relationships: [
        ...pcts.map((c, i) => ({
          type: "member-of",
          from: c,
          to: "LCG",
          period: i === size - 1 ? { opened: "2006-10-01", closed: "2010-04-01" } : { opened: "2006-10-01", closed: "2013-04-01" }
        })),
        { type: "nominated-to", from: "Q36", to: "LCG", period: { opened: "2006-10-01", closed: "2013-04-01" } }
      ],
      successions: []
    })
  )
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  return result.success
}

const votes = (choices: ReadonlyArray<Decision.Choice>): ReadonlyArray<Decision.Vote> =>
  choices.map((choice, i) => ({ voter: code(`P${i + 1}`), choice }))

describe("collective procurement (london-2006 §111)", () => {
  const reg = registryWithGroup(5)

  it("exactly 75% of the members carries", () => {
    // On 2011-01-01 P5 has left: four members, three for is exactly 75%.
    const outcome = Result.getOrThrow(Decision.collectiveProcurement(reg, "LCG", d("2011-01-01"), votes(["for", "for", "for", "against"])))
    expect(outcome.entitled).toEqual(["P1", "P2", "P3", "P4"])
    expect(outcome.required).toBe(3)
    expect(outcome.carried).toBe(true)
  })

  it("members who are absent count: 3 of 5 members is 60% even if only 3 attended", () => {
    const outcome = Result.getOrThrow(Decision.collectiveProcurement(reg, "LCG", d("2009-01-01"), votes(["for", "for", "for"])))
    expect(outcome.entitled).toHaveLength(5)
    expect(outcome.notVoting).toEqual(["P4", "P5"])
    expect(outcome.required).toBe(4)
    expect(outcome.carried).toBe(false)
  })

  it("a vote from a body that is not a member on the date is a violation naming it", () => {
    const result = Decision.collectiveProcurement(reg, "LCG", d("2011-01-01"), [
      ...votes(["for", "for", "for", "for"]),
      { voter: code("P5"), choice: "for" },
      { voter: code("Q36"), choice: "for" },
      { voter: code("P1"), choice: "against" }
    ])
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure.violations.map((v) => [v.rule, v.bodies[0]])).toEqual([
        ["decision/non-member-vote", "P5"],
        ["decision/non-member-vote", "Q36"],
        ["decision/duplicate-vote", "P1"]
      ])
      expect(result.failure.violations[0]!.source).toBe("london-2006 §111")
      expect(result.failure.violations[0]!.dates).toEqual(["2011-01-01"])
    }
  })

  it("a group with no members on the date cannot carry anything", () => {
    const result = Decision.collectiveProcurement(reg, "LCG", d("2014-01-01"), [])
    expect(Result.isFailure(result) && result.failure.violations.map((v) => [v.rule, v.bodies])).toEqual([["decision/no-members", ["LCG"]]])
  })

  it("carried exactly when at least three quarters of all members vote for", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((size) =>
          fc.tuple(fc.constant(size), fc.array(fc.constantFrom<Decision.Choice>("for", "against", "abstain"), { minLength: 0, maxLength: size - 1 }))
        ),
        ([size, choices]) => {
          // On 2009-01-01 all `size` PCTs are members.
          const outcome = Result.getOrThrow(Decision.collectiveProcurement(registryWithGroup(size), "LCG", d("2009-01-01"), votes(choices)))
          const forCount = choices.filter((c) => c === "for").length
          expect(outcome.carried).toBe(forCount / size >= 0.75)
          expect(outcome.votesFor + outcome.votesAgainst + outcome.abstentions + outcome.notVoting.length).toBe(size)
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe("service development and reconfiguration process (london-2006 §112)", () => {
  const start = Decision.propose("major-reconfiguration", code("LCG"), [code("P2"), code("P1")])

  it("agreed in advance, reviewed, mediated, escalated to the SHA, then signed off by every sponsoring board", () => {
    const result = Decision.applyAll(start, [
      { _tag: "AgreeProcess" },
      { _tag: "StartReview" },
      { _tag: "Disagree" },
      { _tag: "EscalateToSha", sha: code("Q36") },
      { _tag: "ReachAgreement" },
      { _tag: "SignOff", board: code("P1") }
    ])
    const partly = Result.getOrThrow(result)
    expect(partly.state).toBe("agreed")
    expect(partly.escalatedTo).toBe("Q36")
    const done = Result.getOrThrow(Decision.apply(partly, { _tag: "SignOff", board: code("P2") }))
    expect(done.state).toBe("signed-off")
    expect(done.history.map((h) => h.to)).toEqual([
      "process-agreed",
      "in-review",
      "in-mediation",
      "escalated-to-sha",
      "agreed",
      "agreed",
      "signed-off"
    ])
  })

  it("reviewing before the process is agreed is an illegal transition naming both states", () => {
    const result = Decision.apply(start, { _tag: "StartReview" })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure).toBeInstanceOf(Decision.IllegalTransition)
      expect(result.failure).toMatchObject({ _tag: "IllegalTransition", from: "proposed", to: "in-review", event: "StartReview" })
    }
  })

  it("the SHA is asked only after mediation by the chair has failed", () => {
    const reviewing = Result.getOrThrow(Decision.applyAll(start, [{ _tag: "AgreeProcess" }, { _tag: "StartReview" }]))
    const result = Decision.apply(reviewing, { _tag: "EscalateToSha", sha: code("Q36") })
    expect(Result.isFailure(result) && result.failure).toMatchObject({ from: "in-review", to: "escalated-to-sha" })
  })

  it("sign-off comes after agreement, and only from a sponsoring board", () => {
    const reviewing = Result.getOrThrow(Decision.applyAll(start, [{ _tag: "AgreeProcess" }, { _tag: "StartReview" }]))
    const early = Decision.apply(reviewing, { _tag: "SignOff", board: code("P1") })
    expect(Result.isFailure(early) && early.failure).toMatchObject({ _tag: "IllegalTransition", from: "in-review", to: "signed-off" })
    const agreed = Result.getOrThrow(Decision.apply(reviewing, { _tag: "ReachAgreement" }))
    const stranger = Decision.apply(agreed, { _tag: "SignOff", board: code("P9") })
    expect(Result.isFailure(stranger) && stranger.failure).toMatchObject({ _tag: "NotASponsoringBoard", board: "P9" })
  })

  it("a signed-off decision takes no further steps", () => {
    const done = Result.getOrThrow(
      Decision.applyAll(start, [
        { _tag: "AgreeProcess" },
        { _tag: "StartReview" },
        { _tag: "ReachAgreement" },
        { _tag: "SignOff", board: code("P1") },
        { _tag: "SignOff", board: code("P2") }
      ])
    )
    const again = Decision.apply(done, { _tag: "Disagree" })
    expect(Result.isFailure(again) && again.failure.message).toContain("from signed-off to in-mediation")
  })
})

describe("votes required", () => {
  it("is the smallest count reaching three quarters of the members", () => {
    for (const [size, required] of [[1, 1], [2, 2], [3, 3], [4, 3], [5, 4], [8, 6], [31, 24]] as const) {
      const choices = Array.from({ length: size }, () => "against" as const)
      const outcome = Result.getOrThrow(Decision.collectiveProcurement(registryWithGroup(size), "LCG", d("2009-01-01"), votes(choices)))
      expect(outcome.required).toBe(required)
    }
  })
})
