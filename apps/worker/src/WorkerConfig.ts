/**
 * The worker's configuration, read from the environment at the edge with `Config` (secrets as `Redacted`, never
 * logged): where the database and Redis are, how the workers behave, which plugins are enabled with which
 * settings, and which streams are pulled on which schedule. `.env.example` at the repository root lists every
 * variable.
 *
 * @since 0.1.0
 */
import { Ingest } from "@hub/hub"
import { HttpClient } from "@hub/plugin-sdk"
import { Config, ConfigProvider, Effect, type LogLevel, Option, Redacted } from "effect"
import * as PluginCatalog from "./PluginCatalog.ts"

/**
 * A schedule: pull `stream` of `plugin` every `every` (a duration such as `15 minutes` or a cron expression).
 *
 * @category models
 * @since 0.1.0
 */
export interface Schedule {
  readonly plugin: string
  readonly stream: string
  readonly every: string
}

/**
 * Everything the worker reads from the environment.
 *
 * @category models
 * @since 0.1.0
 */
export interface WorkerConfig {
  /** PostgreSQL when set; otherwise the embedded database in `dataDir/db`. */
  readonly databaseUrl: Option.Option<Redacted.Redacted<string>>
  readonly databaseSchema: Option.Option<string>
  readonly dataDir: string
  readonly redisUrl: Redacted.Redacted<string>
  readonly queuePrefix: string
  readonly concurrency: number
  readonly closeTimeoutMs: number
  readonly lockDurationMs: number
  readonly stalledIntervalMs: number
  readonly attempts: number
  readonly backoffDelayMs: number
  readonly allowLoopback: boolean
  readonly allowPrivate: boolean
  readonly httpTimeoutMs: number
  /** `HUB_MAX_RESPONSE_BYTES`: the size cap of one HTTP response a plugin reads (an answer over it is refused). */
  readonly maxResponseBytes: number
  /** `HUB_MAX_PAGE_ROWS`: the row cap of one pulled page (a page over it is refused whole, nothing stored). */
  readonly maxPageRows: number
  /** `HUB_LOG_LEVEL`, when set (each process has its own default). */
  readonly logLevel: Option.Option<LogLevel.LogLevel>
  readonly plugins: ReadonlyArray<{ readonly entry: PluginCatalog.CatalogEntry; readonly settings: PluginCatalog.RawSettings }>
  /** `undefined`: the default (every stream of every enabled plugin, hourly). */
  readonly schedules: ReadonlyArray<Schedule>
}

const invalid = (message: string) => Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message })))

/**
 * Parses `HUB_SCHEDULES`: `plugin/stream=every` entries separated by `;` (e.g.
 * `council-finance/spend=1 hour;london-cbs/activity=*\/15 * * * *`), or `none`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseSchedules = (text: string): { readonly schedules: ReadonlyArray<Schedule> } | { readonly error: string } => {
  const trimmed = text.trim()
  if (trimmed === "none" || trimmed === "") return { schedules: [] }
  const schedules: Array<Schedule> = []
  const parts = trimmed.split(";").map((p) => p.trim()).filter((p) => p !== "")
  for (const [index, part] of parts.entries()) {
    const match = /^([a-z][a-z0-9-]*)\/([^=\s]+)\s*=\s*(.+)$/u.exec(part)
    if (match === null) return { error: `HUB_SCHEDULES entry ${index + 1} ${JSON.stringify(part)} is not plugin/stream=every` }
    schedules.push({ plugin: match[1]!, stream: match[2]!, every: match[3]!.trim() })
  }
  return { schedules }
}

const positiveInt = (name: string, fallback: number) =>
  Config.Int(name).pipe(
    Config.withDefault(fallback),
    Config.mapEffect((n) => (n > 0 ? Effect.succeed(n) : invalid(`${name} must be a positive whole number`)))
  )

/**
 * The default schedule: every stream of every enabled plugin, at `every`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultSchedules = (
  plugins: WorkerConfig["plugins"],
  streamsOf: (pluginId: string) => ReadonlyArray<string>,
  every: string
): ReadonlyArray<Schedule> => plugins.flatMap((p) => streamsOf(p.entry.id).map((stream) => ({ plugin: p.entry.id, stream, every })))

/**
 * The configuration from the environment.
 *
 * @category config
 * @since 0.1.0
 */
export const config: Config.Config<WorkerConfig & { readonly schedulesText: Option.Option<string> }> = Config.all({
  databaseUrl: Config.option(Config.Redacted("DATABASE_URL")),
  databaseSchema: Config.option(Config.String("HUB_DATABASE_SCHEMA")),
  dataDir: Config.String("HUB_DATA_DIR").pipe(Config.withDefault(".hub-data")),
  redisUrl: Config.Redacted("REDIS_URL").pipe(Config.withDefault(Redacted.make("redis://127.0.0.1:6379"))),
  queuePrefix: Config.String("HUB_QUEUE_PREFIX").pipe(Config.withDefault("{hub}")),
  concurrency: positiveInt("HUB_WORKER_CONCURRENCY", 1),
  closeTimeoutMs: positiveInt("HUB_WORKER_CLOSE_TIMEOUT_MS", 20_000),
  lockDurationMs: positiveInt("HUB_WORKER_LOCK_MS", 30_000),
  stalledIntervalMs: positiveInt("HUB_WORKER_STALLED_INTERVAL_MS", 30_000),
  attempts: positiveInt("HUB_JOB_ATTEMPTS", 5),
  backoffDelayMs: positiveInt("HUB_JOB_BACKOFF_MS", 1000),
  allowLoopback: Config.Boolean("HUB_ALLOW_LOOPBACK").pipe(Config.withDefault(false)),
  allowPrivate: Config.Boolean("HUB_ALLOW_PRIVATE").pipe(Config.withDefault(false)),
  httpTimeoutMs: positiveInt("HUB_HTTP_TIMEOUT_MS", 30_000),
  maxResponseBytes: positiveInt("HUB_MAX_RESPONSE_BYTES", HttpClient.defaultMaxResponseBytes),
  maxPageRows: positiveInt("HUB_MAX_PAGE_ROWS", Ingest.defaultMaxPageRows),
  logLevel: Config.option(Config.LogLevel("HUB_LOG_LEVEL")),
  plugins: PluginCatalog.fromEnvironment,
  schedulesText: Config.option(Config.String("HUB_SCHEDULES"))
}).pipe(
  Config.mapEffect((raw) => {
    const parsed = Option.match(raw.schedulesText, { onNone: () => ({ schedules: [] }), onSome: parseSchedules })
    if ("error" in parsed) return invalid(parsed.error)
    return Effect.succeed({ ...raw, schedules: parsed.schedules })
  })
)

/**
 * Where the embedded database lives under the data folder.
 *
 * @category accessors
 * @since 0.1.0
 */
export const pgliteDir = (config: Pick<WorkerConfig, "dataDir">): string => `${config.dataDir.replace(/\/+$/u, "")}/db`
