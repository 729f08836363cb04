/**
 * The worker side of the queues: one BullMQ worker per registered plugin and direction, each running its use
 * case (pull → `Ingest.runToEnd`, then attach any acknowledgements; push → `Push.send`). Use-case failures carry
 * `retryable`, which `JobWorker` turns into a retry with backoff or a permanent failure with its reason.
 *
 * @since 0.1.0
 */
import { Ingest, PluginRegistry, Push } from "@hub/hub"
import { JobQueue, JobWorker, type QueueConnection } from "@hub/queue"
import type { BudgetRepo, IngestRepo, OutboxRepo, RecordRepo } from "@hub/store"
import { Effect, type Scope } from "effect"

/**
 * How the workers behave (from `WorkerConfig`).
 *
 * @category models
 * @since 0.1.0
 */
export interface WorkerSettings {
  readonly concurrency: number
  readonly closeTimeoutMs: number
  readonly lockDurationMs?: number | undefined
  readonly stalledIntervalMs?: number | undefined
  /** The row cap of one pulled page (`Ingest.defaultMaxPageRows` when unset). */
  readonly maxPageRows?: number | undefined
}

/**
 * Starts the pull and push workers of every registered plugin, for the life of the scope; closing the scope
 * (SIGTERM) closes them gracefully within `closeTimeoutMs`.
 *
 * @category workers
 * @since 0.1.0
 */
export const start: (settings: WorkerSettings) => Effect.Effect<
  ReadonlyArray<string>,
  never,
  | Scope.Scope
  | QueueConnection.QueueConnection
  | PluginRegistry.PluginRegistry
  | IngestRepo.IngestRepo
  | BudgetRepo.BudgetRepo
  | OutboxRepo.OutboxRepo
  | RecordRepo.RecordRepo
> = Effect.fn("Workers.start")(function*(settings: WorkerSettings) {
  const registry = yield* PluginRegistry.PluginRegistry
  const common = {
    concurrency: settings.concurrency,
    closeTimeoutMs: settings.closeTimeoutMs,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs
  }
  const started: Array<string> = []
  for (const entry of registry.entries) {
    const pull = yield* JobWorker.runWorker({
      ...common,
      queue: JobQueue.pull(entry.id),
      process: (job) =>
        Effect.gen(function*() {
          const run = yield* Ingest.runToEnd({ plugin: job.data.plugin, stream: job.data.stream }, { maxPageRows: settings.maxPageRows })
          // A stream of acknowledgements answers submissions: attach them to their outbox entries at once.
          if (entry.manifest.streams.find((s) => s.name === run.stream)?.recordType === "submission-acknowledgement") {
            yield* Push.attachAcknowledgements(run.plugin)
          }
          return run
        })
    })
    started.push(pull.queue)
    if (entry.manifest.pushes.length > 0) {
      const push = yield* JobWorker.runWorker({
        ...common,
        queue: JobQueue.push(entry.id),
        process: (job) => Push.send(job.data.outboxId, { finalAttempt: job.attemptsMade + 1 >= job.attempts })
      })
      started.push(push.queue)
    }
  }
  yield* Effect.logInfo(`workers started on ${started.join(", ")}`)
  return started
})
