/**
 * The push use case (ARCHITECTURE.md, "Push"): send a prepared submission from the outbox with its business
 * idempotency key, store the outside system's receipt against it, and later attach the system's
 * acknowledgement (accepted or rejected) pulled from its acknowledgement stream. Sending the same entry again is
 * harmless: the system treats the repeated key as the same submission, and a sent entry is not sent twice.
 *
 * @since 0.1.0
 */
import type { PluginError, SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { type InvalidJob, JobQueue, Producer, type QueueUnavailable } from "@hub/queue"
import { OutboxRepo, RecordRepo } from "@hub/store"
import { Effect } from "effect"
import { type StoreFailure, storeFailure, SubmissionProblem } from "./HubError.ts"
import { PluginRegistry, type UnknownPlugin } from "./PluginRegistry.ts"

/**
 * Every way sending can fail; each carries `retryable`.
 *
 * @category models
 * @since 0.1.0
 */
export type SendError = PluginError.PluginError | UnknownPlugin | StoreFailure | SubmissionProblem

/**
 * What sending did: `sent` when the system was called (a repeat of the key included), `skipped` when the entry
 * had already been sent, acknowledged or rejected.
 *
 * @category models
 * @since 0.1.0
 */
export interface SendOutcome {
  readonly idempotencyKey: string
  readonly action: "sent" | "skipped"
  readonly status: OutboxRepo.OutboxStatus
  readonly receipt?: SubmissionAcknowledgement.SubmissionAcknowledgement
}

/**
 * How a push job's attempt calls {@link send}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SendOptions {
  /** No retry follows this attempt: a retryable failure closes the entry as `failed` as well. */
  readonly finalAttempt?: boolean | undefined
}

/**
 * Sends the outbox entry with this idempotency key (the push job's `outboxId`) through its plugin and stores
 * the receipt. A receipt that is already final (`accepted`/`rejected`, systems that validate at once) also
 * closes the entry. A permanent plugin failure marks the entry `failed` with the reason, then fails; a
 * retryable one leaves it as it was, for the job's retry, unless `options.finalAttempt` says no retry follows
 * (the push job's last attempt): then the entry is marked `failed` too, so no outbox row stays open forever.
 *
 * @category use cases
 * @since 0.1.0
 */
export const send: (
  idempotencyKey: string,
  options?: SendOptions
) => Effect.Effect<SendOutcome, SendError, OutboxRepo.OutboxRepo | PluginRegistry> = Effect.fn("Push.send")(function*(idempotencyKey: string, options?: SendOptions) {
  const outbox = yield* OutboxRepo.OutboxRepo
  const registry = yield* PluginRegistry
  const entry = yield* outbox.find(idempotencyKey).pipe(Effect.mapError(storeFailure("reading the outbox")))
  if (entry === undefined) {
    return yield* new SubmissionProblem({ key: idempotencyKey, reason: "no such submission in the outbox" })
  }
  if (entry.status === "sent" || entry.status === "acknowledged" || entry.status === "rejected") {
    const skipped: SendOutcome = { idempotencyKey, action: "skipped", status: entry.status }
    return skipped
  }
  const plugin = yield* registry.get(entry.plugin)
  const receipt = yield* plugin.push(entry.kind, entry.payload, entry.idempotencyKey).pipe(
    Effect.tapError((error) =>
      !error.retryable
        ? outbox.markFailed(idempotencyKey, { reasons: [`${error._tag}: ${error.message}`] }).pipe(Effect.ignore)
        : options?.finalAttempt === true
        ? outbox.markFailed(idempotencyKey, { reasons: [`${error._tag}: ${error.message} (no attempts left)`] }).pipe(Effect.ignore)
        : Effect.void
    )
  )
  const sent = yield* outbox.markSent(idempotencyKey, { receipt }).pipe(Effect.mapError(storeFailure("recording the receipt")))
  const closed = receipt.status === "accepted"
    ? yield* outbox.markAcknowledged(idempotencyKey, { acknowledgement: receipt }).pipe(Effect.mapError(storeFailure("recording the acknowledgement")))
    : receipt.status === "rejected"
    ? yield* outbox.markRejected(idempotencyKey, { acknowledgement: receipt, reasons: receipt.reasons }).pipe(Effect.mapError(storeFailure("recording the rejection")))
    : sent
  const outcome: SendOutcome = { idempotencyKey, action: "sent", status: closed.status, receipt }
  yield* Effect.logInfo("sent a submission").pipe(Effect.annotateLogs({ idempotencyKey, status: closed.status, submissionId: receipt.submissionId }))
  return outcome
})

/**
 * What attaching acknowledgements did.
 *
 * @category models
 * @since 0.1.0
 */
export interface AttachOutcome {
  readonly acknowledged: ReadonlyArray<string>
  readonly rejected: ReadonlyArray<string>
}

/**
 * Attaches the acknowledgements a plugin's acknowledgement stream brought into the store to the sent outbox
 * entries they answer (matched by idempotency key): `accepted` closes an entry as acknowledged, `rejected` as
 * rejected with the system's reasons. Running it again changes nothing.
 *
 * @category use cases
 * @since 0.1.0
 */
export const attachAcknowledgements = Effect.fn("Push.attachAcknowledgements")(function*(plugin: string) {
  const outbox = yield* OutboxRepo.OutboxRepo
  const records = yield* RecordRepo.RecordRepo
  const waiting = yield* outbox.list({ plugin, status: "sent" }).pipe(Effect.mapError(storeFailure("reading the outbox")))
  if (waiting.length === 0) return { acknowledged: [], rejected: [] } satisfies AttachOutcome
  const acks = yield* records.list("submission-acknowledgement", { plugin, limit: 100_000 }).pipe(
    Effect.mapError(storeFailure("reading acknowledgements"))
  )
  const byKey = new Map(acks.filter((a) => a.status !== "pending").map((a) => [a.idempotencyKey, a]))
  const acknowledged: Array<string> = []
  const rejected: Array<string> = []
  for (const entry of waiting) {
    const ack = byKey.get(entry.idempotencyKey)
    if (ack === undefined) continue
    if (ack.status === "accepted") {
      yield* outbox.markAcknowledged(entry.idempotencyKey, { acknowledgement: ack }).pipe(Effect.mapError(storeFailure("attaching an acknowledgement")))
      acknowledged.push(entry.idempotencyKey)
    } else {
      yield* outbox.markRejected(entry.idempotencyKey, { acknowledgement: ack, reasons: ack.reasons }).pipe(
        Effect.mapError(storeFailure("attaching a rejection"))
      )
      rejected.push(entry.idempotencyKey)
    }
  }
  const outcome: AttachOutcome = { acknowledged, rejected }
  return outcome
})

/**
 * Enqueues the push of an outbox entry on its plugin's push queue. The job id is derived from the idempotency
 * key, so enqueueing the same entry twice makes one job.
 *
 * @category use cases
 * @since 0.1.0
 */
export const enqueue = (
  entry: Pick<OutboxRepo.OutboxEntry, "plugin" | "idempotencyKey">
): Effect.Effect<Producer.Added, QueueUnavailable.QueueUnavailable | InvalidJob.InvalidJob, Producer.Producer> =>
  Producer.Producer.use((producer) =>
    producer.add(JobQueue.push(entry.plugin), { outboxId: entry.idempotencyKey }, { jobId: `push.${entry.idempotencyKey.replaceAll(":", ".")}` })
  )
