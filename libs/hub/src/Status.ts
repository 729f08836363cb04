/**
 * What ops read first (`hub status`): per plugin and stream, when it last synced and how many rows it holds or
 * quarantined; per queue, the job counts and the failed jobs with their reasons; per plugin, the outbox by
 * status. Read through the store's and the queue's service interfaces only.
 *
 * @since 0.1.0
 */
import { BullQueues, JobQueue, Producer, QueueStats } from "@hub/queue"
import { OutboxRepo, RecordRepo } from "@hub/store"
import { Effect } from "effect"
import { type StoreFailure, storeFailure } from "./HubError.ts"
import { PluginRegistry } from "./PluginRegistry.ts"

/**
 * One stream's state.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamStatus {
  readonly plugin: string
  readonly stream: string
  readonly recordType: string
  readonly cursor: string | null
  /** When the stream's last page was committed (ISO), absent before the first. */
  readonly lastSyncAt?: string
  readonly rowsStored: number
  readonly rowsQuarantined: number
}

/**
 * One queue's state; `error` instead of counts when Redis did not answer.
 *
 * @category models
 * @since 0.1.0
 */
export interface QueueStatus {
  readonly queue: string
  readonly counts?: Producer.JobCounts
  readonly failedJobs: ReadonlyArray<{ readonly id: string; readonly reason: string; readonly attempts: number; readonly data: unknown }>
  readonly error?: string
}

/**
 * A plugin's outbox, counted by status.
 *
 * @category models
 * @since 0.1.0
 */
export interface OutboxStatus {
  readonly plugin: string
  readonly counts: Readonly<Record<OutboxRepo.OutboxStatus, number>>
}

/**
 * The whole picture.
 *
 * @category models
 * @since 0.1.0
 */
export interface HubStatus {
  readonly streams: ReadonlyArray<StreamStatus>
  readonly queues: ReadonlyArray<QueueStatus>
  readonly outbox: ReadonlyArray<OutboxStatus>
}

/** A stream's state from the store's per-stream counts (counted in the database, GROUP BY plugin, stream). */
const streamStatus = (
  counts: ReadonlyMap<string, RecordRepo.StreamCounts>,
  plugin: string,
  stream: string,
  recordType: string
): StreamStatus => {
  const held = counts.get(JSON.stringify([plugin, stream]))
  return {
    plugin,
    stream,
    recordType,
    cursor: held?.cursor ?? null,
    ...(held?.lastCommitAt === undefined ? {} : { lastSyncAt: held.lastCommitAt }),
    rowsStored: held?.rowsStored ?? 0,
    rowsQuarantined: held?.rowsQuarantined ?? 0
  }
}

const queueStatus = (queue: string, failedLimit: number) =>
  Effect.gen(function*() {
    const producer = yield* Producer.Producer
    const counts = yield* producer.counts(queue)
    const failed = yield* QueueStats.failedJobs(queue, failedLimit)
    const status: QueueStatus = {
      queue,
      counts,
      failedJobs: failed.map((j) => ({ id: j.id, reason: j.failedReason ?? "(no reason recorded)", attempts: j.attemptsMade, data: j.data }))
    }
    return status
  }).pipe(
    Effect.catchTag("QueueUnavailable", (e) => Effect.succeed<QueueStatus>({ queue, failedJobs: [], error: e.message }))
  )

const emptyCounts = (): Record<OutboxRepo.OutboxStatus, number> => ({ prepared: 0, sent: 0, acknowledged: 0, rejected: 0, failed: 0 })

/**
 * The status of every registered plugin: its streams, its pull and push queues (at most `failedLimit` failed
 * jobs each, newest first) and its outbox.
 *
 * @category use cases
 * @since 0.1.0
 */
export const snapshot = (options: { readonly failedLimit?: number } = {}): Effect.Effect<
  HubStatus,
  StoreFailure,
  | PluginRegistry
  | RecordRepo.RecordRepo
  | OutboxRepo.OutboxRepo
  | Producer.Producer
  | BullQueues.BullQueues
> =>
  Effect.gen(function*() {
    const registry = yield* PluginRegistry
    const outboxRepo = yield* OutboxRepo.OutboxRepo
    const failedLimit = options.failedLimit ?? 10
    const records = yield* RecordRepo.RecordRepo
    const counts = yield* records.streamCounts().pipe(Effect.mapError(storeFailure("reading stream status")))
    const byStream = new Map(counts.map((c) => [JSON.stringify([c.plugin, c.stream]), c]))
    const streams = registry.entries.flatMap((e) =>
      e.manifest.streams.map((s) => streamStatus(byStream, e.id, s.name, s.recordType))
    )
    const queueNames = registry.entries.flatMap((e) => [
      JobQueue.pull(e.id).name,
      ...(e.manifest.pushes.length > 0 ? [JobQueue.push(e.id).name] : [])
    ])
    const queues = yield* Effect.forEach(queueNames, (q) => queueStatus(q, failedLimit))
    const outbox = yield* Effect.forEach(registry.entries, (e) =>
      outboxRepo.list({ plugin: e.id, limit: 100_000 }).pipe(
        Effect.map((entries): OutboxStatus => {
          const counts = emptyCounts()
          for (const entry of entries) counts[entry.status] += 1
          return { plugin: e.id, counts }
        })
      )).pipe(Effect.mapError(storeFailure("reading the outbox")))
    const status: HubStatus = { streams, queues, outbox }
    return status
  })
