/**
 * The idempotency-key registry and log of accepted submissions every simulator keeps: a repeated key with the
 * same body replays the stored response (the same submission, no second effect); the same key with a
 * different body (or on another endpoint) is a 422. Tests count effects through `GET /_sim/submissions`.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import * as Problem from "./Problem.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * One accepted submission, as listed by `GET /_sim/submissions`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Submission {
  /** 1, 2, 3... in order of acceptance. */
  readonly sequence: number
  /** The endpoint's submission kind, e.g. `commissioning-intentions`. */
  readonly kind: string
  readonly idempotencyKey: string | undefined
  readonly body: unknown
  /** The status and JSON body the simulator answered (replayed for a repeated key). */
  readonly status: number
  readonly response: unknown
}

/**
 * What a submission handler decides: a status and JSON body. Only 2xx outcomes are recorded and remembered
 * under the key; a rejected request (4xx) may be retried with the same key.
 *
 * @category models
 * @since 0.1.0
 */
export interface Outcome {
  readonly status: number
  readonly body: unknown
  /** Extra response headers (e.g. `Location`), replayed with the body. */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * @category models
 * @since 0.1.0
 */
export interface SubmissionRecorder {
  /**
   * Handles one submission: looks the key up, and either replays, refuses (422), or runs `accept` (synchronous,
   * so two concurrent requests with one key cannot both run it) and remembers its outcome.
   */
  readonly submit: (request: {
    readonly kind: string
    readonly idempotencyKey: string | undefined
    readonly body: unknown
    readonly accept: () => Outcome
  }) => Response
  /** Accepted submissions, optionally of one kind, oldest first. */
  readonly list: (kind?: string) => ReadonlyArray<Submission>
  /** Forgets every key and submission. */
  readonly reset: () => void
}

/**
 * The header naming the idempotency key (`Idempotency-Key`, IETF draft-ietf-httpapi-idempotency-key-header).
 *
 * @category headers
 * @since 0.1.0
 */
export const idempotencyKeyHeader = "idempotency-key"

/**
 * Set to `true` on a response replayed for a repeated idempotency key.
 *
 * @category headers
 * @since 0.1.0
 */
export const replayedHeader = "idempotent-replayed"

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * JSON with object keys sorted, so two bodies that differ only in key order are the same body.
 *
 * @category constructors
 * @since 0.1.0
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

const fingerprint = (kind: string, body: unknown): string =>
  createHash("sha256").update(kind).update("\n").update(canonicalJson(body)).digest("hex")

const json = (outcome: Outcome, replayed: boolean): Response =>
  new Response(JSON.stringify(outcome.body), {
    status: outcome.status,
    headers: { ...outcome.headers, "content-type": "application/json", ...(replayed ? { [replayedHeader]: "true" } : {}) }
  })

/**
 * An empty recorder.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (): SubmissionRecorder => {
  let byKey = new Map<string, { readonly fingerprint: string; readonly outcome: Outcome }>()
  let submissions: Array<Submission> = []

  const submit: SubmissionRecorder["submit"] = ({ kind, idempotencyKey, body, accept }) => {
    const print = fingerprint(kind, body)
    if (idempotencyKey !== undefined) {
      const known = byKey.get(idempotencyKey)
      if (known !== undefined) {
        return known.fingerprint === print
          ? json(known.outcome, true)
          : Problem.response(
              422,
              "Idempotency Key Reused",
              `the Idempotency-Key "${idempotencyKey}" was already used for a different request`
            )
      }
    }
    const outcome = accept()
    if (outcome.status >= 200 && outcome.status < 300) {
      if (idempotencyKey !== undefined) byKey.set(idempotencyKey, { fingerprint: print, outcome })
      submissions.push({ sequence: submissions.length + 1, kind, idempotencyKey, body, status: outcome.status, response: outcome.body })
    }
    return json(outcome, false)
  }

  return {
    submit,
    list: (kind) => (kind === undefined ? submissions : submissions.filter((s) => s.kind === kind)),
    reset: () => {
      byKey = new Map()
      submissions = []
    }
  }
}
