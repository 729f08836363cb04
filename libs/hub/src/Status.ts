/**
 * What ops read first (`hub status`): per plugin and stream, when it last synced and how many rows it holds or
 * quarantined; per queue, the job counts and the failed jobs with their reasons; per plugin, the outbox by
 * status. Read through the store's and the queue's service interfaces only.
 *
 * @since 0.1.0
 */
import { BullQueues, JobQueue, Producer, QueueStats } from "@hub/queue"
import { AuditLog, IngestRepo, OutboxRepo, RecordKinds, RecordRepo } from "@hub/store"
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

const isStoredKind = (name: string): name is RecordKinds.RecordKind => Object.hasOwn(RecordKinds.tables, name)

/** The time of the stream's last committed page, from the audit log (entries come oldest first, in pages). */
const lastCommit = (audit: AuditLog.AuditLog["Service"], entityKey: string) =>
  Effect.gen(function*() {
    let afterId: number | undefined
    let last: string | undefined
    for (;;) {
      const page = yield* audit.list({ entityType: "stream", entityKey, limit: 1000, ...(afterId === undefined ? {} : { afterId }) })
      const commits = page.filter((e) => e.action === "ingest.commit-page")
      if (commits.length > 0) last = commits[commits.length - 1]!.at
      if (page.length < 1000) return last
      afterId = page[page.length - 1]!.id
    }
  })

const streamStatus = (plugin: string, stream: string, recordType: string) =>
  Effect.gen(function*() {
    const ingest = yield* IngestRepo.IngestRepo
    const records = yield* RecordRepo.RecordRepo
    const audit = yield* AuditLog.AuditLog
    const cursor = yield* ingest.cursor({ plugin, stream })
    const rowsStored = isStoredKind(recordType) ? yield* records.count(recordType, { plugin, stream }) : 0
    const rowsQuarantined = (yield* ingest.quarantined({ plugin, stream, limit: 1_000_000 })).length
    const lastSyncAt = yield* lastCommit(audit, `${plugin}/${stream}`)
    const status: StreamStatus = {
      plugin,
      stream,
      recordType,
      cursor,
      ...(lastSyncAt === undefined ? {} : { lastSyncAt }),
      rowsStored,
      rowsQuarantined
    }
    return status
  })

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
  | IngestRepo.IngestRepo
  | RecordRepo.RecordRepo
  | AuditLog.AuditLog
  | OutboxRepo.OutboxRepo
  | Producer.Producer
  | BullQueues.BullQueues
> =>
  Effect.gen(function*() {
    const registry = yield* PluginRegistry
    const outboxRepo = yield* OutboxRepo.OutboxRepo
    const failedLimit = options.failedLimit ?? 10
    const streams = yield* Effect.forEach(
      registry.entries.flatMap((e) => e.manifest.streams.map((s) => ({ plugin: e.id, stream: s.name, recordType: s.recordType }))),
      (s) => streamStatus(s.plugin, s.stream, s.recordType)
    ).pipe(Effect.mapError(storeFailure("reading stream status")))
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
