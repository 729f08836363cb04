/**
 * Syncs: starting a pull of one plugin's stream (a `PullJob` on the plugin's pull queue) and reading a pull job
 * back: its state, attempts and progress, the counts of its run (accepted = stored + quarantined, from
 * `Ingest.runToEnd`'s outcome) and, when it failed, why.
 *
 * @since 0.1.0
 */
import { PullJob, QueueNames, type QueueUnavailable } from "@hub/queue"
import { Effect, Option, Schema } from "effect"
import type { Plugins } from "../../ports/Plugins.ts"
import { jobIdOf, jobIdPattern, parseJobId, type SyncJob, SyncJobs, type SyncJobsError } from "../../ports/SyncJobs.ts"
import { type Conflict, NotFound, UnknownStream } from "../../problems/GatewayErrors.ts"
import * as PluginQueries from "../plugins/PluginQueries.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * The body of `POST /v1/syncs`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StartBody = Schema.Struct({
  plugin: QueueNames.PluginId,
  stream: Schema.String.check(
    Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a stream name of the plugin's manifest, such as activity" })
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type StartBody = typeof StartBody.Type

/**
 * The answer of `POST /v1/syncs`: the job, its queue and where to read its status.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Started = Schema.Struct({
  jobId: Schema.String,
  queue: Schema.String,
  statusUrl: Schema.String
})

/**
 * @category models
 * @since 0.1.0
 */
export type Started = typeof Started.Type

/**
 * The path of `/v1/syncs/{jobId}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const JobParam = Schema.Struct({
  jobId: Schema.String.check(
    Schema.isPattern(jobIdPattern, { expected: "a job id returned by POST /v1/syncs, such as london-cbs.42" })
  )
})

/**
 * What a finished pull did (`Ingest.runToEnd`'s outcome): `accepted = stored + quarantined`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Counts = Schema.Struct({
  pages: Schema.Finite,
  accepted: Schema.Finite,
  stored: Schema.Finite,
  quarantined: Schema.Finite,
  written: Schema.optionalKey(Schema.Finite)
})

/**
 * Where a job is in its life (BullMQ's states).
 *
 * @category schemas
 * @since 0.1.0
 */
export const State = Schema.Literals(["waiting", "prioritized", "delayed", "active", "completed", "failed", "waiting-children", "unknown"])

/**
 * A pull job's status.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Status = Schema.Struct({
  jobId: Schema.String,
  queue: Schema.String,
  plugin: Schema.String,
  stream: Schema.String,
  state: State,
  reason: Schema.optionalKey(Schema.String.annotate({ description: "Why it was enqueued: schedule, request or recovery." })),
  requestedBy: Schema.optionalKey(Schema.String),
  progress: Schema.Struct({
    attemptsMade: Schema.Finite.annotate({ description: "Runs that have ended (failed, or the one that completed)." }),
    attemptsStarted: Schema.Finite,
    attemptsAllowed: Schema.optionalKey(Schema.Finite),
    percent: Schema.optionalKey(Schema.Finite.annotate({ description: "Progress the worker reported, 0 to 100." }))
  }),
  counts: Schema.optionalKey(Counts),
  failureReason: Schema.optionalKey(
    Schema.String.annotate({ description: "Why the last run failed (a failed job, or one waiting to be retried)." })
  ),
  createdAt: Schema.String,
  startedAt: Schema.optionalKey(Schema.String),
  finishedAt: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Status = typeof Status.Type

// ---------------------------------------------------------------------------------------------------------
// conversions
// ---------------------------------------------------------------------------------------------------------

const decodeCounts = Schema.decodeUnknownOption(Counts)
const decodePull = Schema.decodeUnknownOption(PullJob.PullJob)

const iso = (millis: number): string => new Date(millis).toISOString()

/**
 * The status of a job as the API shows it.
 *
 * @category conversions
 * @since 0.1.0
 */
export const statusOf = (plugin: string, job: SyncJob): Status => {
  const data = decodePull(job.data)
  const counts = decodeCounts(job.returnValue)
  const percent = typeof job.progress === "number" && Number.isFinite(job.progress) ? job.progress : undefined
  return {
    jobId: jobIdOf(plugin, job.id),
    queue: job.queue,
    plugin,
    stream: Option.match(data, { onNone: () => "unknown", onSome: (d) => d.stream }),
    state: job.state,
    ...Option.match(data, {
      onNone: () => ({}),
      onSome: (d) => ({ reason: d.reason, ...(d.requestedBy === undefined ? {} : { requestedBy: d.requestedBy }) })
    }),
    progress: {
      attemptsMade: job.attemptsMade,
      attemptsStarted: job.attemptsStarted,
      ...(job.attemptsAllowed === undefined ? {} : { attemptsAllowed: job.attemptsAllowed }),
      ...(percent === undefined ? {} : { percent })
    },
    ...(Option.isSome(counts) ? { counts: counts.value } : {}),
    ...(job.failedReason === undefined ? {} : { failureReason: job.failedReason }),
    createdAt: iso(job.createdAt),
    ...(job.processedAt === undefined ? {} : { startedAt: iso(job.processedAt) }),
    ...(job.finishedAt === undefined ? {} : { finishedAt: iso(job.finishedAt) })
  }
}

// ---------------------------------------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------------------------------------

/**
 * Enqueues a pull of an enabled plugin's stream: `NotFound` for an unknown plugin, `Conflict` for one this hub
 * does not run, `UnknownStream` for a stream it does not have, `QueueUnavailable` (503) when Redis is down.
 *
 * @category use cases
 * @since 0.1.0
 */
export const start: (
  body: StartBody,
  requestedBy: string
) => Effect.Effect<Started, NotFound | Conflict | UnknownStream | SyncJobsError, Plugins | SyncJobs> = Effect.fnUntraced(function*(body: StartBody, requestedBy: string) {
  const plugin = yield* PluginQueries.enabled(body.plugin)
  if (!plugin.streams.some((s) => s.name === body.stream)) {
    return yield* new UnknownStream({ plugin: body.plugin, stream: body.stream, streams: plugin.streams.map((s) => s.name) })
  }
  const jobs = yield* SyncJobs
  const enqueued = yield* jobs.enqueue({ plugin: body.plugin, stream: body.stream, requestedBy })
  const started: Started = { ...enqueued, statusUrl: `/v1/syncs/${encodeURIComponent(enqueued.jobId)}` }
  return started
})

/**
 * The status of a pull job, or `NotFound` (never enqueued, removed after its retention, or a plugin that is not
 * installed: no queue is opened for a name a client made up).
 *
 * @category use cases
 * @since 0.1.0
 */
export const status: (jobId: string) => Effect.Effect<Status, NotFound | QueueUnavailable.QueueUnavailable, Plugins | SyncJobs> = Effect.fnUntraced(function*(jobId: string) {
  const parsed = parseJobId(jobId)
  if (parsed === undefined) return yield* new NotFound({ entity: "sync job", key: jobId })
  yield* PluginQueries.find(parsed.plugin).pipe(Effect.mapError(() => new NotFound({ entity: "sync job", key: jobId })))
  const jobs = yield* SyncJobs
  const found = yield* jobs.find(parsed.plugin, parsed.id)
  if (Option.isNone(found)) return yield* new NotFound({ entity: "sync job", key: jobId })
  return statusOf(parsed.plugin, found.value)
})
