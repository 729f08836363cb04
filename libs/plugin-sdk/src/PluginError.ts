/**
 * The errors a plugin operation can fail with. Each says whether trying again can help (`retryable`), and a
 * rate limit says when (`retryAfterMs`): the worker turns retryable errors into a BullMQ retry with backoff and
 * permanent ones into an `UnrecoverableError` that stays in the failed set for ops.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------
// retryable
// ---------------------------------------------------------------------------------------------------------

/**
 * The system could not be reached: DNS failure, connection refused or reset, a body cut off mid-way.
 *
 * @category errors
 * @since 0.1.0
 */
export class Unreachable extends Schema.TaggedError<Unreachable>()("Unreachable", {
  url: Schema.String,
  reason: Schema.String
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = true as const
  override get message(): string {
    return `${this.url} could not be reached: ${this.reason}`
  }
}

/**
 * The system did not answer within the client's deadline.
 *
 * @category errors
 * @since 0.1.0
 */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", {
  url: Schema.String,
  timeoutMs: Schema.Number
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = true as const
  override get message(): string {
    return `${this.url} did not answer within ${this.timeoutMs} ms`
  }
}

/**
 * The system answered with a 5xx status (or an answer it cannot have meant, such as a page whose row count
 * disagrees with its own header).
 *
 * @category errors
 * @since 0.1.0
 */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", {
  url: Schema.String,
  status: Schema.Number,
  reason: Schema.String
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = true as const
  override get message(): string {
    return `${this.url} answered ${this.status}: ${this.reason}`
  }
}

/**
 * The system answered 429. `retryAfterMs` comes from its `Retry-After` header (seconds or an HTTP date), or a
 * default when it sent none.
 *
 * @category errors
 * @since 0.1.0
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  url: Schema.String,
  retryAfterMs: Schema.Number
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = true as const
  override get message(): string {
    return `${this.url} is rate limiting: retry after ${this.retryAfterMs} ms`
  }
}

// ---------------------------------------------------------------------------------------------------------
// permanent
// ---------------------------------------------------------------------------------------------------------

/**
 * The credentials were refused (401) or do not allow this operation (403).
 *
 * @category errors
 * @since 0.1.0
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  url: Schema.String,
  status: Schema.Number,
  reason: Schema.String
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = false as const
  override get message(): string {
    return `${this.url} refused the credentials (${this.status}): ${this.reason}`
  }
}

/**
 * The payload was refused: by the plugin's own schema before sending, or by the system (4xx other than
 * 401/403/429). `reasons` say what is wrong, field by field where known.
 *
 * @category errors
 * @since 0.1.0
 */
export class Rejected extends Schema.TaggedError<Rejected>()("Rejected", {
  kind: Schema.String,
  status: Schema.optionalKey(Schema.Number),
  reasons: Schema.Array(Schema.String)
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = false as const
  override get message(): string {
    return `${this.kind} rejected${this.status === undefined ? "" : ` (${this.status})`}: ${this.reasons.join("; ")}`
  }
}

/**
 * The configuration is unusable: it does not decode, names an unknown stream or push kind, points at a host the
 * plugin may not contact, or the system answered in a way only a wrong configuration explains (404 on the base
 * path).
 *
 * @category errors
 * @since 0.1.0
 */
export class BadConfiguration extends Schema.TaggedError<BadConfiguration>()("BadConfiguration", {
  reason: Schema.String
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = false as const
  override get message(): string {
    return `bad configuration: ${this.reason}`
  }
}

/**
 * The host's HTTP client refused to connect: the host is not on the plugin's allowed list, or it resolves to a
 * private, link-local or loopback address that the client does not allow. Raised before any connection is made.
 *
 * @category errors
 * @since 0.1.0
 */
export class HostRefused extends Schema.TaggedError<HostRefused>()("HostRefused", {
  url: Schema.String,
  reason: Schema.String
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = false as const
  override get message(): string {
    return `refused to contact ${this.url}: ${this.reason}`
  }
}

/**
 * The system answered more than the host's HTTP client takes in one response (`maxResponseBytes`): the read was
 * stopped as soon as the limit was passed, or before reading when `Content-Length` announced more. Not
 * retryable: the same request gets the same oversized answer, so it needs a smaller page or a larger limit.
 * `seenBytes` is what was announced or read when the client stopped (at least `limitBytes + 1`).
 *
 * @category errors
 * @since 0.1.0
 */
export class ResponseTooLarge extends Schema.TaggedError<ResponseTooLarge>()("ResponseTooLarge", {
  url: Schema.String,
  limitBytes: Schema.Number,
  seenBytes: Schema.Number
}) {
  /** Whether trying again later can succeed. */
  readonly retryable = false as const
  override get message(): string {
    return `${this.url} answered over the size cap: ${this.seenBytes} bytes seen, the limit is ${this.limitBytes} bytes`
  }
}

// ---------------------------------------------------------------------------------------------------------
// the family
// ---------------------------------------------------------------------------------------------------------

/**
 * Every error a plugin operation may fail with.
 *
 * @category models
 * @since 0.1.0
 */
export type PluginError =
  | Unreachable
  | Timeout
  | ServerError
  | RateLimited
  | Unauthorized
  | Rejected
  | BadConfiguration
  | HostRefused
  | ResponseTooLarge

/**
 * The schema of the family, for job failure payloads and logs.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PluginError = Schema.Union([
  Unreachable,
  Timeout,
  ServerError,
  RateLimited,
  Unauthorized,
  Rejected,
  BadConfiguration,
  HostRefused,
  ResponseTooLarge
])

/**
 * Whether a plugin error may succeed when tried again (the worker retries these with backoff).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isRetryable = (error: PluginError): boolean => error.retryable

/**
 * How long to wait before retrying, when the system said (rate limits); `undefined` otherwise.
 *
 * @category accessors
 * @since 0.1.0
 */
export const retryAfterMs = (error: PluginError): number | undefined =>
  error._tag === "RateLimited" ? error.retryAfterMs : undefined

/**
 * The plugin error for an HTTP status that is not a success, or `undefined` for 2xx/3xx. 404 and other 4xx are
 * `Rejected` for pushes (`kind` names what was sent) and `BadConfiguration` for reads.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromStatus = (
  url: string,
  status: number,
  options: {
    readonly retryAfter?: string | null | undefined
    readonly reason?: string | undefined
    readonly pushKind?: string | undefined
    readonly now?: number | undefined
  } = {}
): PluginError | undefined => {
  const reason = options.reason ?? `HTTP ${status}`
  if (status < 400) return undefined
  if (status === 429) {
    return new RateLimited({ url, retryAfterMs: parseRetryAfter(options.retryAfter, options.now) ?? defaultRetryAfterMs })
  }
  if (status >= 500) return new ServerError({ url, status, reason })
  if (status === 408) return new Timeout({ url, timeoutMs: 0 })
  if (status === 401 || status === 403) return new Unauthorized({ url, status, reason })
  if (options.pushKind !== undefined) return new Rejected({ kind: options.pushKind, status, reasons: [reason] })
  return new BadConfiguration({ reason: `${url} answered ${status}: ${reason}` })
}

/**
 * The wait used when a 429 carries no usable `Retry-After`.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultRetryAfterMs = 60_000

/**
 * Reads a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date (relative to `now`, epoch ms; without
 * `now` a date cannot be turned into a delay and gives `undefined`).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseRetryAfter = (header: string | null | undefined, now?: number): number | undefined => {
  if (header === null || header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/u.test(text)) return Number(text) * 1000
  if (now === undefined) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
