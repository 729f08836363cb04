/**
 * The organisation questions the API answers over the registry: which bodies were operational on a date
 * (filtered by kind, group and text, paged with a stable cursor), and one body with its groups, hosts,
 * successors and predecessors as at a date.
 * Use cases are `Effect.fnUntraced`: `Effect.fn` captures a stack trace on every call, a measurable cost per
 * request.
 *
 * @since 0.1.0
 */
import { BodyKind, CalendarDate, Codes, Organisation, Period, Registry } from "@hub/domain"
import { Context, Effect, Result, Schema } from "effect"
import type { Answer as JsonAnswer, AnswerMemo } from "../../http/JsonAnswer.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { orToday, todayIn } from "../../http/Today.ts"
import type { PureRead } from "../../http/UseCaseRunner.ts"
import { ReferenceData } from "../../ports/ReferenceData.ts"
import { NotFound, ValidationFailed } from "../../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * The query of `GET /v1/organisations`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  kind: Schema.optionalKey(BodyKind.BodyKind),
  group: Schema.optionalKey(Codes.BodyCode.annotate({ description: "Only members of this group on the date." })),
  text: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100)).annotate({
      description: "Case-insensitive text found in the name or code."
    })
  ),
  asOf: Schema.optionalKey(QueryParams.AsOf),
  cursor: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,120}$/u, { expected: "a cursor returned as nextCursor" }))
  ),
  limit: Schema.optionalKey(QueryParams.Limit)
})

/**
 * @category models
 * @since 0.1.0
 */
export type ListQuery = typeof ListQuery.Type

/**
 * A page of bodies, sorted by code; `nextCursor` fetches the next page (null on the last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const OrganisationPage = Schema.Struct({
  asOf: CalendarDate.CalendarDate,
  items: Schema.Array(Organisation.Body),
  nextCursor: Schema.NullOr(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type OrganisationPage = typeof OrganisationPage.Type

/**
 * The path of `GET /v1/organisations/{code}`: a hub, ODS or GSS code.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CodeParam = Schema.Struct({ code: Codes.BodyCode })

/**
 * The query of `GET /v1/organisations/{code}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DetailQuery = Schema.Struct({ asOf: Schema.optionalKey(QueryParams.AsOf) })

/**
 * One body as at a date: whether it is operational, the groups it belongs to, the bodies hosting it, the
 * bodies carrying its population if it has closed, the bodies it descends from that had closed by then, and
 * every succession it takes part in.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OrganisationDetail = Schema.Struct({
  asOf: CalendarDate.CalendarDate,
  body: Organisation.Body,
  operational: Schema.Boolean,
  groups: Schema.Array(Organisation.Body),
  hosts: Schema.Array(Organisation.Body),
  successors: Schema.Array(Organisation.Body),
  predecessors: Schema.Array(Organisation.Body),
  successions: Schema.Array(Organisation.Succession)
})

/**
 * @category models
 * @since 0.1.0
 */
export type OrganisationDetail = typeof OrganisationDetail.Type

// ---------------------------------------------------------------------------------------------------------
// cursors
// ---------------------------------------------------------------------------------------------------------

const cursorPrefix = "org1:"

/**
 * The cursor after a body: its code, which stays valid however the data changes (the list is keyed by code).
 *
 * @category cursors
 * @since 0.1.0
 */
export const encodeCursor = (code: string): string => Buffer.from(`${cursorPrefix}${code}`, "utf8").toString("base64url")

/**
 * The code a cursor points after, or `undefined` when it is not one of ours.
 *
 * @category cursors
 * @since 0.1.0
 */
export const decodeCursor = (cursor: string): string | undefined => {
  const text = Buffer.from(cursor, "base64url").toString("utf8")
  if (!text.startsWith(cursorPrefix)) return undefined
  const code = text.slice(cursorPrefix.length)
  return Codes.isBodyCode(code) ? code : undefined
}

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

/**
 * One page of the bodies operational on the date that match the filters.
 *
 * @category queries
 * @since 0.1.0
 */
export const list = Effect.fnUntraced(function* (query: ListQuery) {
  const { registry } = yield* ReferenceData
  const asOf = yield* orToday(query.asOf)
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  if (query.cursor !== undefined && after === undefined) {
    return yield* new ValidationFailed({
      target: "query",
      issues: [{ path: ["query", "cursor"], message: "Expected a cursor returned as nextCursor" }]
    })
  }
  if (query.group !== undefined && Registry.get(registry, query.group) === undefined) {
    return yield* new NotFound({ entity: "group", key: query.group })
  }
  const members = query.group === undefined
    ? undefined
    : new Set(Registry.membersAt(registry, query.group, asOf).map((b) => b.code))
  const needle = query.text?.toLowerCase()
  const limit = query.limit ?? QueryParams.defaultLimit
  const candidates = Registry.operationalAt(registry, asOf, query.kind === undefined ? undefined : { kind: query.kind })
  const items: Array<Organisation.Body> = []
  let more = false
  for (const body of candidates) {
    if (after !== undefined && body.code <= after) continue
    if (members !== undefined && !members.has(body.code)) continue
    if (needle !== undefined && !body.name.toLowerCase().includes(needle) && !body.code.toLowerCase().includes(needle)) continue
    if (items.length === limit) {
      more = true
      break
    }
    items.push(body)
  }
  const last = items[items.length - 1]
  const page: OrganisationPage = { asOf, items, nextCursor: more && last !== undefined ? encodeCursor(last.code) : null }
  return page
})

/**
 * One body (by hub, ODS or GSS code) as at the date, or `undefined` when no body has the code: a pure function
 * of the registry.
 *
 * @category queries
 * @since 0.1.0
 */
export const detailOf = (
  registry: Registry.Registry,
  code: Codes.BodyCode,
  asOf: CalendarDate.CalendarDate
): OrganisationDetail | undefined => {
  const body = Registry.get(registry, code) ?? Registry.findByOdsCode(registry, code) ?? Registry.findByGssCode(registry, code)
  if (body === undefined) return undefined
  const operational = Period.contains(body.period, asOf)
  return {
    asOf,
    body,
    operational,
    groups: Registry.groupsOf(registry, body.code, asOf, "member-of"),
    hosts: Registry.groupsOf(registry, body.code, asOf, "hosted-by"),
    successors: operational ? [] : Registry.successorsAt(registry, body.code, asOf),
    predecessors: Registry.predecessorsOf(registry, body.code).filter((p) => p.period.closed !== undefined && p.period.closed <= asOf),
    successions: Registry.successionsOf(registry, body.code)
  }
}

/**
 * One body (by hub, ODS or GSS code) as at the date (today when none is given) as encoded JSON, or `NotFound`:
 * a pure read over the reference data, its answer kept in `answers` per reference data, code and date.
 *
 * @category queries
 * @since 0.1.0
 */
export const detailAnswer = (
  answers: AnswerMemo,
  code: Codes.BodyCode,
  date: CalendarDate.CalendarDate | undefined
): PureRead<JsonAnswer, NotFound> =>
(services) => {
  const reference = Context.get(services, ReferenceData)
  const asOf = date ?? todayIn(services)
  return answers.get(reference, `${code}/${asOf}`, () => {
    const result = detailOf(reference.registry, code, asOf)
    return result === undefined ? Result.fail(new NotFound({ entity: "organisation", key: code })) : Result.succeed(result)
  })
}
