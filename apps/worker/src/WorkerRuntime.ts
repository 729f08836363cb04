/**
 * The worker's composition root: builds the store, queue and plugin-registry layers from the configuration,
 * synchronises the pull schedules and starts the workers. `main.ts` runs it as a process; the one-command start
 * (`HubStart.ts`) runs it in the same process as the simulators and the gateway.
 *
 * @since 0.1.0
 */
import { PluginRegistry } from "@hub/hub"
import type { PluginError } from "@hub/plugin-sdk"
import { type BullQueues, type Producer, type QueueConnection, QueueLayer, type QueueUnavailable, Schedules } from "@hub/queue"
import { Store, type StoreError } from "@hub/store"
import { Effect, Layer, type LogLevel, Logger, Option, Redacted, References, Schedule, type Scope } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import * as PluginCatalog from "./PluginCatalog.ts"
import * as WorkerConfig from "./WorkerConfig.ts"
import * as Workers from "./Workers.ts"

/**
 * The schedules to install: `HUB_SCHEDULES` when set (`none` for no schedule), otherwise every stream of every
 * enabled plugin once an hour.
 *
 * @category config
 * @since 0.1.0
 */
export const schedulesOf = (
  config: WorkerConfig.WorkerConfig & { readonly schedulesText: Option.Option<string> },
  registry: PluginRegistry.PluginRegistry["Service"]
): ReadonlyArray<WorkerConfig.Schedule> =>
  Option.isSome(config.schedulesText)
    ? config.schedules
    : registry.entries.flatMap((e) => e.manifest.streams.map((s) => ({ plugin: e.id, stream: s.name, every: "1 hour" })))

/**
 * What {@link layer} provides.
 *
 * @category layers
 * @since 0.1.0
 */
export type Services =
  | Store.Services
  | QueueConnection.QueueConnection
  | BullQueues.BullQueues
  | Producer.Producer
  | Schedules.Schedules
  | PluginRegistry.PluginRegistry

/**
 * Every layer the use cases and workers need, from the configuration.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  config: WorkerConfig.WorkerConfig
): Layer.Layer<Services, SqlError | StoreError.MigrationError | StoreError.DataFolderLocked | PluginError.BadConfiguration> => {
  const network: PluginRegistry.NetworkPolicy = {
    allowLoopback: config.allowLoopback,
    allowPrivate: config.allowPrivate,
    timeoutMs: config.httpTimeoutMs,
    maxResponseBytes: config.maxResponseBytes
  }
  const store = Store.layer({
    databaseUrl: Option.getOrUndefined(config.databaseUrl),
    schema: Option.getOrUndefined(config.databaseSchema),
    dataDir: WorkerConfig.pgliteDir(config),
    applicationName: "hub-worker"
  })
  const queues = QueueLayer.layer({
    url: config.redisUrl,
    prefix: config.queuePrefix,
    jobDefaults: { attempts: config.attempts, backoffDelayMs: config.backoffDelayMs }
  })
  const registry = PluginRegistry.PluginRegistry.layer(
    config.plugins.map((p) => PluginCatalog.register(p.entry, p.settings, network))
  )
  return Layer.mergeAll(store, queues, registry)
}

/**
 * Synchronises the pull schedules with the configuration (schedulers no longer configured are removed).
 *
 * @category programs
 * @since 0.1.0
 */
export const syncSchedules = (
  config: WorkerConfig.WorkerConfig & { readonly schedulesText: Option.Option<string> }
): Effect.Effect<Schedules.SyncReport, QueueUnavailable.QueueUnavailable | Schedules.InvalidSchedule, Services> =>
  Effect.gen(function*() {
    const registry = yield* PluginRegistry.PluginRegistry
    const schedules = yield* Schedules.Schedules
    return yield* schedules.sync({
      plugins: registry.entries.map((e) => e.id),
      schedules: schedulesOf(config, registry)
    })
  }).pipe(
    // Redis dropping a connection while the worker starts (a restart, CLIENT KILL) must not end the process:
    // the fail-fast producer connection reconnects within moments, so try again for a few seconds.
    Effect.retry({
      while: (error) => error._tag === "QueueUnavailable",
      schedule: Schedule.exponential("100 millis"),
      times: 8
    })
  )

/**
 * Starts the workers of every registered plugin, for the life of the scope.
 *
 * @category programs
 * @since 0.1.0
 */
export const startWorkers = (config: WorkerConfig.WorkerConfig): Effect.Effect<ReadonlyArray<string>, never, Services | Scope.Scope> =>
  Effect.gen(function*() {
    const registry = yield* PluginRegistry.PluginRegistry
    if (registry.entries.length === 0) {
      yield* Effect.logWarning(
        "no plugin is configured: set e.g. COUNCIL_FINANCE_BASE_URL (see .env.example); the worker has nothing to do"
      )
    }
    return yield* Workers.start({
      concurrency: config.concurrency,
      closeTimeoutMs: config.closeTimeoutMs,
      lockDurationMs: config.lockDurationMs,
      stalledIntervalMs: config.stalledIntervalMs,
      maxPageRows: config.maxPageRows
    })
  })

/**
 * The log output of the hub's processes: one logfmt line per entry, at `HUB_LOG_LEVEL` and above.
 *
 * @category layers
 * @since 0.1.0
 */
export const logging = (level: LogLevel.LogLevel): Layer.Layer<never> =>
  Layer.mergeAll(Logger.layer([Logger.consoleLogFmt]), Layer.succeed(References.MinimumLogLevel, level))

/**
 * A description of where the worker connects, without credentials (for the start-up log line).
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (config: WorkerConfig.WorkerConfig): string => {
  const database = Option.match(config.databaseUrl, {
    onNone: () => `embedded PGlite in ${WorkerConfig.pgliteDir(config)}`,
    onSome: (url) => `PostgreSQL at ${hostOf(Redacted.value(url))}${Option.match(config.databaseSchema, { onNone: () => "", onSome: (s) => ` (schema ${s})` })}`
  })
  return `database: ${database}; Redis at ${hostOf(Redacted.value(config.redisUrl))} (prefix ${config.queuePrefix})`
}

const hostOf = (url: string): string => (URL.canParse(url) ? `${new URL(url).host}` : "(unparseable URL)")
