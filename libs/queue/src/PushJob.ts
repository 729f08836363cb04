/**
 * The payload of a push job: only the id of the outbox row to send. The body, the idempotency key and the
 * plugin's configuration are read from the store by the worker, so no bulk data or secret passes through Redis.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * `{ outboxId }`: send the outbox row with this id.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PushJob = Schema.Struct({
  outboxId: Schema.NonEmptyString
}).annotate({ identifier: "PushJob" })

/**
 * @category models
 * @since 0.1.0
 */
export type PushJob = typeof PushJob.Type
