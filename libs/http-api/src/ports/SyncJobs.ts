/**
 * The gateway's port to pull (sync) jobs: enqueue a pull of one plugin's stream, and read a job back by id.
 * The public job id names the plugin's pull queue and BullMQ's id in it (`london-cbs.42`), since BullMQ ids are
 * only unique within a queue. The queue-backed adapter is `adapters/QueueSyncJobs.ts`; the in-memory layer here
 * serves the unit tests.
 *
 * @since 0.1.0
 */
import type { InvalidJob, Producer, QueueUnavailable } from "@hub/queue"
import { Clock, Context, Effect, Layer, Option } from "effect"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * A pull to enqueue.
 *
 * @category models
 * @since 0.1.0
 */
export interface PullRequest {
  readonly plugin: string
  readonly stream: string
  /** Who asked (`api-key:<id>`): recorded on the job, never a secret. */
  readonly requestedBy: string
}

/**
 * An enqueued pull.
 *
 * @category models
 * @since 0.1.0
 */
export interface Enqueued {
  readonly jobId: string
  readonly queue: string
}

/**
 * A job as the queue holds it: libs/queue's snapshot plus the progress it reported and the runs it may make.
 *
 * @category models
 * @since 0.1.0
 */
export interface SyncJob extends Producer.JobSnapshot {
  /** BullMQ's progress of the job (0 until the worker reports some). */
  readonly progress: unknown
  /** Total runs allowed, the first included. */
  readonly attemptsAllowed: number | undefined
}

/**
 * The failures of the queue: Redis cannot serve now (503), or the job was refused before reaching it.
 *
 * @category models
 * @since 0.1.0
 */
export type SyncJobsError = QueueUnavailable.QueueUnavailable | InvalidJob.InvalidJob

// ---------------------------------------------------------------------------------------------------------
// job ids
// ---------------------------------------------------------------------------------------------------------

const publicId = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.([A-Za-z0-9:_-]{1,200})$/u

/**
 * The public id of job `id` in `plugin`'s pull queue.
 *
 * @category job ids
 * @since 0.1.0
 */
export const jobIdOf = (plugin: string, id: string): string => `${plugin}.${id}`

/**
 * The plugin and queue-local id a public job id names, or `undefined` when it is not one.
 *
 * @category job ids
 * @since 0.1.0
 */
export const parseJobId = (jobId: string): { readonly plugin: string; readonly id: string } | undefined => {
  const match = publicId.exec(jobId)
  return match === null || match[1] === undefined || match[2] === undefined ? undefined : { plugin: match[1], id: match[2] }
}

/**
 * The pattern of a public job id, for the path parameter's Schema.
 *
 * @category job ids
 * @since 0.1.0
 */
export const jobIdPattern = publicId

// ---------------------------------------------------------------------------------------------------------
// the port
// ---------------------------------------------------------------------------------------------------------

/**
 * Enqueues pulls and reads jobs.
 *
 * @category services
 * @since 0.1.0
 */
export class SyncJobs extends Context.Service<SyncJobs, {
  readonly enqueue: (request: PullRequest) => Effect.Effect<Enqueued, SyncJobsError>
  /** The job with queue-local `id` in `plugin`'s pull queue; `None` when there is none (or it was removed). */
  readonly find: (plugin: string, id: string) => Effect.Effect<Option.Option<SyncJob>, QueueUnavailable.QueueUnavailable>
}>()("@hub/http-api/SyncJobs") {
  /**
   * Jobs held in memory, for tests: enqueued jobs wait forever; `seed` adds jobs in any state.
   */
  static readonly layerInMemory = (seed: ReadonlyArray<SyncJob> = []): Layer.Layer<SyncJobs> =>
    Layer.sync(SyncJobs, () => {
      const jobs = new Map<string, SyncJob>(seed.map((job) => [`${job.queue}/${job.id}`, job]))
      let next = 1
      const queueOf = (plugin: string): string => `hub.${plugin}.pull`
      return {
        enqueue: (request) =>
          Effect.map(Clock.currentTimeMillis, (now) => {
            const id = String(next++)
            const queue = queueOf(request.plugin)
            jobs.set(`${queue}/${id}`, {
              queue,
              id,
              name: "pull",
              state: "waiting",
              data: { plugin: request.plugin, stream: request.stream, reason: "request", requestedBy: request.requestedBy },
              attemptsMade: 0,
              attemptsStarted: 0,
              failedReason: undefined,
              returnValue: null,
              createdAt: now,
              processedAt: undefined,
              finishedAt: undefined,
              progress: 0,
              attemptsAllowed: 5
            })
            return { jobId: jobIdOf(request.plugin, id), queue }
          }),
        find: (plugin, id) => Effect.sync(() => Option.fromNullishOr(jobs.get(`${queueOf(plugin)}/${id}`)))
      }
    })
}
