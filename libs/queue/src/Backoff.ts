/**
 * The hub's retry delay: exponential from a base delay, but never sooner than a rate-limited system asked for
 * (`retryAfterMs`). BullMQ's built-in `exponential` backoff cannot see the error, so jobs carry the custom
 * backoff type {@link type} and every hub worker installs {@link strategy} in its settings.
 *
 * @since 0.1.0
 */
import type { BackoffStrategy, MinimalJob } from "bullmq"

/**
 * The BullMQ backoff type of hub jobs (`{ type, delay: baseDelayMs }` in the job options).
 *
 * @category constants
 * @since 0.1.0
 */
export const type = "hub.exponential"

/**
 * The job option that selects the hub backoff with a base delay.
 *
 * @category constructors
 * @since 0.1.0
 */
export const options = (baseDelayMs: number): { readonly type: string; readonly delay: number } => ({
  type,
  delay: baseDelayMs
})

/**
 * The delay before retry number `attemptsMade` (1 for the first retry): `base * 2^(attemptsMade - 1)`, raised to
 * `retryAfterMs` when the error asked to wait longer.
 *
 * @category computations
 * @since 0.1.0
 */
export const delayMs = (attemptsMade: number, baseDelayMs: number, retryAfterMs?: number | undefined): number => {
  const exponential = Math.round(Math.max(0, baseDelayMs) * 2 ** Math.max(0, attemptsMade - 1))
  return Math.max(exponential, retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.ceil(retryAfterMs) : 0)
}

/**
 * An error thrown to BullMQ for a retryable failure, carrying the `retryAfterMs` the backoff must honour.
 *
 * @category errors
 * @since 0.1.0
 */
export class RetryableJobError extends Error {
  override readonly name = "RetryableJobError"
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined
  ) {
    super(message)
  }
}

const baseDelayOf = (job: MinimalJob | undefined): number => {
  const backoff = job?.opts.backoff
  if (typeof backoff === "number") return backoff
  return backoff?.delay ?? 1000
}

/**
 * The custom BullMQ backoff strategy behind {@link type} (install as `settings.backoffStrategy` of a Worker).
 *
 * @category instances
 * @since 0.1.0
 */
export const strategy: BackoffStrategy = (attemptsMade, _type, err, job) =>
  delayMs(attemptsMade, baseDelayOf(job), err instanceof RetryableJobError ? err.retryAfterMs : undefined)
