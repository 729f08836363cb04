/**
 * The delegation questions the API answers (DOMAIN.md §3): for a function, a body and a date, who is
 * accountable, who exercises it and through which chain; and whether a proposed set of delegations keeps every
 * rule against the registry.
 * Use cases are `Effect.fnUntraced`: `Effect.fn` captures a stack trace on every call, a measurable cost per
 * request.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes, Delegation, DelegationResolution, DelegationRules, type Violation } from "@hub/domain"
import { DelegationRepo, type StoreError } from "@hub/store"
import { Effect, Result, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import * as QueryParams from "../../http/QueryParams.ts"
import { orToday } from "../../http/Today.ts"
import { ReferenceData } from "../../ports/ReferenceData.ts"
import { NotFound } from "../../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * The query of `GET /v1/delegations/resolve`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ResolveQuery = Schema.Struct({
  function: Delegation.CommissioningFunction,
  body: Codes.BodyCode.annotate({ description: "The population asked about: a body (5LE) or an area (E09000028)." }),
  date: Schema.optionalKey(QueryParams.AsOf),
  includeProposed: Schema.optionalKey(Schema.Literals(["true", "false"]))
})

/**
 * @category models
 * @since 0.1.0
 */
export type ResolveQuery = typeof ResolveQuery.Type

/**
 * The answer (see `DelegationResolution.Resolution`), with the chain's path of bodies.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Resolution = Schema.Struct({
  function: Delegation.CommissioningFunction,
  subject: Schema.String,
  date: CalendarDate.CalendarDate,
  accountable: Codes.BodyCode,
  exercisedBy: Schema.Array(Codes.BodyCode),
  involved: Schema.Array(Codes.BodyCode),
  level: Schema.optionalKey(Delegation.CoCommissioningLevel),
  chain: Schema.Array(Delegation.Delegation),
  path: Schema.Array(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Resolution = typeof Resolution.Type

/**
 * The most records one check may carry.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxRecords = 1000

/**
 * The body of `POST /v1/delegations/check`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CheckBody = Schema.Struct({
  delegations: Schema.Array(Delegation.Delegation).check(Schema.isMaxLength(maxRecords)),
  holdings: Schema.optionalKey(Schema.Array(Delegation.Holding).check(Schema.isMaxLength(maxRecords)))
})

/**
 * @category models
 * @since 0.1.0
 */
export type CheckBody = typeof CheckBody.Type

/**
 * The answer when every rule holds.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CheckAnswer = Schema.Struct({
  valid: Schema.Literal(true),
  delegations: Schema.Finite,
  holdings: Schema.Finite
})

/**
 * @category models
 * @since 0.1.0
 */
export type CheckAnswer = typeof CheckAnswer.Type

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

// Read in pages of this size when collecting the recorded delegations of one function.
const recordedPage = 500

/** Every delegation of `fn` recorded through the API (each was checked against the rules when recorded). */
const recordedOf = (fn: string) =>
  Effect.gen(function*() {
    const repo = yield* DelegationRepo.DelegationRepo
    const found: Array<Delegation.Delegation> = []
    let afterSeq: number | undefined
    for (;;) {
      const page = yield* repo.page({ function: fn, limit: recordedPage, ...(afterSeq === undefined ? {} : { afterSeq }) })
      for (const recorded of page) found.push(recorded.delegation)
      if (page.length < recordedPage) return found
      afterSeq = page[page.length - 1]!.seq
    }
  })

/**
 * Who is accountable for and who exercises the function for the body on the date, or `NotFound` when no
 * holding or delegation is recorded for them: over the board papers' delegations and every delegation of the
 * function recorded through `POST /v1/delegations`.
 *
 * @category queries
 * @since 0.1.0
 */
export const resolve: (
  query: ResolveQuery
) => Effect.Effect<Resolution, NotFound | SqlError | StoreError.StoredValueError, ReferenceData | DelegationRepo.DelegationRepo> = Effect.fnUntraced(function* (query: ResolveQuery) {
  const reference = yield* ReferenceData
  const recorded = yield* recordedOf(query.function)
  const delegations = recorded.length === 0
    ? reference.delegations
    : { ...reference.delegations, delegations: [...reference.delegations.delegations, ...recorded] }
  const date = yield* orToday(query.date)
  const found = DelegationResolution.resolve(delegations, query.function, query.body, date, {
    includeProposed: query.includeProposed === "true"
  })
  if (found === undefined) {
    return yield* new NotFound({ entity: `record of ${query.function} on ${date} for`, key: query.body })
  }
  const answer: Resolution = { ...found, path: DelegationResolution.path(found) }
  return answer
})

/**
 * Checks a set of delegations (and holdings) against every delegation rule and the registry; fails with
 * `RuleViolations` listing every broken rule.
 *
 * @category queries
 * @since 0.1.0
 */
export const check: (body: CheckBody) => Effect.Effect<CheckAnswer, Violation.RuleViolations, ReferenceData> = Effect.fnUntraced(function* (body: CheckBody) {
  const { registry } = yield* ReferenceData
  const data: DelegationRules.DelegationData = { delegations: body.delegations, holdings: body.holdings ?? [] }
  const checked = DelegationRules.check(registry, data)
  if (Result.isFailure(checked)) return yield* checked.failure
  const answer: CheckAnswer = { valid: true, delegations: body.delegations.length, holdings: data.holdings?.length ?? 0 }
  return answer
})
