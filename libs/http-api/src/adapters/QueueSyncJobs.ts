/**
 * The SyncJobs port over libs/queue: pulls are added by the fail-fast `Producer` as `PullJob`s on the plugin's
 * pull queue (so Redis being down is a `QueueUnavailable`, a 503, at once), and jobs are read back from the same
 * BullMQ queue with the progress and attempts BullMQ keeps.
 *
 * @since 0.1.0
 */
import { BullQueues, JobQueue, Producer, QueueNames } from "@hub/queue"
import { Effect, Layer, Option } from "effect"
import { jobIdOf, SyncJobs } from "../ports/SyncJobs.ts"

/**
 * The port over the process's producer and queues.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<SyncJobs, never, Producer.Producer | BullQueues.BullQueues> = Layer.effect(
  SyncJobs,
  Effect.gen(function*() {
    const producer = yield* Producer.Producer
    const queues = yield* BullQueues.BullQueues
    return {
      enqueue: (request) =>
        producer
          .add(JobQueue.pull(request.plugin), { plugin: request.plugin, stream: request.stream, reason: "request", requestedBy: request.requestedBy })
          .pipe(Effect.map((added) => ({ jobId: jobIdOf(request.plugin, added.id), queue: added.queue }))),
      find: (plugin, id) => {
        const name = QueueNames.pull(plugin)
        // The state first, then the job: a job read before its state could be older than the state says.
        return queues
          .run(name, "getJob", (q) => q.getJobState(id).then((state) => q.getJob(id).then((job) => (job === undefined ? undefined : { job, state }))))
          .pipe(
            Effect.map((found) =>
              found === undefined
                ? Option.none()
                : Option.some({
                  ...Producer.snapshotOf(name, found.job, found.state),
                  progress: found.job.progress,
                  attemptsAllowed: found.job.opts.attempts
                })
            )
          )
      }
    }
  })
)
