/**
 * Delegations recorded through the API (issue #6): listing them, and recording a new one only when the
 * kernel's delegation rules still hold for every known delegation (the board papers' and every recorded one)
 * together with it. The check and the write happen in one transaction under the store's lock (see
 * libs/store's `DelegationRepo.record`), so two concurrent records cannot both pass the rules.
 *
 * @since 0.1.0
 */
import { Codes, Delegation, DelegationRules, type Registry, Violation } from "@hub/domain"
import { AuditLog, DelegationRepo, type StoreError } from "@hub/store"
import { Effect, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import * as IdCursor from "../../http/IdCursor.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { ReferenceData } from "../../ports/ReferenceData.ts"
import { Conflict, NotFound, type ValidationFailed } from "../../problems/GatewayErrors.ts"
import { afterId } from "../quarantine/QuarantineQueries.ts"

const cursorKind = "delegations"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * The id a recorded delegation is named by: letters, digits, `.`, `_` and `-`, at most 100, so it can stand in
 * a URL path as it is.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DelegationId = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/u, { expected: "an id of letters, digits, '.', '_' or '-' (at most 100), such as southwark-2016-primary-care" })
).annotate({ description: "A stable name for the delegation, unique across the hub." })

/**
 * The body of `POST /v1/delegations`: one delegation as the kernel models it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreateBody = Schema.Struct({ ...Delegation.Delegation.fields, id: DelegationId })

/**
 * @category models
 * @since 0.1.0
 */
export type CreateBody = typeof CreateBody.Type

/**
 * The path of `GET /v1/delegations/{id}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IdParam = Schema.Struct({ id: DelegationId })

/**
 * The query of `GET /v1/delegations`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  function: Schema.optionalKey(Delegation.CommissioningFunction),
  delegator: Schema.optionalKey(Codes.BodyCode.annotate({ description: "Only delegations by this body." })),
  delegate: Schema.optionalKey(Codes.BodyCode.annotate({ description: "Only delegations to this body (alone or as a member of a joint arrangement)." })),
  body: Schema.optionalKey(Codes.BodyCode.annotate({ description: "Only delegations involving this body as delegator, delegate or population." })),
  date: Schema.optionalKey(QueryParams.AsOf.annotate({ description: "Only delegations in force on this date (YYYY-MM-DD)." })),
  status: Schema.optionalKey(Delegation.Status),
  limit: Schema.optionalKey(QueryParams.Limit),
  cursor: Schema.optionalKey(IdCursor.CursorParam)
})

/**
 * A recorded delegation: the kernel's delegation with its status, and when it was recorded.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RecordedDelegation = Schema.Struct({
  ...Delegation.Delegation.fields,
  status: Delegation.Status,
  recordedAt: Schema.String.annotate({ description: "When it was recorded (ISO 8601)" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type RecordedDelegation = typeof RecordedDelegation.Type

/**
 * A page of recorded delegations, in the order they were recorded; `nextCursor` fetches the next (null on the
 * last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const DelegationPage = Schema.Struct({ items: Schema.Array(RecordedDelegation), nextCursor: Schema.NullOr(Schema.String) })

/**
 * @category models
 * @since 0.1.0
 */
export type DelegationPage = typeof DelegationPage.Type

// ---------------------------------------------------------------------------------------------------------
// internals
// ---------------------------------------------------------------------------------------------------------

const toView = (recorded: DelegationRepo.RecordedDelegation): RecordedDelegation => ({
  ...recorded.delegation,
  status: Delegation.statusOf(recorded.delegation),
  recordedAt: recorded.recordedAt
})

const sameViolation = (a: Violation.Violation, b: Violation.Violation): boolean =>
  a.rule === b.rule && a.message === b.message && a.bodies.join() === b.bodies.join() && a.dates.join() === b.dates.join()

/**
 * The violations the candidate brings: every violation of the known delegations with it that the known
 * delegations alone do not already have (a flaw already recorded, for example after the registry was
 * corrected, must not block every later record).
 *
 * @category rules
 * @since 0.1.0
 */
export const violationsOf = (
  registry: Registry.Registry,
  known: DelegationRules.DelegationData,
  candidate: Delegation.Delegation
): ReadonlyArray<Violation.Violation> => {
  const before = DelegationRules.validate(registry, known)
  const after = DelegationRules.validate(registry, { ...known, delegations: [...known.delegations, candidate] })
  return after.filter((v) => !before.some((b) => sameViolation(b, v)))
}

// ---------------------------------------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------------------------------------

/**
 * One page of the recorded delegations.
 *
 * @category queries
 * @since 0.1.0
 */
export const list: (
  query: typeof ListQuery.Type
) => Effect.Effect<DelegationPage, ValidationFailed | SqlError | StoreError.StoredValueError, DelegationRepo.DelegationRepo> = Effect.fnUntraced(
  function* (query: typeof ListQuery.Type) {
    const repo = yield* DelegationRepo.DelegationRepo
    const after = yield* afterId(cursorKind, query.cursor)
    const limit = query.limit ?? QueryParams.defaultLimit
    const rows = yield* repo.page({
      ...(query.function === undefined ? {} : { function: query.function }),
      ...(query.delegator === undefined ? {} : { delegator: query.delegator }),
      ...(query.delegate === undefined ? {} : { delegate: query.delegate }),
      ...(query.body === undefined ? {} : { body: query.body }),
      ...(query.date === undefined ? {} : { asAt: query.date }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(after === undefined ? {} : { afterSeq: after }),
      limit: limit + 1
    })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    const answer: DelegationPage = {
      items: page.map(toView),
      nextCursor: rows.length > limit && last !== undefined ? IdCursor.encode(cursorKind, last.seq) : null
    }
    return answer
  }
)

/**
 * One recorded delegation by its id, or `NotFound`.
 *
 * @category queries
 * @since 0.1.0
 */
export const find: (
  id: string
) => Effect.Effect<RecordedDelegation, NotFound | SqlError | StoreError.StoredValueError, DelegationRepo.DelegationRepo> = Effect.fnUntraced(
  function* (id: string) {
    const repo = yield* DelegationRepo.DelegationRepo
    const [found] = yield* repo.page({ id, limit: 1 })
    if (found === undefined) return yield* new NotFound({ entity: "recorded delegation", key: id })
    return toView(found)
  }
)

/**
 * Records a delegation for `actor` (written to the audit log with it): `Conflict` when its id is taken (by a
 * recorded delegation or one of the board papers'), `RuleViolations` with every violation it would bring
 * against the known delegations and holdings, otherwise the recorded delegation.
 *
 * @category commands
 * @since 0.1.0
 */
export const create: (
  body: CreateBody,
  actor: string
) => Effect.Effect<
  RecordedDelegation,
  Conflict | Violation.RuleViolations | SqlError | StoreError.StoredValueError,
  DelegationRepo.DelegationRepo | ReferenceData
> = Effect.fnUntraced(function* (body: CreateBody, actor: string) {
  const { registry, delegations: reference } = yield* ReferenceData
  const repo = yield* DelegationRepo.DelegationRepo
  const taken = () => new Conflict({ reason: `A delegation with id ${JSON.stringify(body.id)} is already recorded; choose another id.` })
  if (reference.delegations.some((d) => d.id === body.id)) return yield* taken()
  const admit = (recorded: ReadonlyArray<Delegation.Delegation>) => {
    const known: DelegationRules.DelegationData = { delegations: [...reference.delegations, ...recorded], holdings: reference.holdings ?? [] }
    const [first, ...rest] = violationsOf(registry, known, body)
    return first === undefined ? Effect.void : Effect.fail(new Violation.RuleViolations({ violations: [first, ...rest] }))
  }
  const recorded = yield* repo.record(body, admit).pipe(
    Effect.catchTag("AlreadyExists", () => Effect.fail(taken())),
    Effect.provideService(AuditLog.Actor, actor)
  )
  return toView(recorded)
})
