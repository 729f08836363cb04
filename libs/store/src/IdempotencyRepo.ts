/**
 * Idempotency-Key records (IETF httpapi-idempotency-key-header): per client and key, the fingerprint of the
 * request that first used the key, whether that request is still in flight, and once it completed the response
 * to replay. Claiming a key is one atomic statement (`INSERT ... ON CONFLICT`), so of two concurrent requests
 * with the same key exactly one wins; the other learns what the winner holds.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"

/**
 * Who a key belongs to and the key itself: keys are scoped per client, so two clients may use the same key.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyRef {
  /** The client, e.g. the API key id. */
  readonly owner: string
  /** The `Idempotency-Key` the client sent. */
  readonly key: string
}

/**
 * A request claiming a key: its fingerprint (a hash of method, path and body) and how long the claim holds while
 * the request runs (after that lease a claim of a request that died may be taken over).
 *
 * @category models
 * @since 0.1.0
 */
export interface ClaimRequest extends KeyRef {
  readonly fingerprint: string
  readonly leaseMs: number
}

/**
 * A response kept for replay.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredResponse {
  readonly status: number
  readonly contentType: string | undefined
  readonly body: string
}

/**
 * What claiming a key found: `Claimed` (this request holds the key now: run it, then complete or release);
 * `InFlight` (another request with the same fingerprint holds it); `Completed` (the same request already ran:
 * replay its response); `Mismatch` (the key was used for a different request).
 *
 * @category models
 * @since 0.1.0
 */
export type Claim =
  | { readonly _tag: "Claimed" }
  | { readonly _tag: "InFlight" }
  | { readonly _tag: "Completed"; readonly response: StoredResponse }
  | { readonly _tag: "Mismatch" }

interface KeyRow {
  readonly fingerprint: string
  readonly state: "in-flight" | "completed"
  readonly response_status: number | null
  readonly response_content_type: string | null
  readonly response_body: string | null
}

const interval = (ms: number): string => `${Math.max(0, Math.round(ms))} milliseconds`

/** Claiming again after the holder released the key between our insert and our read: a handful is plenty. */
const claimAttempts = 3

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const classify = (row: KeyRow, fingerprint: string): Claim => {
    if (row.fingerprint !== fingerprint) return { _tag: "Mismatch" }
    if (row.state === "in-flight" || row.response_status === null) return { _tag: "InFlight" }
    return {
      _tag: "Completed",
      response: { status: row.response_status, contentType: row.response_content_type ?? undefined, body: row.response_body ?? "" }
    }
  }

  const claim = Effect.fn("IdempotencyRepo.claim")(function*(request: ClaimRequest) {
    for (let attempt = 1;; attempt++) {
      // A new key is inserted; an expired record (a forgotten response, a dead request's lease) is taken over; a
      // live one is left alone and nothing is returned. PostgreSQL serialises concurrent claims on the key.
      const won = yield* sql<{ readonly fingerprint: string }>`INSERT INTO idempotency_keys
        (key_owner, idempotency_key, fingerprint, state, expires_at)
        VALUES (${request.owner}, ${request.key}, ${request.fingerprint}, 'in-flight', now() + ${interval(request.leaseMs)}::interval)
        ON CONFLICT (key_owner, idempotency_key) DO UPDATE SET
          fingerprint = EXCLUDED.fingerprint, state = 'in-flight', response_status = NULL,
          response_content_type = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= now()
        RETURNING fingerprint`
      if (won.length > 0) return { _tag: "Claimed" } satisfies Claim as Claim
      const [held] = yield* sql<KeyRow>`SELECT fingerprint, state, response_status, response_content_type, response_body
        FROM idempotency_keys WHERE key_owner = ${request.owner} AND idempotency_key = ${request.key}`
      if (held !== undefined) return classify(held, request.fingerprint)
      // Released meanwhile: claim again.
      if (attempt >= claimAttempts) return { _tag: "InFlight" } satisfies Claim as Claim
    }
  })

  const complete = Effect.fn("IdempotencyRepo.complete")(function*(request: KeyRef & {
    readonly fingerprint: string
    readonly response: StoredResponse
    readonly retainMs: number
  }) {
    const rows = yield* sql<{ readonly state: string }>`UPDATE idempotency_keys SET state = 'completed',
        response_status = ${request.response.status}, response_content_type = ${request.response.contentType ?? null},
        response_body = ${request.response.body}, expires_at = now() + ${interval(request.retainMs)}::interval
      WHERE key_owner = ${request.owner} AND idempotency_key = ${request.key}
        AND fingerprint = ${request.fingerprint} AND state = 'in-flight'
      RETURNING state`
    return rows.length > 0
  })

  const release = Effect.fn("IdempotencyRepo.release")(function*(request: KeyRef & { readonly fingerprint: string }) {
    const rows = yield* sql<{ readonly state: string }>`DELETE FROM idempotency_keys
      WHERE key_owner = ${request.owner} AND idempotency_key = ${request.key}
        AND fingerprint = ${request.fingerprint} AND state = 'in-flight'
      RETURNING state`
    return rows.length > 0
  })

  const purgeExpired = Effect.fn("IdempotencyRepo.purgeExpired")(function*() {
    const rows = yield* sql<{ readonly state: string }>`DELETE FROM idempotency_keys WHERE expires_at <= now() RETURNING state`
    return rows.length
  })

  return { claim, complete, release, purgeExpired }
})

/**
 * Claims, completes and releases Idempotency-Key records.
 *
 * @category services
 * @since 0.1.0
 */
export class IdempotencyRepo extends Context.Service<IdempotencyRepo, {
  /** Claims the key for a request, atomically (see {@link Claim}). */
  readonly claim: (request: ClaimRequest) => Effect.Effect<Claim, SqlError>
  /**
   * Stores the final response of the claiming request, kept `retainMs` for replay. `false` when the claim is no
   * longer this request's (its lease ran out and another took the key over).
   */
  readonly complete: (request: KeyRef & {
    readonly fingerprint: string
    readonly response: StoredResponse
    readonly retainMs: number
  }) => Effect.Effect<boolean, SqlError>
  /**
   * Forgets an in-flight claim (the request failed for a reason that is not the client's), so a retry with the
   * same key runs again. `false` when there was no such claim.
   */
  readonly release: (request: KeyRef & { readonly fingerprint: string }) => Effect.Effect<boolean, SqlError>
  /** Deletes expired records; how many. */
  readonly purgeExpired: () => Effect.Effect<number, SqlError>
}>()("@hub/store/IdempotencyRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(IdempotencyRepo, make)
}
