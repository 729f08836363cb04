/**
 * The first sync of a fresh hub: one pull job per stream of every registered plugin, through the same queues
 * and workers as the scheduled ones, waiting until each has completed or failed for good.
 *
 * @since 0.1.0
 */
import type { PluginRegistry } from "@hub/hub"
import { type InvalidJob, JobQueue, Producer, type QueueUnavailable } from "@hub/queue"
import { Clock, Effect, Option, Schedule } from "effect"

/**
 * How one stream's first sync ended: the job's state and its result (the ingest's counts) or reason.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamSync {
  readonly plugin: string
  readonly stream: string
  readonly state: string
  readonly result?: unknown
  readonly failedReason?: string
}

/**
 * Enqueues a pull of every stream and waits (up to `timeoutMs`) for all of them to end.
 *
 * @category programs
 * @since 0.1.0
 */
export const run = (
  registry: PluginRegistry.PluginRegistry["Service"],
  options: { readonly timeoutMs: number }
): Effect.Effect<ReadonlyArray<StreamSync>, QueueUnavailable.QueueUnavailable | InvalidJob.InvalidJob, Producer.Producer> =>
  Effect.gen(function*() {
    const producer = yield* Producer.Producer
    const at = yield* Clock.currentTimeMillis
    const streams = registry.entries.flatMap((e) => e.manifest.streams.map((s) => ({ plugin: e.id, stream: s.name })))
    return yield* Effect.forEach(streams, (s) =>
      Effect.gen(function*() {
        const queue = JobQueue.pull(s.plugin)
        const added = yield* producer.add(queue, { plugin: s.plugin, stream: s.stream, reason: "request", requestedBy: "first-sync" }, {
          jobId: `first-sync.${s.plugin}.${s.stream}.${at}`
        })
        const job = yield* producer.getJob(queue, added.id).pipe(
          Effect.map(Option.getOrUndefined),
          Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("250 millis") }),
          Effect.timeoutOption(options.timeoutMs)
        )
        const snapshot = Option.getOrUndefined(job)
        const outcome: StreamSync = {
          ...s,
          state: snapshot?.state ?? "still running",
          ...(snapshot?.returnValue === undefined || snapshot.returnValue === null ? {} : { result: snapshot.returnValue }),
          ...(snapshot?.failedReason === undefined ? {} : { failedReason: snapshot.failedReason })
        }
        return outcome
      }), { concurrency: "unbounded" })
  })
