/**
 * The SubmissionQueue port over libs/hub's `Push.enqueue`: the push job is added by the fail-fast `Producer` on
 * the plugin's push queue with a job id derived from the entry's idempotency key, so Redis being down is a
 * `QueueUnavailable` (a 503) at once, and enqueueing the same entry twice is one job.
 *
 * @since 0.1.0
 */
import { Push } from "@hub/hub"
import { Producer } from "@hub/queue"
import { Effect, Layer } from "effect"
import { SubmissionQueue } from "../ports/SubmissionQueue.ts"

/**
 * The port over the process's producer.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<SubmissionQueue, never, Producer.Producer> = Layer.effect(
  SubmissionQueue,
  Effect.gen(function*() {
    const producer = yield* Producer.Producer
    return {
      enqueue: (request) =>
        Push.enqueue(request).pipe(
          Effect.provideService(Producer.Producer, producer),
          Effect.map((added) => ({ queue: added.queue, jobId: added.id }))
        )
    }
  })
)
