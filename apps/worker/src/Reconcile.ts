/**
 * Recovery from a Redis that lost its data (restarted without persistence, `FLUSHALL`, a failover to an empty
 * replica): the jobs and job schedulers are gone, but what the hub knows is in the store, the stream cursors and
 * the outbox. The worker keeps a marker key in Redis and looks for it every `HUB_RECONCILE_INTERVAL_MS`
 * (default 5 s). When it is gone, one worker (the one whose `SET NX` wins) reconciles: it re-creates the
 * schedules, enqueues a recovery pull of every stream that has a cursor (the pull resumes from the cursor, so a
 * stream that was complete costs one empty page), and re-enqueues the push of every outbox entry not yet
 * terminal (job ids derive from idempotency keys, and the system deduplicates by key: nothing is applied twice).
 * Redis being unreachable is not a loss: the check simply tries again next time.
 *
 * @since 0.1.0
 */
import { PluginRegistry, Push } from "@hub/hub"
import { JobQueue, Producer, QueueConnection } from "@hub/queue"
import { IngestRepo, OutboxRepo } from "@hub/store"
import { Config, Effect, Option, Schedule, type Scope } from "effect"
import * as WorkerConfig from "./WorkerConfig.ts"
import * as WorkerRuntime from "./WorkerRuntime.ts"

/**
 * How often the marker is checked.
 *
 * @category config
 * @since 0.1.0
 */
export const intervalMs = Config.Int("HUB_RECONCILE_INTERVAL_MS").pipe(Config.withDefault(5000))

/**
 * The marker key: present while Redis holds what the hub put there.
 *
 * @category constants
 * @since 0.1.0
 */
export const markerKey = (prefix: string): string => `${prefix}:hub:marker`

/**
 * What one reconciliation enqueued.
 *
 * @category models
 * @since 0.1.0
 */
export interface Reconciled {
  readonly schedules: number
  readonly pulls: ReadonlyArray<string>
  readonly pushes: ReadonlyArray<string>
}

const redis = <A>(what: string, run: (client: QueueConnection.Shape["producer"]) => Promise<A>) =>
  QueueConnection.QueueConnection.use((connection) =>
    Effect.tryPromise({ try: () => run(connection.producer), catch: (cause) => new Error(`${what}: ${String(cause)}`) }).pipe(
      Effect.timeoutOrElse({ duration: connection.operationTimeoutMs, orElse: () => Effect.fail(new Error(`${what}: timed out`)) })
    )
  )

/**
 * Re-creates what a Redis that lost its data no longer has, from the store (see the module doc).
 *
 * @category programs
 * @since 0.1.0
 */
export const reconcile = (
  config: WorkerConfig.WorkerConfig & { readonly schedulesText: Option.Option<string> },
  epoch: string
): Effect.Effect<Reconciled, unknown, WorkerRuntime.Services> =>
  Effect.gen(function*() {
    const registry = yield* PluginRegistry.PluginRegistry
    const producer = yield* Producer.Producer
    const schedules = yield* WorkerRuntime.syncSchedules(config)
    const known = new Set(registry.entries.flatMap((e) => e.manifest.streams.map((s) => `${e.id}/${s.name}`)))
    const cursors = (yield* (yield* IngestRepo.IngestRepo).cursors()).filter((c) => known.has(`${c.plugin}/${c.stream}`))
    const pulls: Array<string> = []
    for (const c of cursors) {
      const added = yield* producer.add(JobQueue.pull(c.plugin), { plugin: c.plugin, stream: c.stream, reason: "recovery" }, {
        jobId: `recovery.${c.stream}.${epoch}`
      })
      pulls.push(`${added.queue}/${added.id}`)
    }
    const outbox = yield* OutboxRepo.OutboxRepo
    const open = [...(yield* outbox.list({ status: "prepared" })), ...(yield* outbox.list({ status: "sent" }))]
    const pushes: Array<string> = []
    for (const entry of open.filter((e) => registry.entries.some((r) => r.id === e.plugin))) {
      const added = yield* Push.enqueue(entry)
      pushes.push(`${added.queue}/${added.id}`)
    }
    return { schedules: schedules.upserted.length + schedules.unchanged.length, pulls, pushes }
  })

/**
 * Sets the marker, then checks it for the life of the scope and reconciles when it has gone.
 *
 * @category programs
 * @since 0.1.0
 */
export const watch = (
  config: WorkerConfig.WorkerConfig & { readonly schedulesText: Option.Option<string> }
): Effect.Effect<void, Config.ConfigError, WorkerRuntime.Services | Scope.Scope> =>
  Effect.gen(function*() {
    const every = yield* intervalMs
    const key = markerKey(config.queuePrefix)
    const newEpoch = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`
    // At start the schedules were just synchronised: only mark this Redis.
    yield* redis("setting the marker", (c) => c.set(key, newEpoch(), "NX")).pipe(Effect.ignore)
    const check = Effect.gen(function*() {
      if ((yield* redis("reading the marker", (c) => c.exists(key))) === 1) return
      const epoch = newEpoch()
      // Of several workers noticing at once, the one whose SET NX wins reconciles.
      if ((yield* redis("setting the marker", (c) => c.set(key, epoch, "NX"))) !== "OK") return
      yield* Effect.logWarning("Redis has lost the hub's data (the marker key is gone): reconciling from the store")
      const done = yield* reconcile(config, epoch).pipe(
        // Not reconciled: drop the marker so that the next check tries again.
        Effect.tapError(() => redis("dropping the marker", (c) => c.del(key)).pipe(Effect.ignore))
      )
      yield* Effect.logWarning(
        `reconciled: ${done.schedules} schedules, recovery pulls ${done.pulls.join(", ") || "none"}, pushes ${done.pushes.join(", ") || "none"}`
      )
    }).pipe(
      Effect.catch((error) => Effect.logDebug(`reconcile check skipped: ${String(error)}`))
    )
    yield* Effect.forkScoped(check.pipe(Effect.repeat(Schedule.spaced(every)), Effect.asVoid))
  })
