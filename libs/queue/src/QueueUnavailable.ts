/**
 * The typed failure of every producer-side queue operation when Redis cannot serve it (down, unreachable, too
 * slow). Producers fail fast with it instead of waiting for Redis; the gateway maps it to 503.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Redis could not serve `operation` on `queue`; `reason` is the client's explanation (never the Redis URL, which
 * may hold a password).
 *
 * @category errors
 * @since 0.1.0
 */
export class QueueUnavailable extends Schema.TaggedError<QueueUnavailable>()("QueueUnavailable", {
  queue: Schema.String,
  operation: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `queue ${this.queue} is unavailable (${this.operation}): ${this.reason}`
  }
}
