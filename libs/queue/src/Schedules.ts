/**
 * Pull schedules from configuration, kept in Redis as BullMQ job schedulers (one per plugin stream, on the
 * plugin's pull queue). {@link Schedules.sync} is idempotent: run it at every start; it creates or updates the
 * configured schedulers, leaves unchanged ones alone (so a restart does not reset their timing) and removes the
 * hub's schedulers that are no longer configured.
 *
 * @since 0.1.0
 */
import type { Queue } from "bullmq"
import { Context, Cron, Duration, Effect, Layer, Option, Result, Schema } from "effect"
import { BullQueues } from "./BullQueues.ts"
import * as JobQueue from "./JobQueue.ts"
import { type Defaults, jobOptions, Producer } from "./Producer.ts"
import type { QueueUnavailable } from "./QueueUnavailable.ts"
import { PluginId } from "./QueueNames.ts"

/**
 * One configured schedule: pull `stream` of `plugin` `every` so often. `every` is a duration (`"15 minutes"`,
 * `"1 hour"`) or a cron expression (`"0 6 * * 1-5"`, five or six fields), evaluated in `tz` (default UTC).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ScheduleSpec = Schema.Struct({
  plugin: PluginId,
  stream: Schema.NonEmptyString,
  every: Schema.NonEmptyString,
  tz: Schema.optionalKey(Schema.NonEmptyString)
}).annotate({ identifier: "ScheduleSpec" })

/**
 * @category models
 * @since 0.1.0
 */
export type ScheduleSpec = typeof ScheduleSpec.Type

/**
 * How often a schedule fires, as BullMQ wants it.
 *
 * @category models
 * @since 0.1.0
 */
export type Repeat = { readonly _tag: "Every"; readonly everyMs: number } | { readonly _tag: "Cron"; readonly pattern: string }

/**
 * The configuration named schedules that cannot be used; `problems` names each one (`schedules[2].every: ...`).
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidSchedule extends Schema.TaggedError<InvalidSchedule>()("InvalidSchedule", {
  problems: Schema.NonEmptyArray(Schema.String)
}) {
  override get message(): string {
    return `invalid schedules: ${this.problems.join("; ")}`
  }
}

/**
 * What {@link Schedules.sync} changed, by scheduler id (`<queue>/<scheduler>`).
 *
 * @category models
 * @since 0.1.0
 */
export interface SyncReport {
  readonly upserted: ReadonlyArray<string>
  readonly unchanged: ReadonlyArray<string>
  readonly removed: ReadonlyArray<string>
}

/**
 * The hub's job schedulers are named `schedule.<stream>`; schedulers with other ids are left alone.
 *
 * @category constants
 * @since 0.1.0
 */
export const schedulerIdPrefix = "schedule."

/**
 * The scheduler id of a stream's schedule.
 *
 * @category constructors
 * @since 0.1.0
 */
export const schedulerId = (stream: string): string => `${schedulerIdPrefix}${stream}`

/**
 * Reads `every`: a positive duration of at least one second, or a valid cron expression.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseRepeat = (every: string, tz?: string): Result.Result<Repeat, string> => {
  const trimmed = every.trim()
  const duration = /^\d+(?:\.\d+)?\s+[a-z]+$/u.test(trimmed)
    ? // The pattern above is the `${number} ${unit}` shape Duration reads; it checks the unit itself.
      Duration.fromInput(trimmed.replace(/\s+/u, " ") as Duration.Input)
    : Option.none()
  if (Option.isSome(duration)) {
    const everyMs = Duration.toMillis(duration.value)
    return Number.isFinite(everyMs) && everyMs >= 1000
      ? Result.succeed({ _tag: "Every", everyMs: Math.round(everyMs) })
      : Result.fail(`${JSON.stringify(every)} is shorter than one second`)
  }
  const cron = Cron.parse(trimmed, tz)
  return Result.isSuccess(cron)
    ? Result.succeed({ _tag: "Cron", pattern: trimmed.split(/\s+/u).join(" ") })
    : Result.fail(
        `${JSON.stringify(every)} is neither a duration such as "15 minutes" nor a cron expression such as "0 6 * * *" (${cron.failure.message})`
      )
}

/**
 * A schedule that passed validation, with its repeat read.
 *
 * @category models
 * @since 0.1.0
 */
export interface Planned {
  readonly spec: ScheduleSpec
  readonly repeat: Repeat
}

/**
 * Checks every schedule at once: each problem names its position and field. Two schedules of the same plugin
 * stream are a problem too (a stream has one schedule).
 *
 * @category validation
 * @since 0.1.0
 */
export const plan = (specs: ReadonlyArray<ScheduleSpec>): Result.Result<ReadonlyArray<Planned>, ReadonlyArray<string>> => {
  const problems: Array<string> = []
  const planned: Array<Planned> = []
  const seen = new Map<string, number>()
  specs.forEach((spec, index) => {
    const where = `schedules[${index}] (${spec.plugin}/${spec.stream})`
    if (spec.stream.includes(":")) problems.push(`${where}.stream: must not contain ':'`)
    const key = `${spec.plugin}\u0000${spec.stream}`
    const previous = seen.get(key)
    if (previous !== undefined) problems.push(`${where}: the stream is already scheduled by schedules[${previous}]`)
    else seen.set(key, index)
    const repeat = parseRepeat(spec.every, spec.tz)
    if (Result.isFailure(repeat)) problems.push(`${where}.every: ${repeat.failure}`)
    else planned.push({ spec, repeat: repeat.success })
  })
  return problems.length > 0 ? Result.fail(problems) : Result.succeed(planned)
}

const repeatOptions = (planned: Planned): { every?: number; pattern?: string; tz?: string } => ({
  ...(planned.repeat._tag === "Every" ? { every: planned.repeat.everyMs } : { pattern: planned.repeat.pattern }),
  ...(planned.spec.tz === undefined ? {} : { tz: planned.spec.tz })
})

/** The parts of a scheduler that, when equal, make an upsert pointless (and would only reset its timing). */
const fingerprint = (
  repeat: { every?: number | undefined; pattern?: string | undefined; tz?: string | undefined },
  data: unknown,
  opts: unknown
): string =>
  JSON.stringify({ every: repeat.every ?? null, pattern: repeat.pattern ?? null, tz: repeat.tz ?? null, data, opts })

const templateOptions = (defaults: Defaults): Record<string, unknown> => {
  const { jobId: _jobId, delay: _delay, ...rest } = jobOptions(defaults)
  return rest
}

const templateOptionsFingerprint = (opts: Record<string, unknown> | undefined): unknown => {
  // Redis hands the options back with their keys in another order: compare the fields that matter, by name.
  const backoff = opts?.["backoff"]
  const { type, delay } =
    typeof backoff === "object" && backoff !== null ? (backoff as { type?: unknown; delay?: unknown }) : { type: backoff, delay: null }
  return { attempts: opts?.["attempts"] ?? null, backoffType: type ?? null, backoffDelay: delay ?? null }
}

/**
 * Keeps the hub's job schedulers in line with configuration.
 *
 * @category services
 * @since 0.1.0
 */
export class Schedules extends Context.Service<
  Schedules,
  {
    /**
     * Makes the schedulers of the pull queues of `plugins` (and of every plugin a schedule names) exactly
     * `schedules`: upserts new or changed ones, removes the hub's schedulers that are no longer configured.
     */
    readonly sync: (options: {
      readonly plugins: ReadonlyArray<string>
      readonly schedules: ReadonlyArray<ScheduleSpec>
    }) => Effect.Effect<SyncReport, QueueUnavailable | InvalidSchedule>
    /** The hub's schedulers on a plugin's pull queue, by id, with their `every` or cron pattern. */
    readonly list: (
      plugin: string
    ) => Effect.Effect<
      ReadonlyArray<{ readonly id: string; readonly everyMs: number | undefined; readonly pattern: string | undefined; readonly next: number | undefined }>,
      QueueUnavailable
    >
  }
>()("@hub/queue/Schedules") {
  /** Schedules over the process's BullMQ queues, with the producer's job defaults for scheduled jobs. */
  static readonly layer: Layer.Layer<Schedules, never, BullQueues | Producer> = Layer.effect(
    Schedules,
    Effect.gen(function* () {
      const queues = yield* BullQueues
      const producer = yield* Producer
      const encodePull = Schema.encodeSync(JobQueue.pull("x").schema)
      const schedulersOf = (name: string) =>
        queues.run(name, "getJobSchedulers", (q: Queue) => q.getJobSchedulers(0, -1, true)).pipe(
          Effect.map((all) => all.filter((s) => (s.id ?? s.key).startsWith(schedulerIdPrefix)))
        )
      const list = Effect.fn("Schedules.list")(function* (plugin: string) {
        const schedulers = yield* schedulersOf(JobQueue.pull(plugin).name)
        return schedulers.map((s) => ({
          id: s.id ?? s.key,
          everyMs: s.every === undefined ? undefined : Number(s.every),
          pattern: s.pattern ?? undefined,
          next: s.next === undefined ? undefined : Number(s.next)
        }))
      })
      const sync = Effect.fn("Schedules.sync")(function* (options: {
        readonly plugins: ReadonlyArray<string>
        readonly schedules: ReadonlyArray<ScheduleSpec>
      }) {
        const planned = plan(options.schedules)
        if (Result.isFailure(planned)) {
          const [first, ...rest] = planned.failure
          return yield* new InvalidSchedule({ problems: [first ?? "invalid schedules", ...rest] })
        }
        const plugins = [...new Set([...options.plugins, ...options.schedules.map((s) => s.plugin)])]
        const opts = templateOptions(producer.defaults)
        const upserted: Array<string> = []
        const unchanged: Array<string> = []
        const removed: Array<string> = []
        for (const plugin of plugins) {
          const queue = JobQueue.pull(plugin)
          const wanted = planned.success.filter((p) => p.spec.plugin === plugin)
          const existing = yield* schedulersOf(queue.name)
          const existingById = new Map(existing.map((s) => [s.id ?? s.key, s]))
          for (const p of wanted) {
            const id = schedulerId(p.spec.stream)
            const data = encodePull({ plugin, stream: p.spec.stream, reason: "schedule" })
            const repeat = repeatOptions(p)
            const current = existingById.get(id)
            const same =
              current !== undefined &&
              fingerprint(
                { every: current.every === undefined ? undefined : Number(current.every), pattern: current.pattern, tz: current.tz },
                current.template?.data ?? null,
                templateOptionsFingerprint(current.template?.opts as Record<string, unknown> | undefined)
              ) === fingerprint(repeat, data, templateOptionsFingerprint(opts))
            if (same) {
              unchanged.push(`${queue.name}/${id}`)
              continue
            }
            yield* queues.run(queue.name, "upsertJobScheduler", (q) =>
              q.upsertJobScheduler(id, repeat, { name: queue.jobName, data, opts })
            )
            upserted.push(`${queue.name}/${id}`)
          }
          const wantedIds = new Set(wanted.map((p) => schedulerId(p.spec.stream)))
          for (const s of existing) {
            const id = s.id ?? s.key
            if (wantedIds.has(id)) continue
            yield* queues.run(queue.name, "removeJobScheduler", (q) => q.removeJobScheduler(id))
            removed.push(`${queue.name}/${id}`)
          }
        }
        if (upserted.length + removed.length > 0) {
          yield* Effect.logInfo("job schedulers synchronised").pipe(Effect.annotateLogs({ upserted, removed }))
        }
        return { upserted, unchanged, removed }
      })
      return { sync, list }
    })
  )
}
