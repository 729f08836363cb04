/**
 * The shape of an error that says whether trying again can help. Plugin errors have it
 * (`{ _tag, retryable, retryAfterMs?, message }`), and any other processor error may: the worker turns it into a
 * BullMQ retry (retryable) or a permanent failure (not retryable), without depending on the plugin SDK.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"

/**
 * An error that knows whether it is worth retrying. `retryAfterMs` (for rate limits) is the earliest moment, from
 * now, at which a retry may happen.
 *
 * @category models
 * @since 0.1.0
 */
export interface Retryability {
  readonly _tag: string
  readonly retryable: boolean
  readonly retryAfterMs?: number | undefined
  readonly message: string
}

/**
 * Whether an unknown value has the {@link Retryability} shape (used on failures that reach the worker at run time).
 *
 * @category guards
 * @since 0.1.0
 */
export const isRetryability = (u: unknown): u is Retryability =>
  Predicate.hasProperty(u, "_tag") &&
  typeof u._tag === "string" &&
  Predicate.hasProperty(u, "retryable") &&
  typeof u.retryable === "boolean" &&
  Predicate.hasProperty(u, "message") &&
  typeof u.message === "string" &&
  (!Predicate.hasProperty(u, "retryAfterMs") || u.retryAfterMs === undefined || typeof u.retryAfterMs === "number")

/**
 * The reason recorded on the job for ops to read: `Tag: message`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const reasonOf = (error: Retryability): string => `${error._tag}: ${error.message}`
