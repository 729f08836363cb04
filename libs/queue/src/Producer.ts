/**
 * Adds jobs to the hub's queues and reads them back. Payloads are encoded with the queue's Schema before they
 * reach Redis; a job id makes the add idempotent (BullMQ ignores an add whose id already exists, so the same
 * idempotency key gives the same job). Every operation fails fast with `QueueUnavailable` when Redis is down.
 *
 * @since 0.1.0
 */
import type { Job, JobsOptions } from "bullmq"
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Backoff from "./Backoff.ts"
import { BullQueues } from "./BullQueues.ts"
import { InvalidJob } from "./InvalidJob.ts"
import { type JobQueue, nameOf, type QueueRef } from "./JobQueue.ts"
import type { QueueUnavailable } from "./QueueUnavailable.ts"

/**
 * Per-job options of {@link Producer.add}.
 *
 * @category models
 * @since 0.1.0
 */
export interface AddOptions {
  /** Dedupe key: adding a job whose id exists is a no-op returning that job. No `:`, not an integer. */
  readonly jobId?: string | undefined
  /** Run no sooner than this many ms from now. */
  readonly delayMs?: number | undefined
  /** Total runs allowed, the first included (default from {@link Defaults}). */
  readonly attempts?: number | undefined
  /** Base of the exponential retry delay in ms (default from {@link Defaults}). */
  readonly backoffDelayMs?: number | undefined
  /** BullMQ priority: 1 is the highest; unset jobs come before all prioritised ones. */
  readonly priority?: number | undefined
}

/**
 * Job options applied to every job (and to the jobs of schedulers).
 *
 * @category models
 * @since 0.1.0
 */
export interface Defaults {
  /** Total runs of a job, first included (default 5). */
  readonly attempts: number
  /** Base of the exponential retry delay in ms (default 1000: 1 s, 2 s, 4 s, ...). */
  readonly backoffDelayMs: number
  /** Completed jobs kept for this many seconds (default one day)... */
  readonly keepCompletedSeconds: number
  /** ...and at most this many (default 1000). */
  readonly keepCompletedCount: number
  /** Failed jobs kept for ops for this many seconds (default 30 days). */
  readonly keepFailedSeconds: number
}

/**
 * The defaults used when a layer is given none.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: Defaults = {
  attempts: 5,
  backoffDelayMs: 1000,
  keepCompletedSeconds: 86_400,
  keepCompletedCount: 1000,
  keepFailedSeconds: 30 * 86_400
}

/**
 * A job that was added (or already existed under the same id).
 *
 * @category models
 * @since 0.1.0
 */
export interface Added {
  readonly queue: string
  readonly id: string
}

/**
 * Where a job is in its life.
 *
 * @category models
 * @since 0.1.0
 */
export type JobState =
  | "waiting"
  | "prioritized"
  | "delayed"
  | "active"
  | "completed"
  | "failed"
  | "waiting-children"
  | "unknown"

/**
 * What ops see of one job. `data` is the stored (encoded) payload as it is, even if it no longer decodes.
 *
 * @category models
 * @since 0.1.0
 */
export interface JobSnapshot {
  readonly queue: string
  readonly id: string
  readonly name: string
  readonly state: JobState
  readonly data: unknown
  readonly attemptsMade: number
  readonly attemptsStarted: number
  readonly failedReason: string | undefined
  readonly returnValue: unknown
  /** Epoch milliseconds of creation, first start and end of the last run. */
  readonly createdAt: number
  readonly processedAt: number | undefined
  readonly finishedAt: number | undefined
}

/**
 * How many jobs of a queue are in each state.
 *
 * @category models
 * @since 0.1.0
 */
export interface JobCounts {
  readonly waiting: number
  readonly prioritized: number
  readonly active: number
  readonly delayed: number
  readonly failed: number
  readonly completed: number
}

/**
 * The BullMQ options of a job from the defaults and the per-job options.
 *
 * @category constructors
 * @since 0.1.0
 */
export const jobOptions = (settings: Defaults, options: AddOptions = {}): JobsOptions => ({
  attempts: options.attempts ?? settings.attempts,
  backoff: Backoff.options(options.backoffDelayMs ?? settings.backoffDelayMs),
  removeOnComplete: { age: settings.keepCompletedSeconds, count: settings.keepCompletedCount },
  removeOnFail: { age: settings.keepFailedSeconds },
  ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
  ...(options.delayMs === undefined ? {} : { delay: options.delayMs }),
  ...(options.priority === undefined ? {} : { priority: options.priority })
})

/**
 * Why BullMQ would refuse a custom job id, if it would.
 *
 * @category validation
 * @since 0.1.0
 */
export const jobIdProblem = (jobId: string): string | undefined => {
  if (jobId.length === 0) return "jobId must not be empty"
  if (jobId.includes(":")) return `jobId ${JSON.stringify(jobId)} must not contain ':'`
  if (`${Number.parseInt(jobId, 10)}` === jobId) return `jobId ${JSON.stringify(jobId)} must not be an integer`
  return undefined
}

/**
 * The snapshot ops see of a BullMQ job.
 *
 * @category conversions
 * @since 0.1.0
 */
export const snapshotOf = (queue: string, job: Job, state: JobState): JobSnapshot => ({
  queue,
  id: job.id ?? "",
  name: job.name,
  state,
  data: job.data,
  attemptsMade: job.attemptsMade,
  attemptsStarted: job.attemptsStarted,
  failedReason: job.failedReason === "" ? undefined : job.failedReason,
  returnValue: job.returnvalue,
  createdAt: job.timestamp,
  processedAt: job.processedOn,
  finishedAt: job.finishedOn
})

const count = (counts: { readonly [state: string]: number }, state: string): number => counts[state] ?? 0

/**
 * Adds and reads jobs.
 *
 * @category services
 * @since 0.1.0
 */
export class Producer extends Context.Service<
  Producer,
  {
    /** Encodes `job` with the queue's Schema and adds it; with `jobId`, at most once per id. */
    readonly add: <A, I>(
      queue: JobQueue<A, I>,
      job: A,
      options?: AddOptions
    ) => Effect.Effect<Added, QueueUnavailable | InvalidJob>
    /** One job by id, `None` when there is none (never added, or removed after its retention). */
    readonly getJob: (queue: QueueRef, id: string) => Effect.Effect<Option.Option<JobSnapshot>, QueueUnavailable>
    /** How many jobs of the queue are in each state. */
    readonly counts: (queue: QueueRef) => Effect.Effect<JobCounts, QueueUnavailable>
    /** The job options it applies (schedulers use the same). */
    readonly defaults: Defaults
  }
>()("@hub/queue/Producer") {
  /** A producer over the process's BullMQ queues; `settings` override {@link defaults}. */
  static readonly layer = (settings: Partial<Defaults> = {}): Layer.Layer<Producer, never, BullQueues> =>
    Layer.effect(
      Producer,
      Effect.gen(function* () {
        const queues = yield* BullQueues
        const resolved: Defaults = { ...defaults, ...settings }
        return {
          defaults: resolved,
          add: Effect.fn("Producer.add")(function* <A, I>(queue: JobQueue<A, I>, job: A, options: AddOptions = {}) {
            const problem = options.jobId === undefined ? undefined : jobIdProblem(options.jobId)
            if (problem !== undefined) return yield* new InvalidJob({ queue: queue.name, reason: problem })
            const encoded = yield* Schema.encodeEffect(queue.schema)(job, { errors: "all" }).pipe(
              Effect.mapError((error) => new InvalidJob({ queue: queue.name, reason: error.message }))
            )
            const added = yield* queues.run(queue.name, "add", (q) =>
              q.add(queue.jobName, encoded, jobOptions(resolved, options))
            )
            return { queue: queue.name, id: added.id ?? options.jobId ?? "" }
          }),
          getJob: Effect.fn("Producer.getJob")(function* (queue: QueueRef, id: string) {
            const name = nameOf(queue)
            // The state first, then the job: a job read before its state could be older than the state says.
            const found = yield* queues.run(name, "getJob", (q) =>
              q.getJobState(id).then((state) =>
                q.getJob(id).then((job) => (job === undefined ? undefined : { job, state }))
              )
            )
            return found === undefined ? Option.none() : Option.some(snapshotOf(name, found.job, found.state))
          }),
          counts: Effect.fn("Producer.counts")(function* (queue: QueueRef) {
            const name = nameOf(queue)
            const counts = yield* queues.run(name, "counts", (q) =>
              q.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed")
            )
            return {
              waiting: count(counts, "waiting"),
              prioritized: count(counts, "prioritized"),
              active: count(counts, "active"),
              delayed: count(counts, "delayed"),
              failed: count(counts, "failed"),
              completed: count(counts, "completed")
            }
          })
        }
      })
    )
}
