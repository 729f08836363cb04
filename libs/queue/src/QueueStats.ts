/**
 * What ops need to see of the queues without the dashboard: counts per state for a set of queues, and the
 * failed jobs of a queue with the reason each failed.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { BullQueues } from "./BullQueues.ts"
import { nameOf, type QueueRef } from "./JobQueue.ts"
import { type JobCounts, Producer, snapshotOf, type JobSnapshot } from "./Producer.ts"
import type { QueueUnavailable } from "./QueueUnavailable.ts"

/**
 * One queue's counts at the moment of the snapshot.
 *
 * @category models
 * @since 0.1.0
 */
export interface QueueSnapshot extends JobCounts {
  readonly queue: string
}

/**
 * The counts (waiting, prioritized, active, delayed, failed, completed) of each queue, in the given order.
 *
 * @category observability
 * @since 0.1.0
 */
export const snapshot = (
  queues: ReadonlyArray<QueueRef>
): Effect.Effect<ReadonlyArray<QueueSnapshot>, QueueUnavailable, Producer> =>
  Effect.gen(function* () {
    const producer = yield* Producer
    return yield* Effect.forEach(
      queues,
      (queue) => producer.counts(queue).pipe(Effect.map((counts) => ({ queue: nameOf(queue), ...counts }))),
      { concurrency: 8 }
    )
  }).pipe(Effect.withSpan("QueueStats.snapshot"))

/**
 * The most recently failed jobs of a queue (at most `limit`), each with its `failedReason` and attempts.
 *
 * @category observability
 * @since 0.1.0
 */
export const failedJobs = (
  queue: QueueRef,
  limit: number
): Effect.Effect<ReadonlyArray<JobSnapshot>, QueueUnavailable, BullQueues> =>
  Effect.gen(function* () {
    const queues = yield* BullQueues
    const name = nameOf(queue)
    if (limit <= 0) return []
    const jobs = yield* queues.run(name, "getFailed", (q) => q.getFailed(0, limit - 1))
    return jobs.map((job) => snapshotOf(name, job, "failed"))
  }).pipe(Effect.withSpan("QueueStats.failedJobs"))
