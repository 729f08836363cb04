/**
 * Partnership decisions between PCTs (london-2006 §111-112, DOMAIN.md §5): collective procurement carried by a
 * 75% majority of the group's members, and the agreed process for service development and major reconfiguration
 * as a state machine whose illegal steps are typed errors.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type * as CalendarDate from "./CalendarDate.ts"
import * as Codes from "./Codes.ts"
import * as Registry from "./Registry.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// collective procurement
// ---------------------------------------------------------------------------------------------------------

/**
 * @category schemas
 * @since 0.1.0
 */
export const Choice = Schema.Literals(["for", "against", "abstain"])

/**
 * @category models
 * @since 0.1.0
 */
export type Choice = typeof Choice.Type

/**
 * One body's vote.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Vote = Schema.Struct({ voter: Codes.BodyCode, choice: Choice })

/**
 * @category models
 * @since 0.1.0
 */
export type Vote = typeof Vote.Type

/**
 * The outcome of a collective procurement vote: who was entitled to vote, the counts, the votes needed and
 * whether the proposal is carried.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProcurementOutcome {
  readonly group: string
  readonly date: CalendarDate.CalendarDate
  readonly entitled: ReadonlyArray<Codes.BodyCode>
  readonly votesFor: number
  readonly votesAgainst: number
  readonly abstentions: number
  readonly notVoting: ReadonlyArray<Codes.BodyCode>
  readonly required: number
  readonly carried: boolean
}

/**
 * The proportion of members needed (london-2006 §111), as a fraction.
 *
 * @category constants
 * @since 0.1.0
 */
export const procurementMajority = { numerator: 3, denominator: 4, source: "london-2006 §111" } as const

/**
 * Counts a collective procurement vote in `group` on `date`.
 *
 * Who counts: EVERY member of the group on the date (member-of relationships in force, `Registry.membersAt`)
 * is entitled to vote, whether or not present; absent members and abstentions count against carrying, exactly
 * like votes against. Nominees (nominated-to, such as the SHA's representative on the London Commissioning Group)
 * do not vote. The proposal is carried when `votesFor >= 75%` of the entitled members, computed exactly
 * (`4 * for >= 3 * entitled`): 3 of 4 carries, 2 of 3 does not.
 *
 * Violations, all reported together: `decision/non-member-vote` (a vote from a body not a member on the date),
 * `decision/duplicate-vote` (a member voting twice) and `decision/no-members` (the group has no members on the
 * date).
 *
 * @category decisions
 * @since 0.1.0
 */
export const collectiveProcurement = (
  registry: Registry.Registry,
  group: string,
  date: CalendarDate.CalendarDate,
  votes: ReadonlyArray<Vote>
): Result.Result<ProcurementOutcome, Violation.RuleViolations> => {
  const source = procurementMajority.source
  const entitled = Registry.membersAt(registry, group, date).map((b) => b.code)
  const violations: Array<Violation.Violation> = []
  if (entitled.length === 0) {
    violations.push(
      Violation.make("decision/no-members", `${group} has no members on ${date}, so nobody can carry a collective procurement`, {
        bodies: [group],
        dates: [date],
        source
      })
    )
  }
  const counted = new Map<string, Choice>()
  for (const v of votes) {
    if (!entitled.includes(v.voter)) {
      violations.push(
        Violation.make("decision/non-member-vote", `${v.voter} voted on a collective procurement of ${group} but is not a member of it on ${date}`, {
          bodies: [v.voter, group],
          dates: [date],
          source
        })
      )
    } else if (counted.has(v.voter)) {
      violations.push(
        Violation.make("decision/duplicate-vote", `${v.voter} voted more than once on a collective procurement of ${group}`, {
          bodies: [v.voter, group],
          dates: [date],
          source
        })
      )
    } else {
      counted.set(v.voter, v.choice)
    }
  }
  if (violations.length > 0) {
    return Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
  }
  const choices = [...counted.values()]
  const votesFor = choices.filter((c) => c === "for").length
  return Result.succeed({
    group,
    date,
    entitled,
    votesFor,
    votesAgainst: choices.filter((c) => c === "against").length,
    abstentions: choices.filter((c) => c === "abstain").length,
    notVoting: entitled.filter((c) => !counted.has(c)),
    // The smallest whole number of votes reaching 75%: ceil(3n / 4) in integers.
    required: Math.floor(
      (entitled.length * procurementMajority.numerator + procurementMajority.denominator - 1) / procurementMajority.denominator
    ),
    carried: votesFor * procurementMajority.denominator >= entitled.length * procurementMajority.numerator
  })
}

// ---------------------------------------------------------------------------------------------------------
// service development and major reconfiguration
// ---------------------------------------------------------------------------------------------------------

/**
 * The two categories decided by an agreed process rather than a vote (london-2006 §111-112).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProcessCategory = Schema.Literals(["service-development", "major-reconfiguration"])

/**
 * @category models
 * @since 0.1.0
 */
export type ProcessCategory = typeof ProcessCategory.Type

/**
 * Where a decision stands (london-2006 §112): proposed; decision process agreed in advance; under review;
 * in mediation by the chair after a disagreement; escalated to the SHA to facilitate a decision; agreed; signed
 * off by every sponsoring PCT board.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProcessState = Schema.Literals([
  "proposed",
  "process-agreed",
  "in-review",
  "in-mediation",
  "escalated-to-sha",
  "agreed",
  "signed-off"
])

/**
 * @category models
 * @since 0.1.0
 */
export type ProcessState = typeof ProcessState.Type

/**
 * What can happen to a decision.
 *
 * @category models
 * @since 0.1.0
 */
export type ProcessEvent =
  | { readonly _tag: "AgreeProcess" }
  | { readonly _tag: "StartReview" }
  | { readonly _tag: "Disagree" }
  | { readonly _tag: "EscalateToSha"; readonly sha: Codes.BodyCode }
  | { readonly _tag: "ReachAgreement" }
  | { readonly _tag: "SignOff"; readonly board: Codes.BodyCode }

/**
 * A decision under the agreed process: its category, the group taking it, the sponsoring PCT boards who must
 * sign it off, the current state, who has signed off, the SHA it was escalated to, and every step taken.
 *
 * @category models
 * @since 0.1.0
 */
export interface DecisionProcess {
  readonly category: ProcessCategory
  readonly group: Codes.BodyCode
  readonly sponsors: ReadonlyArray<Codes.BodyCode>
  readonly state: ProcessState
  readonly signedOffBy: ReadonlyArray<Codes.BodyCode>
  readonly escalatedTo?: Codes.BodyCode
  readonly history: ReadonlyArray<{ readonly event: ProcessEvent["_tag"]; readonly from: ProcessState; readonly to: ProcessState }>
}

/**
 * A step the process does not allow from the current state (reviewing before the process is agreed, escalating
 * without mediation first, signing off before agreement...). Names the state, the state the step leads to, and
 * the step.
 *
 * @category errors
 * @since 0.1.0
 */
export class IllegalTransition extends Schema.TaggedError<IllegalTransition>()("IllegalTransition", {
  from: ProcessState,
  to: ProcessState,
  event: Schema.String,
  source: Schema.String
}) {
  override get message(): string {
    return `a decision cannot go from ${this.from} to ${this.to} (${this.event}); see ${this.source}`
  }
}

/**
 * A sign-off by a board that does not sponsor the decision.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotASponsoringBoard extends Schema.TaggedError<NotASponsoringBoard>()("NotASponsoringBoard", {
  board: Schema.String,
  sponsors: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.board} is not a sponsoring board of this decision (sponsors: ${this.sponsors.join(", ")})`
  }
}

/**
 * The allowed steps: from which states each event may be taken, and where it leads.
 *
 * @category constants
 * @since 0.1.0
 */
export const transitions: { readonly [E in ProcessEvent["_tag"]]: { readonly from: ReadonlyArray<ProcessState>; readonly to: ProcessState } } = {
  AgreeProcess: { from: ["proposed"], to: "process-agreed" },
  StartReview: { from: ["process-agreed"], to: "in-review" },
  Disagree: { from: ["in-review"], to: "in-mediation" },
  EscalateToSha: { from: ["in-mediation"], to: "escalated-to-sha" },
  ReachAgreement: { from: ["in-review", "in-mediation", "escalated-to-sha"], to: "agreed" },
  SignOff: { from: ["agreed"], to: "signed-off" }
}

/**
 * A new decision in the `proposed` state.
 *
 * @category constructors
 * @since 0.1.0
 */
export const propose = (
  category: ProcessCategory,
  group: Codes.BodyCode,
  sponsors: readonly [Codes.BodyCode, ...Array<Codes.BodyCode>]
): DecisionProcess => ({ category, group, sponsors: [...new Set(sponsors)].sort(), state: "proposed", signedOffBy: [], history: [] })

/**
 * Takes one step. A sign-off by a sponsoring board is recorded, and the decision is `signed-off` once every
 * sponsor has signed (until then it stays `agreed`); signing twice changes nothing.
 *
 * @category transitions
 * @since 0.1.0
 */
export const apply = (
  process: DecisionProcess,
  event: ProcessEvent
): Result.Result<DecisionProcess, IllegalTransition | NotASponsoringBoard> => {
  const rule = transitions[event._tag]
  if (!rule.from.includes(process.state)) {
    return Result.fail(new IllegalTransition({ from: process.state, to: rule.to, event: event._tag, source: "london-2006 §112" }))
  }
  if (event._tag === "SignOff") {
    if (!process.sponsors.includes(event.board)) {
      return Result.fail(new NotASponsoringBoard({ board: event.board, sponsors: process.sponsors }))
    }
    const signedOffBy = [...new Set([...process.signedOffBy, event.board])].sort()
    const to: ProcessState = process.sponsors.every((s) => signedOffBy.includes(s)) ? "signed-off" : "agreed"
    return Result.succeed({ ...process, signedOffBy, state: to, history: [...process.history, { event: event._tag, from: process.state, to }] })
  }
  return Result.succeed({
    ...process,
    state: rule.to,
    ...(event._tag === "EscalateToSha" ? { escalatedTo: event.sha } : {}),
    history: [...process.history, { event: event._tag, from: process.state, to: rule.to }]
  })
}

/**
 * Takes the steps in order, stopping at the first illegal one.
 *
 * @category transitions
 * @since 0.1.0
 */
export const applyAll = (
  process: DecisionProcess,
  events: ReadonlyArray<ProcessEvent>
): Result.Result<DecisionProcess, IllegalTransition | NotASponsoringBoard> => {
  let current: Result.Result<DecisionProcess, IllegalTransition | NotASponsoringBoard> = Result.succeed(process)
  for (const event of events) {
    if (Result.isFailure(current)) return current
    current = apply(current.success, event)
  }
  return current
}
