/**
 * The hub's job queues on BullMQ and ioredis, as Effect layers: queue names, job payload schemas, the producer,
 * job schedulers from configuration, worker scaffolding with graceful shutdown, and ops statistics.
 *
 * @since 0.1.0
 */
export * as Backoff from "./Backoff.ts"
export * as BullQueues from "./BullQueues.ts"
export * as InvalidJob from "./InvalidJob.ts"
export * as JobFailure from "./JobFailure.ts"
export * as JobQueue from "./JobQueue.ts"
export * as JobWorker from "./JobWorker.ts"
export * as Producer from "./Producer.ts"
export * as PullJob from "./PullJob.ts"
export * as PushJob from "./PushJob.ts"
export * as QueueConnection from "./QueueConnection.ts"
export * as QueueLayer from "./QueueLayer.ts"
export * as QueueNames from "./QueueNames.ts"
export * as QueueStats from "./QueueStats.ts"
export * as QueueUnavailable from "./QueueUnavailable.ts"
export * as Retryability from "./Retryability.ts"
export * as Schedules from "./Schedules.ts"
