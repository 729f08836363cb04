/**
 * The receipt of a push: what the outside system said when it took a submission. The same idempotency key always
 * gives the same `submissionId`; systems that validate later report `pending` first and `accepted`/`rejected` on
 * a later pull.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { joinKey, Text } from "./Fields.ts"

/**
 * One acknowledgement. `receivedAt` is the system's own ISO timestamp, kept as text (the hub does not trust
 * outside clocks); `duplicate` is true when the system recognised the idempotency key it had seen before.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SubmissionAcknowledgement = Schema.Struct({
  kind: Text,
  submissionId: Text,
  idempotencyKey: Text,
  status: Schema.Literals(["pending", "accepted", "rejected"]),
  receivedAt: Text,
  duplicate: Schema.Boolean,
  reasons: Schema.Array(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type SubmissionAcknowledgement = typeof SubmissionAcknowledgement.Type

/**
 * The natural key: push kind and the system's submission id.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: SubmissionAcknowledgement): string => joinKey([r.kind, r.submissionId])
