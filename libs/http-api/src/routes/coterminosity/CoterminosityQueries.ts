/**
 * The coterminosity questions the API answers over the geography: how one health body's boundary relates to
 * its councils on a date, and the report for a set of bodies (or all of them).
 * Use cases are `Effect.fnUntraced`: `Effect.fn` captures a stack trace on every call, a measurable cost per
 * request.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes, Coterminosity, Registry } from "@hub/domain"
import { Context, Effect, Result, Schema } from "effect"
import type { Answer as JsonAnswer, AnswerMemo } from "../../http/JsonAnswer.ts"
import * as QueryParams from "../../http/QueryParams.ts"
import { orToday, todayIn } from "../../http/Today.ts"
import type { PureRead } from "../../http/UseCaseRunner.ts"
import { ReferenceData, type Shape as ReferenceDataShape } from "../../ports/ReferenceData.ts"
import { NotFound } from "../../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * What a health body shares with one council (see `Coterminosity.CouncilShare`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CouncilShare = Schema.Struct({
  council: Schema.String,
  areas: Schema.Finite,
  weight: Schema.Finite,
  shareOfBody: Schema.Finite,
  shareOfCouncil: Schema.Finite
})

/**
 * A health body's relation to the councils it touches (see `Coterminosity.BodyRelation`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const BodyRelation = Schema.Struct({
  body: Schema.String,
  relation: Schema.Literals(["coterminous", "union", "within", "crossing"]),
  areas: Schema.Finite,
  weight: Schema.Finite,
  councils: Schema.Array(CouncilShare)
})

/**
 * How many bodies have each relation.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Summary = Schema.Struct({
  coterminous: Schema.Finite,
  union: Schema.Finite,
  within: Schema.Finite,
  crossing: Schema.Finite
})

// The wire schemas must describe exactly what the kernel computes: a change there breaks the build here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _sameRelation: Same<typeof BodyRelation.Type, Coterminosity.BodyRelation> = true
const _sameSummary: Same<typeof Summary.Type, Coterminosity.Summary> = true
void _sameRelation
void _sameSummary

/**
 * The path of `GET /v1/coterminosity/{code}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CodeParam = Schema.Struct({ code: Codes.BodyCode })

/**
 * The query of `GET /v1/coterminosity/{code}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OneQuery = Schema.Struct({
  asOf: Schema.optionalKey(QueryParams.AsOf),
  tolerance: Schema.optionalKey(QueryParams.Tolerance)
})

/**
 * The query of `GET /v1/coterminosity`: without `bodies`, every health body in the geography.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ReportQuery = Schema.Struct({
  bodies: Schema.optionalKey(QueryParams.BodyCodeList),
  asOf: Schema.optionalKey(QueryParams.AsOf),
  tolerance: Schema.optionalKey(QueryParams.Tolerance)
})

/**
 * @category models
 * @since 0.1.0
 */
export type ReportQuery = typeof ReportQuery.Type

/**
 * One body's relation, with the names of the bodies involved (from the registry, where known).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RelationAnswer = Schema.Struct({
  asOf: CalendarDate.CalendarDate,
  tolerance: Schema.Finite,
  relation: BodyRelation,
  names: Schema.Record(Schema.String, Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type RelationAnswer = typeof RelationAnswer.Type

/**
 * The report: the relation of each body asked for (sorted by code), the counts, and the codes asked for that
 * hold no areas on the date.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ReportAnswer = Schema.Struct({
  asOf: CalendarDate.CalendarDate,
  tolerance: Schema.Finite,
  summary: Summary,
  bodies: Schema.Array(BodyRelation),
  missing: Schema.Array(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type ReportAnswer = typeof ReportAnswer.Type

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

const namesOf = (registry: Registry.Registry, relation: Coterminosity.BodyRelation): Record<string, string> => {
  const names: Record<string, string> = {}
  for (const code of [relation.body, ...relation.councils.map((c) => c.council)]) {
    const body = Registry.get(registry, code) ?? Registry.findByGssCode(registry, code)
    if (body !== undefined) names[code] = body.name
  }
  return names
}

/**
 * How one health body relates to its councils on the date with the given tolerance, or `undefined` when it holds
 * no areas then: a pure function of the reference data.
 *
 * @category queries
 * @since 0.1.0
 */
export const relationAt = (
  reference: ReferenceDataShape,
  code: Codes.BodyCode,
  asOf: CalendarDate.CalendarDate,
  tolerance: number
): RelationAnswer | undefined => {
  const relation = reference.reportAt(asOf, tolerance).bodies.find((b) => b.body === code)
  if (relation === undefined) return undefined
  return { asOf, tolerance, relation, names: namesOf(reference.registry, relation) }
}

/**
 * How one health body relates to its councils on the date (today when none is given) as encoded JSON, or
 * `NotFound` when it holds no areas then: a pure read over the reference data, its answer kept in `answers` per
 * reference data, code, date and tolerance.
 *
 * @category queries
 * @since 0.1.0
 */
export const relationAnswer = (
  answers: AnswerMemo,
  code: Codes.BodyCode,
  date: CalendarDate.CalendarDate | undefined,
  tolerance: number | undefined
): PureRead<JsonAnswer, NotFound> =>
(services) => {
  const reference = Context.get(services, ReferenceData)
  const asOf = date ?? todayIn(services)
  const t = tolerance ?? Coterminosity.defaultTolerance
  return answers.get(reference, `${code}/${asOf}/${t}`, () => {
    const answer = relationAt(reference, code, asOf, t)
    return answer === undefined
      ? Result.fail(new NotFound({ entity: `health body holding areas on ${asOf}`, key: code }))
      : Result.succeed(answer)
  })
}

/**
 * The report for the bodies asked for (or all), with its counts.
 *
 * @category queries
 * @since 0.1.0
 */
export const report = Effect.fnUntraced(function* (query: ReportQuery) {
  const reference = yield* ReferenceData
  const asOf = yield* orToday(query.asOf)
  const tolerance = query.tolerance ?? Coterminosity.defaultTolerance
  const full = reference.reportAt(asOf, tolerance)
  if (query.bodies === undefined) {
    const all: ReportAnswer = { asOf, tolerance, summary: full.summary, bodies: full.bodies, missing: [] }
    return all
  }
  const wanted = new Set<string>(query.bodies)
  const bodies = full.bodies.filter((b) => wanted.has(b.body))
  const found = new Set(bodies.map((b) => b.body))
  const summary = { coterminous: 0, union: 0, within: 0, crossing: 0 }
  for (const b of bodies) summary[b.relation] += 1
  const answer: ReportAnswer = { asOf, tolerance, summary, bodies, missing: [...wanted].filter((c) => !found.has(c)).sort() }
  return answer
})
