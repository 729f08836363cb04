/**
 * The gateway's port to the push queue: enqueue the push of a prepared submission (the outbox entry's business
 * idempotency key is the job). The production layer (`adapters/QueueSubmissions.ts`) is libs/hub's
 * `Push.enqueue` over the fail-fast producer; the in-memory layer here serves tests.
 *
 * @since 0.1.0
 */
import { type InvalidJob, QueueNames, type QueueUnavailable } from "@hub/queue"
import { Context, Effect, Layer } from "effect"

/**
 * The outbox entry whose push is enqueued.
 *
 * @category models
 * @since 0.1.0
 */
export interface PushRequest {
  readonly plugin: string
  /** The outbox entry's business idempotency key. */
  readonly idempotencyKey: string
}

/**
 * The job that pushes it: the same entry always gives the same job.
 *
 * @category models
 * @since 0.1.0
 */
export interface Enqueued {
  readonly queue: string
  readonly jobId: string
}

/**
 * @category models
 * @since 0.1.0
 */
export type SubmissionQueueError = QueueUnavailable.QueueUnavailable | InvalidJob.InvalidJob

/**
 * The job id of an entry's push, as libs/hub's `Push.enqueue` makes it (BullMQ ids may not hold `:`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const jobIdOf = (idempotencyKey: string): string => `push.${idempotencyKey.replaceAll(":", ".")}`

/**
 * The push queue port.
 *
 * @category services
 * @since 0.1.0
 */
export class SubmissionQueue extends Context.Service<SubmissionQueue, {
  /** Enqueues the push of the entry; enqueueing the same entry again is the same job. */
  readonly enqueue: (request: PushRequest) => Effect.Effect<Enqueued, SubmissionQueueError>
}>()("@hub/http-api/SubmissionQueue") {
  /**
   * Jobs held in `jobs` (by job id), for tests: enqueued jobs wait for ever; the same entry is one job.
   */
  static readonly layerInMemory = (jobs: Map<string, PushRequest> = new Map()): Layer.Layer<SubmissionQueue> =>
    Layer.succeed(SubmissionQueue, {
      enqueue: (request) =>
        Effect.sync(() => {
          const jobId = jobIdOf(request.idempotencyKey)
          if (!jobs.has(jobId)) jobs.set(jobId, request)
          return { queue: QueueNames.push(request.plugin), jobId }
        })
    })
}
