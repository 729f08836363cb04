/**
 * The typed failure of adding a job the queue cannot accept: a payload its Schema does not encode, or a job id
 * BullMQ forbids. It is a programming or input error, never a Redis problem, so it is never retried.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The job for `queue` was refused before reaching Redis; `reason` names the field or rule.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidJob extends Schema.TaggedError<InvalidJob>()("InvalidJob", {
  queue: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `invalid job for queue ${this.queue}: ${this.reason}`
  }
}
