/**
 * The payload of a pull (ingest) job: which plugin and stream to read, and why. It holds ids and small
 * parameters only; the worker reads the stream's cursor and the plugin's configuration from the store.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PluginId } from "./QueueNames.ts"

/**
 * Why a pull was enqueued: by a job scheduler, on a person's or system's request, or to recover after a failure.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PullReason = Schema.Literals(["schedule", "request", "recovery"])

/**
 * @category models
 * @since 0.1.0
 */
export type PullReason = typeof PullReason.Type

/**
 * `{ plugin, stream, requestedBy?, reason }`: pull the next pages of `stream` from `plugin`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PullJob = Schema.Struct({
  plugin: PluginId,
  stream: Schema.NonEmptyString,
  requestedBy: Schema.optionalKey(Schema.NonEmptyString),
  reason: PullReason
}).annotate({ identifier: "PullJob" })

/**
 * @category models
 * @since 0.1.0
 */
export type PullJob = typeof PullJob.Type
