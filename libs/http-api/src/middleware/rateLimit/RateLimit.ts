/**
 * A per-key rate limit: a token bucket per API key, in this process's memory. Each process limits on its own,
 * so N gateway processes allow up to N times the rate; a shared limit would need Redis (documented in the
 * README). Over the limit the request fails with `RateLimited` (429 with Retry-After).
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import type { ApiKey } from "../../ports/ApiKeys.ts"
import { RateLimited } from "../../problems/GatewayErrors.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The burst a key may send at once. */
  readonly capacity: number
  /** Tokens added per second (the sustained rate). */
  readonly refillPerSecond: number
  /** The clock, in milliseconds (tests pass their own). */
  readonly now?: () => number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * What `take` answers: allowed, or how long to wait.
 *
 * @category models
 * @since 0.1.0
 */
export type Outcome = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

// One object for every allowed request: the common answer allocates nothing.
const allowed: Outcome = { allowed: true }

/**
 * A token bucket limiter: `take(id)` spends one token, or returns the whole seconds to wait for the next.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeLimiter = (options: Options) => {
  const buckets = new Map<string, Bucket>()
  const now = options.now ?? Date.now
  const perMs = options.refillPerSecond / 1000
  return {
    take: (id: string): Outcome => {
      const t = now()
      let bucket = buckets.get(id)
      if (bucket === undefined) {
        bucket = { tokens: options.capacity, updatedAt: t }
        buckets.set(id, bucket)
      } else {
        bucket.tokens = Math.min(options.capacity, bucket.tokens + (t - bucket.updatedAt) * perMs)
        bucket.updatedAt = t
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return allowed
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / options.refillPerSecond)) }
    }
  }
}

/**
 * One limiter over every key, usable two ways: `check` (called by `authenticate` right after it admits a key)
 * and `middleware` (run after any authentication that sets `c.var.apiKey`, as the dashboard's does). Both spend
 * from the same buckets.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyLimit {
  /** Spends one of the key's tokens, or fails with `RateLimited` (429 with Retry-After). */
  readonly check: (key: ApiKey) => void
  readonly middleware: MiddlewareHandler<GatewayEnv>
}

/**
 * @category constructors
 * @since 0.1.0
 */
export const makeKeyLimit = (options: Options): KeyLimit => {
  const limiter = makeLimiter(options)
  const check = (key: ApiKey): void => {
    const outcome = limiter.take(key.id)
    if (!outcome.allowed) throw new RateLimited({ retryAfterSeconds: outcome.retryAfterSeconds })
  }
  return {
    check,
    middleware: (c, next) => {
      const key = c.get("apiKey")
      if (key !== undefined) check(key)
      return next()
    }
  }
}

/**
 * Limits each authenticated key (run after `authenticate`).
 *
 * @category middleware
 * @since 0.1.0
 */
export const rateLimit = (options: Options): MiddlewareHandler<GatewayEnv> => makeKeyLimit(options).middleware
