/**
 * A queue together with the Schema of its jobs' payload, so producers encode and workers decode with the same
 * Schema and both sides are typed by it. `JobQueue.pull("london-cbs")` is the plugin's pull queue of `PullJob`s.
 *
 * @since 0.1.0
 */
import type { Schema } from "effect"
import { PullJob } from "./PullJob.ts"
import { PushJob } from "./PushJob.ts"
import * as QueueNames from "./QueueNames.ts"

/**
 * A queue name, the BullMQ job name its jobs carry (shown in the dashboard) and the payload Schema.
 *
 * @category models
 * @since 0.1.0
 */
export interface JobQueue<A, I = unknown> {
  readonly name: string
  readonly jobName: string
  readonly schema: Schema.Codec<A, I>
}

/**
 * Anything that names a queue: a `JobQueue` or a bare queue name (for the observability helpers).
 *
 * @category models
 * @since 0.1.0
 */
export type QueueRef = string | { readonly name: string }

/**
 * The queue name of a {@link QueueRef}.
 *
 * @category accessors
 * @since 0.1.0
 */
export const nameOf = (queue: QueueRef): string => (typeof queue === "string" ? queue : queue.name)

/**
 * Pairs a queue name with its payload Schema (for job kinds other than pull and push).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <A, I>(name: string, jobName: string, schema: Schema.Codec<A, I>): JobQueue<A, I> => {
  if (name.length === 0 || name.includes(":")) {
    throw new Error(`JobQueue: queue name ${JSON.stringify(name)} must be non-empty and must not contain ':'`)
  }
  return { name, jobName, schema }
}

/**
 * The pull queue of a plugin, carrying {@link PullJob}s.
 *
 * @category constructors
 * @since 0.1.0
 */
export const pull = (pluginId: string): JobQueue<PullJob, typeof PullJob.Encoded> =>
  make(QueueNames.pull(pluginId), "pull", PullJob)

/**
 * The push queue of a plugin, carrying {@link PushJob}s.
 *
 * @category constructors
 * @since 0.1.0
 */
export const push = (pluginId: string): JobQueue<PushJob, typeof PushJob.Encoded> =>
  make(QueueNames.push(pluginId), "push", PushJob)
