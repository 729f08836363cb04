/**
 * Errors at the edge: the ONE table mapping error tags to HTTP statuses, and the RFC 9457
 * `application/problem+json` body built from it. Unknown failures become a 500 with a generic detail and the
 * request id; no stack trace or internal message ever leaves the process.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HTTPException } from "hono/http-exception"
import { InputIssue } from "./GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * The body of every error response (RFC 9457) with the hub's extensions: `requestId` always; `errors` for
 * invalid input, `violations` for broken domain rules, `allow` for 405, `retryAfterSeconds` for 429,
 * `dependencies` for 503.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Problem = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Finite,
  detail: Schema.String,
  instance: Schema.String,
  requestId: Schema.String,
  errors: Schema.optionalKey(Schema.Array(InputIssue)),
  violations: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        rule: Schema.String,
        message: Schema.String,
        bodies: Schema.Array(Schema.String),
        dates: Schema.Array(Schema.String),
        source: Schema.optionalKey(Schema.String)
      })
    )
  ),
  allow: Schema.optionalKey(Schema.Array(Schema.String)),
  retryAfterSeconds: Schema.optionalKey(Schema.Finite),
  dependencies: Schema.optionalKey(Schema.Array(Schema.String))
})

/**
 * @category models
 * @since 0.1.0
 */
export type Problem = typeof Problem.Type

/**
 * The media type of problem responses.
 *
 * @category constants
 * @since 0.1.0
 */
export const mediaType = "application/problem+json"

/**
 * A response ready to send: status, headers and the problem body.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProblemResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Problem
}

/** The fields of a tagged error, read structurally: the table is keyed on the tag, not on the class. */
type Fields = Readonly<Record<string, unknown>>

interface Mapping {
  readonly status: number
  readonly slug: string
  readonly title: string
  readonly detail: (e: Fields) => string
  readonly extensions?: (e: Fields) => Partial<Problem>
  readonly headers?: (e: Fields) => Record<string, string>
}

// ---------------------------------------------------------------------------------------------------------
// the table
// ---------------------------------------------------------------------------------------------------------

const strings = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []

const text = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback)

const unavailable = (dependency: string): Mapping => ({
  status: 503,
  slug: "dependency-unavailable",
  title: "Service Unavailable",
  detail: () => `The ${dependency} is unavailable; try again later.`,
  extensions: () => ({ dependencies: [dependency] }),
  headers: () => ({ "Retry-After": "5" })
})

/**
 * Every error tag the gateway knows, with its status. Tags raised by other libraries (libs/store's
 * `NotFound`, `OutboxConflict`, `CursorMoved`; libs/hub's `SubmissionProblem`, `StoreFailure`; libs/queue's `QueueUnavailable`, `InvalidJob`; effect/sql's `SqlError`) are
 * listed here by name so the gateway does not import them. A new failure gets a row here, nowhere else.
 *
 * @category mapping
 * @since 0.1.0
 */
export const table: Readonly<Record<string, Mapping>> = {
  MalformedJson: {
    status: 400,
    slug: "malformed-json",
    title: "Bad Request",
    detail: () => "The request body is not valid JSON."
  },
  ValidationFailed: {
    status: 400,
    slug: "validation-failed",
    title: "Bad Request",
    detail: (e) => `The ${text(e["target"], "input")} does not match the expected schema; see errors.`,
    extensions: (e) => ({ errors: (e["issues"] ?? []) as Problem["errors"] & object })
  },
  Unauthorized: {
    status: 401,
    slug: "unauthorized",
    title: "Unauthorized",
    detail: () => "A valid API key is required: send it as `Authorization: Bearer <key>`.",
    headers: () => ({ "WWW-Authenticate": 'Bearer realm="hub"' })
  },
  Forbidden: {
    status: 403,
    slug: "forbidden",
    title: "Forbidden",
    detail: (e) => `This API key lacks the \`${text(e["required"], "required")}\` scope this route needs.`
  },
  CrossOrigin: {
    status: 403,
    slug: "cross-origin",
    title: "Forbidden",
    detail: () => "This request must come from the hub's own pages (same origin)."
  },
  NotFound: {
    status: 404,
    slug: "not-found",
    title: "Not Found",
    detail: (e) => {
      const key = text(e["key"], "")
      return `No ${text(e["entity"], "resource")}${key === "" ? "" : ` ${JSON.stringify(key)}`} was found.`
    }
  },
  MethodNotAllowed: {
    status: 405,
    slug: "method-not-allowed",
    title: "Method Not Allowed",
    detail: (e) => `${text(e["method"], "This method")} is not allowed here; allowed: ${strings(e["allow"]).join(", ")}.`,
    extensions: (e) => ({ allow: strings(e["allow"]) }),
    headers: (e) => ({ Allow: strings(e["allow"]).join(", ") })
  },
  Conflict: {
    status: 409,
    slug: "conflict",
    title: "Conflict",
    detail: (e) => text(e["reason"], "The request conflicts with the current state.")
  },
  OutboxConflict: {
    status: 409,
    slug: "conflict",
    title: "Conflict",
    detail: (e) => `Submission ${text(e["idempotencyKey"], "")}: ${text(e["reason"], "conflicts with an existing one")}.`
  },
  CursorMoved: {
    status: 409,
    slug: "conflict",
    title: "Conflict",
    detail: () => "The stream was committed by someone else meanwhile; retry from its committed cursor."
  },
  IdempotencyKeyReused: {
    status: 422,
    slug: "idempotency-key-reused",
    title: "Unprocessable Content",
    detail: (e) =>
      `This ${text(e["header"], "Idempotency-Key")} was already used for a different request (method, path or body); use a new key for a new request.`
  },
  SubmissionProblem: {
    status: 422,
    slug: "submission-problem",
    title: "Unprocessable Content",
    detail: (e) => `Submission ${text(e["key"], "")}: ${text(e["reason"], "cannot be prepared as asked")}.`
  },
  StoreFailure: unavailable("database"),
  PayloadTooLarge: {
    status: 413,
    slug: "payload-too-large",
    title: "Content Too Large",
    detail: (e) => `The request body exceeds the limit of ${String(e["limitBytes"])} bytes.`
  },
  UnsupportedMediaType: {
    status: 415,
    slug: "unsupported-media-type",
    title: "Unsupported Media Type",
    detail: () => "Send the request body as application/json."
  },
  RuleViolations: {
    status: 422,
    slug: "rule-violations",
    title: "Unprocessable Content",
    detail: (e) => `The request breaks ${Array.isArray(e["violations"]) ? e["violations"].length : "some"} domain rule(s); see violations.`,
    extensions: (e) => ({ violations: (e["violations"] ?? []) as Problem["violations"] & object })
  },
  UnknownStream: {
    status: 422,
    slug: "unknown-stream",
    title: "Unprocessable Content",
    detail: (e) =>
      `Plugin ${JSON.stringify(text(e["plugin"], ""))} has no stream ${JSON.stringify(text(e["stream"], ""))}; its streams: ${strings(e["streams"]).join(", ") || "none"}.`
  },
  InvalidJob: {
    status: 422,
    slug: "invalid-job",
    title: "Unprocessable Content",
    detail: (e) => `The job was refused: ${text(e["reason"], "it does not match its queue's schema")}.`
  },
  RateLimited: {
    status: 429,
    slug: "rate-limited",
    title: "Too Many Requests",
    detail: (e) => `This API key has used its request budget; retry after ${String(e["retryAfterSeconds"])} second(s).`,
    extensions: (e) => ({ retryAfterSeconds: Number(e["retryAfterSeconds"]) }),
    headers: (e) => ({ "Retry-After": String(e["retryAfterSeconds"]) })
  },
  DependencyUnavailable: {
    status: 503,
    slug: "dependency-unavailable",
    title: "Service Unavailable",
    detail: (e) => `Unavailable now: ${strings(e["dependencies"]).join(", ")}; try again later.`,
    extensions: (e) => ({ dependencies: strings(e["dependencies"]) }),
    headers: () => ({ "Retry-After": "5" })
  },
  QueueUnavailable: unavailable("redis"),
  SqlError: unavailable("database")
}

const internal: Mapping = {
  status: 500,
  slug: "internal",
  title: "Internal Server Error",
  detail: () => "An unexpected error occurred; quote the request id when reporting it."
}

/** Hono raises HTTPException for a few edge cases (unparseable JSON in its validator, for one). */
const fromHttpException = (error: HTTPException): { readonly mapping: Mapping; readonly fields: Fields } => {
  if (error.status === 400 && error.message.startsWith("Malformed JSON")) {
    return { mapping: table["MalformedJson"] as Mapping, fields: {} }
  }
  if (error.status >= 500) return { mapping: internal, fields: {} }
  // Any other status Hono raises keeps its status with a generic detail (its message is not shown).
  const title = Object.values(table).find((m) => m.status === error.status)?.title ?? "Error"
  return {
    mapping: { status: error.status, slug: `http-${error.status}`, title, detail: () => "The request could not be processed." },
    fields: {}
  }
}

/**
 * Finds the row for a failure: by its `_tag`, or for Hono's own exceptions by their status; anything else is
 * a 500.
 *
 * @category mapping
 * @since 0.1.0
 */
export const classify = (error: unknown): { readonly mapping: Mapping; readonly fields: Fields } => {
  if (typeof error === "object" && error !== null) {
    const tag = (error as { readonly _tag?: unknown })._tag
    if (typeof tag === "string") {
      const mapping = table[tag]
      if (mapping !== undefined) return { mapping, fields: error as Fields }
    }
    if (error instanceof HTTPException) return fromHttpException(error)
  }
  return { mapping: internal, fields: {} }
}

/**
 * The status a failure maps to (500 when unknown).
 *
 * @category mapping
 * @since 0.1.0
 */
export const statusOf = (error: unknown): number => classify(error).mapping.status

/**
 * Builds the problem response for any failure.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromError = (error: unknown, context: { readonly requestId: string; readonly instance: string }): ProblemResponse => {
  const { mapping, fields } = classify(error)
  const body: Problem = {
    type: `urn:hub:problem:${mapping.slug}`,
    title: mapping.title,
    status: mapping.status,
    detail: mapping.detail(fields),
    instance: context.instance,
    requestId: context.requestId,
    ...mapping.extensions?.(fields)
  }
  return { status: mapping.status, headers: { "Content-Type": mediaType, ...mapping.headers?.(fields) }, body }
}
