/**
 * OpenAPI descriptions shared by every route: JSON success bodies from the same Schemas the handlers build, and
 * the problem+json error responses (defined once in the document's components and referenced by status).
 *
 * @since 0.1.0
 */
import type { Schema } from "effect"
import { documented } from "./Validation.ts"

/**
 * A 200 response with a JSON body described by `schema`.
 *
 * @category documentation
 * @since 0.1.0
 */
export const ok = (description: string, schema: Schema.Top & Schema.ConstraintDecoder<unknown>) => ({
  200: { description, content: { "application/json": { schema: documented(schema) } } }
})

/**
 * References to the shared problem responses, by status.
 *
 * @category documentation
 * @since 0.1.0
 */
export const problems = (...statuses: ReadonlyArray<400 | 404 | 409 | 413 | 415 | 422 | 503>) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/${names[status]}` }]))

/**
 * The names of the problem responses in `components.responses`, by status.
 *
 * @category documentation
 * @since 0.1.0
 */
export const names = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  422: "RuleViolations",
  429: "RateLimited",
  500: "InternalError",
  503: "ServiceUnavailable"
} as const
