/**
 * JSON answers encoded once: the bytes `c.json` would send, with a strong ETag, kept in a small bounded memo per
 * source of reference data, and sent with `If-None-Match` support (304). For reads that are a pure function of
 * in-memory data and the request (one organisation, one coterminosity pair), serialising the same answer on
 * every request was most of what the route cost.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type { Context } from "hono"
import { createHash } from "node:crypto"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * An encoded answer: the UTF-8 bytes of its JSON, its ETag, and the response headers carrying both.
 *
 * @category models
 * @since 0.1.0
 */
export interface Answer {
  readonly body: Uint8Array
  readonly etag: string
  /** `content-type` and `etag`, built once (a plain object: Node's server writes it without a `Headers`). */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A bounded memo of answers, one per source of the data behind them (the `ReferenceData` service value):
 * a source that is replaced (reloaded data) starts with an empty memo, and the old one goes with the old source.
 *
 * @category models
 * @since 0.1.0
 */
export interface AnswerMemo {
  /**
   * The answer for `key` computed over `source`: the one kept, or `compute`'s value encoded and kept (the least
   * recently used answer of this source is dropped past the capacity). Failures are returned, never kept.
   */
  readonly get: <A, E>(source: object, key: string, compute: () => Result.Result<A, E>) => Result.Result<Answer, E>
  /** How many answers are kept for `source`. */
  readonly size: (source: object) => number
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/** What `c.json` sends as the content type. */
const contentType = "application/json"

/**
 * Encodes a value as `c.json` would (`JSON.stringify`, UTF-8), with a strong ETag of the bytes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const encode = (value: unknown): Answer => {
  const body = Buffer.from(JSON.stringify(value), "utf8")
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`
  return { body, etag, headers: Object.freeze({ "content-type": contentType, etag }) }
}

/**
 * The default number of answers kept per source: a few hundred bodies and dates at ~1.5 KB each.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultCapacity = 256

/**
 * A memo keeping at most `capacity` answers per source, least recently used dropped first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const memo = (capacity: number = defaultCapacity): AnswerMemo => {
  const bySource = new WeakMap<object, Map<string, Answer>>()
  return {
    get: (source, key, compute) => {
      let answers = bySource.get(source)
      if (answers === undefined) {
        answers = new Map()
        bySource.set(source, answers)
      }
      const known = answers.get(key)
      if (known !== undefined) {
        // Most recently used last: re-insert.
        answers.delete(key)
        answers.set(key, known)
        return Result.succeed(known)
      }
      const computed = compute()
      if (Result.isFailure(computed)) return Result.fail(computed.failure)
      const answer = encode(computed.success)
      if (answers.size >= capacity) answers.delete(answers.keys().next().value as string)
      answers.set(key, answer)
      return Result.succeed(answer)
    },
    size: (source) => bySource.get(source)?.size ?? 0
  }
}

// ---------------------------------------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether an `If-None-Match` value names this ETag (`*`, or a list of tags; weak comparison, RFC 9110 §13.1.2).
 *
 * @category responses
 * @since 0.1.0
 */
export const matches = (ifNoneMatch: string, etag: string): boolean => {
  const value = ifNoneMatch.trim()
  if (value === "*") return true
  for (const part of value.split(",")) {
    const tag = part.trim()
    if ((tag.startsWith("W/") ? tag.slice(2) : tag) === etag) return true
  }
  return false
}

const notModifiedInit = (etag: string): ResponseInit => ({ status: 304, headers: { etag } })

/**
 * The response for an answer: 200 with its bytes and ETag, or 304 with the ETag when the request's
 * `If-None-Match` names it.
 *
 * @category responses
 * @since 0.1.0
 */
export const send = (c: Context, answer: Answer): Response => {
  const ifNoneMatch = c.req.raw.headers.get("if-none-match")
  if (ifNoneMatch !== null && matches(ifNoneMatch, answer.etag)) return new Response(null, notModifiedInit(answer.etag))
  return new Response(answer.body, { status: 200, headers: answer.headers })
}
