/**
 * `Idempotency-Key` for unsafe routes (IETF draft httpapi-idempotency-key-header): keys are scoped per client
 * (the API key id), and a request's fingerprint is a hash of its method, path and body. The first request with a
 * key claims it and runs; its final response is stored. A repeat with the same fingerprint gets the stored
 * response again, with `Idempotent-Replayed: true`; a repeat while the first is still running gets 409; the key
 * reused for a different request gets 422; no key gets 400 naming the header. A failure that is not the
 * client's (5xx) is not an answer: the claim is released, so a retry after recovery runs the request again.
 *
 * @since 0.1.0
 */
import { IdempotencyRepo } from "@hub/store"
import { Schema } from "effect"
import type { MiddlewareHandler } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { createHash } from "node:crypto"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import type { UseCaseRunner } from "../../http/UseCaseRunner.ts"
import { Conflict, Unauthorized, ValidationFailed } from "../../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * The request header carrying the key.
 *
 * @category constants
 * @since 0.1.0
 */
export const header = "Idempotency-Key"

/**
 * The response header marking a replayed response.
 *
 * @category constants
 * @since 0.1.0
 */
export const replayedHeader = "Idempotent-Replayed"

/**
 * The longest key accepted.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxKeyLength = 255

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly run: UseCaseRunner
  /** How long a claim holds while its request runs, in ms (default one minute): then a dead request's key is free. */
  readonly leaseMs?: number
  /** How long a final response is kept for replay, in ms (default one day). */
  readonly retainMs?: number
}

/**
 * The key was used before for a different request (another method, path or body).
 *
 * @category errors
 * @since 0.1.0
 */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  header: Schema.String
}) {}

// ---------------------------------------------------------------------------------------------------------
// functions
// ---------------------------------------------------------------------------------------------------------

const keyText = /^[\x21\x23-\x5b\x5d-\x7e]+$/u

/**
 * The key of a header value: a bare token or a structured-field string (`"8e03978e-..."`), 1 to 255 visible
 * ASCII characters; or why it is not one.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseKey = (value: string | undefined): { readonly key: string } | { readonly problem: string } => {
  if (value === undefined || value.trim() === "") {
    return { problem: `The ${header} header is required: send a unique key per request (a UUID, say) and repeat it on retries` }
  }
  const trimmed = value.trim()
  const key = trimmed.length >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"") ? trimmed.slice(1, -1) : trimmed
  if (key.length === 0 || key.length > maxKeyLength || !keyText.test(key)) {
    return { problem: `Expected 1 to ${maxKeyLength} visible ASCII characters (no quotes or backslashes inside the key)` }
  }
  return { key }
}

/** JSON with object keys sorted, so a body that differs only in key order or spacing is the same request. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : typeof value === "object" && value !== null
    ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`
    : JSON.stringify(value)

const canonicalBody = (body: string): string => {
  if (body.trim() === "") return ""
  try {
    return canonical(JSON.parse(body))
  } catch {
    return body
  }
}

/**
 * The fingerprint of a request: SHA-256 (hex) of its method, path and body (JSON bodies in canonical form).
 *
 * @category hashing
 * @since 0.1.0
 */
export const fingerprint = (method: string, path: string, body: string): string =>
  createHash("sha256").update(`${method.toUpperCase()} ${path}\n${canonicalBody(body)}`, "utf8").digest("hex")

// ---------------------------------------------------------------------------------------------------------
// middleware
// ---------------------------------------------------------------------------------------------------------

/**
 * Makes a route idempotent under `Idempotency-Key` (see the module comment). Put it after `requireScope` and
 * before the body's validation, so every request with a key is answered from its record.
 *
 * @category middleware
 * @since 0.1.0
 */
export const idempotency = (options: Options): MiddlewareHandler<GatewayEnv> => {
  const leaseMs = options.leaseMs ?? 60_000
  const retainMs = options.retainMs ?? 86_400_000
  const { run } = options
  return async (c, next) => {
    const apiKey = c.get("apiKey")
    if (apiKey === undefined) throw new Unauthorized()
    const parsed = parseKey(c.req.header(header))
    if ("problem" in parsed) {
      throw new ValidationFailed({ target: "header", issues: [{ path: ["header", header], message: parsed.problem }] })
    }
    const ref = { owner: apiKey.id, key: parsed.key, fingerprint: fingerprint(c.req.method, c.req.path, await c.req.text()) }
    const claim = await run(IdempotencyRepo.IdempotencyRepo.use((repo) => repo.claim({ ...ref, leaseMs })))
    switch (claim._tag) {
      case "Completed": {
        const { response } = claim
        return c.body(response.body, response.status as ContentfulStatusCode, {
          ...(response.contentType === undefined ? {} : { "Content-Type": response.contentType }),
          [replayedHeader]: "true"
        })
      }
      case "InFlight":
        throw new Conflict({ reason: `A request with this ${header} is still being processed; retry once it has completed.` })
      case "Mismatch":
        throw new IdempotencyKeyReused({ header })
      case "Claimed":
        break
    }
    const release = () => run(IdempotencyRepo.IdempotencyRepo.use((repo) => repo.release(ref))).catch(() => false)
    try {
      await next()
    } catch (error) {
      await release()
      throw error
    }
    const res = c.res
    if (res.status >= 500) {
      // Not the client's failure (a dependency down, a bug): no final answer, so a retry runs the request again.
      // Should the release itself fail, the claim's lease runs out instead.
      await release()
      return res
    }
    const response = { status: res.status, contentType: res.headers.get("Content-Type") ?? undefined, body: await res.clone().text() }
    // The request has run and its answer goes out either way; a record that cannot be stored now leaves the claim
    // to its lease, and a later repeat runs the request again (the push job id keeps that to one job).
    await run(IdempotencyRepo.IdempotencyRepo.use((repo) => repo.complete({ ...ref, response, retainMs }))).catch(() => false)
    return res
  }
}
