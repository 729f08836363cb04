/**
 * The failures the gateway itself raises at the HTTP edge (bad input, authentication, limits, missing
 * dependencies). Each is a tagged error; `ProblemDetails.ts` maps every tag to a status in one table.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * One problem with the input: where (`path`, e.g. `["query", "limit"]`) and what.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InputIssue = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Finite])),
  message: Schema.String
})

/**
 * @category models
 * @since 0.1.0
 */
export type InputIssue = typeof InputIssue.Type

/**
 * The request body is not JSON.
 *
 * @category errors
 * @since 0.1.0
 */
export class MalformedJson extends Schema.TaggedError<MalformedJson>()("MalformedJson", {}) {}

/**
 * The input does not match the route's schema; `issues` lists every problem found, with its path.
 *
 * @category errors
 * @since 0.1.0
 */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  target: Schema.String,
  issues: Schema.Array(InputIssue)
}) {}

/**
 * No usable API key: missing, malformed, unknown or revoked (the response never says which).
 *
 * @category errors
 * @since 0.1.0
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {}) {}

/**
 * The key is valid but lacks the scope the route needs.
 *
 * @category errors
 * @since 0.1.0
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  required: Schema.String
}) {}

/**
 * A state-changing browser request (dashboard sign-in, sign-out or a job action) that did not come from this
 * site's own pages: refused against cross-site request forgery.
 *
 * @category errors
 * @since 0.1.0
 */
export class CrossOrigin extends Schema.TaggedError<CrossOrigin>()("CrossOrigin", {}) {}

/**
 * Nothing is known under `key`. The same shape as libs/store's `NotFound`, so both map alike.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  key: Schema.String
}) {}

/**
 * The path exists but not with this method.
 *
 * @category errors
 * @since 0.1.0
 */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  method: Schema.String,
  allow: Schema.Array(Schema.String)
}) {}

/**
 * The request conflicts with the current state (a duplicate, a stale version).
 *
 * @category errors
 * @since 0.1.0
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  reason: Schema.String
}) {}

/**
 * A plugin has no stream of this name; `streams` lists the ones it has.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnknownStream extends Schema.TaggedError<UnknownStream>()("UnknownStream", {
  plugin: Schema.String,
  stream: Schema.String,
  streams: Schema.Array(Schema.String)
}) {}

/**
 * The body is larger than the configured limit.
 *
 * @category errors
 * @since 0.1.0
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  limitBytes: Schema.Finite
}) {}

/**
 * The body is not `application/json`.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  contentType: Schema.String
}) {}

/**
 * The key has used up its request budget; it may try again after `retryAfterSeconds`.
 *
 * @category errors
 * @since 0.1.0
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  retryAfterSeconds: Schema.Finite
}) {}

/**
 * A dependency (`database`, `redis`) cannot serve the request now.
 *
 * @category errors
 * @since 0.1.0
 */
export class DependencyUnavailable extends Schema.TaggedError<DependencyUnavailable>()("DependencyUnavailable", {
  dependencies: Schema.Array(Schema.String)
}) {}
