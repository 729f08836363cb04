/**
 * Queue depth for `/metrics`: libs/queue's `QueueStats.snapshot` of the hub's queues, taken when Prometheus
 * scrapes, as the samples `GatewayMetrics` turns into the `hub_queue_depth{queue,state}` gauge.
 *
 * @since 0.1.0
 */
import { type Producer, QueueStats } from "@hub/queue"
import type { ManagedRuntime } from "effect"
import type { QueueSample } from "../middleware/metrics/GatewayMetrics.ts"

/**
 * Samples the named queues on a runtime that provides libs/queue's `Producer`. Rejects when Redis does not
 * answer within the producer's deadline (the gauge then keeps its last values).
 *
 * @category constructors
 * @since 0.1.0
 */
export const sampler =
  (runtime: ManagedRuntime.ManagedRuntime<Producer.Producer, unknown>, queueNames: ReadonlyArray<string>) =>
  (): Promise<ReadonlyArray<QueueSample>> =>
    runtime.runPromise(QueueStats.snapshot(queueNames)).then((snapshots) => snapshots.map(({ queue, ...counts }) => ({ queue, counts })))
