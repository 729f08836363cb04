/**
 * The gateway's configuration, read from the environment at the edge with Effect's Config (secrets redacted).
 * Nothing else in the gateway reads the environment.
 *
 * @since 0.1.0
 */
import { ApiKeys, App, GatewayLimitsConfig } from "@hub/http-api"
import { PluginCatalog } from "@hub/plugin-catalog"
import { QueueNames } from "@hub/queue"
import { Config, ConfigProvider, Effect, Option, Redacted, Schema } from "effect"

type Limits = App.Limits
type KeyWithToken = ApiKeys.KeyWithToken
const parseKeyList = ApiKeys.parseKeyList

/**
 * @category models
 * @since 0.1.0
 */
export interface GatewayConfig {
  readonly port: number
  readonly host: string
  readonly logLevel: string
  readonly limits: Limits
  /** Development keys (hashed as soon as the ApiKeys layer is built); empty when none are configured. */
  readonly devKeys: ReadonlyArray<KeyWithToken>
  /** PostgreSQL (libs/store) when set; otherwise the embedded PGlite database in `dataDir/db`. */
  readonly databaseUrl: Redacted.Redacted<string> | undefined
  /** The PostgreSQL schema the store's tables live in (default: the connection's search path). */
  readonly databaseSchema: string | undefined
  /** The hub's data folder (the embedded database is in its `db` folder), shared with the worker and the CLI. */
  readonly dataDir: string
  /** Redis, for the queue dashboard, queue metrics and the readiness PING. */
  readonly redisUrl: Redacted.Redacted<string>
  /** The key prefix of the hub's queues (the worker's `HUB_QUEUE_PREFIX`). */
  readonly queuePrefix: string
  /** The plugins whose queues the dashboard and metrics show. */
  readonly plugins: ReadonlyArray<string>
  /** The enabled plugins and their settings (secrets redacted), read as the worker reads them. */
  readonly configuredPlugins: ReadonlyArray<PluginCatalog.Configured>
  /**
   * How a plugin's check may use the network (the worker's `HUB_ALLOW_LOOPBACK`, `HUB_ALLOW_PRIVATE`,
   * `HUB_HTTP_TIMEOUT_MS`, `HUB_MAX_RESPONSE_BYTES`; the size cap is the plugin registry's default when unset).
   */
  readonly network: {
    readonly allowLoopback: boolean
    readonly allowPrivate: boolean
    readonly timeoutMs: number
    readonly maxResponseBytes?: number | undefined
  }
}

/**
 * The plugins the hub ships and the environment prefix that enables each (`<PREFIX>_BASE_URL` set), from the
 * plugin catalog the worker uses too (libs/plugin-catalog).
 *
 * @category constants
 * @since 0.1.0
 */
export const shippedPlugins: ReadonlyArray<{ readonly id: string; readonly envPrefix: string }> = PluginCatalog.catalog.map((c) => ({
  id: c.id,
  envPrefix: c.envPrefix
}))

/**
 * Where the embedded database lives under the data folder (as the worker and the CLI put it).
 *
 * @category accessors
 * @since 0.1.0
 */
export const pgliteDir = (config: Pick<GatewayConfig, "dataDir">): string => `${config.dataDir.replace(/\/+$/u, "")}/db`

const isPluginId = Schema.is(QueueNames.PluginId)

/** Host and port of a connection URL, without its credentials. */
const endpointOf = (url: string, defaultPort: number): { readonly host: string; readonly port: number } | undefined => {
  if (!URL.canParse(url)) return undefined
  const parsed = new URL(url)
  return { host: parsed.hostname, port: parsed.port === "" ? defaultPort : Number(parsed.port) }
}

/** A configuration error naming the variable, never its value (it may be a secret). */
const invalid = (message: string) => Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message })))

const positiveInt = (name: string, fallback: number) =>
  Config.Int(name).pipe(
    Config.withDefault(fallback),
    Config.mapEffect((n) => (n > 0 ? Effect.succeed(n) : invalid(`${name} must be a positive whole number`)))
  )

/**
 * The configuration and how it is read (see the README's table).
 *
 * @category config
 * @since 0.1.0
 */
export const config: Config.Config<GatewayConfig> = Config.all({
  port: Config.Port("PORT").pipe(Config.withDefault(8080)),
  host: Config.String("HOST").pipe(Config.withDefault("127.0.0.1")),
  logLevel: Config.Literals(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "LOG_LEVEL").pipe(Config.withDefault("info")),
  // The GATEWAY_* limits, read as the embedded gateway (apps/worker) reads them.
  limits: GatewayLimitsConfig.config,
  apiKeys: Config.option(Config.Redacted("GATEWAY_API_KEYS")),
  databaseUrl: Config.option(Config.Redacted("DATABASE_URL")),
  databaseSchema: Config.option(Config.String("HUB_DATABASE_SCHEMA")),
  dataDir: Config.String("HUB_DATA_DIR").pipe(Config.withDefault(".hub-data")),
  redisUrl: Config.Redacted("REDIS_URL").pipe(Config.withDefault(Redacted.make("redis://127.0.0.1:6379"))),
  queuePrefix: Config.String("HUB_QUEUE_PREFIX").pipe(Config.withDefault("{hub}")),
  pluginList: Config.option(Config.String("HUB_PLUGINS")),
  enabled: Config.all(shippedPlugins.map((p) => Config.option(Config.String(`${p.envPrefix}_BASE_URL`)))),
  configuredPlugins: PluginCatalog.fromEnvironment,
  allowLoopback: Config.Boolean("HUB_ALLOW_LOOPBACK").pipe(Config.withDefault(false)),
  allowPrivate: Config.Boolean("HUB_ALLOW_PRIVATE").pipe(Config.withDefault(false)),
  httpTimeoutMs: positiveInt("HUB_HTTP_TIMEOUT_MS", 30_000),
  maxResponseBytes: Config.option(
    Config.Int("HUB_MAX_RESPONSE_BYTES").pipe(
      Config.mapEffect((n) => (n > 0 ? Effect.succeed(n) : invalid("HUB_MAX_RESPONSE_BYTES must be a positive whole number")))
    )
  )
}).pipe(
  Config.mapEffect((raw) => {
    const parsed = Option.match(raw.apiKeys, { onNone: () => ({ keys: [] }), onSome: (text) => parseKeyList(Redacted.value(text)) })
    if ("error" in parsed) {
      return invalid(`GATEWAY_API_KEYS: ${parsed.error}`)
    }
    if (endpointOf(Redacted.value(raw.redisUrl), 6379) === undefined) {
      return invalid("REDIS_URL is not a URL")
    }
    const plugins = Option.match(raw.pluginList, {
      onNone: () => shippedPlugins.filter((_, i) => Option.isSome(raw.enabled[i] ?? Option.none())).map((p) => p.id),
      onSome: (list) => list.split(",").map((id) => id.trim()).filter((id) => id !== "")
    })
    const badPlugin = plugins.find((id) => !isPluginId(id))
    if (badPlugin !== undefined) {
      return invalid(`HUB_PLUGINS: ${JSON.stringify(badPlugin)} is not a plugin id (lower-case kebab case, e.g. london-cbs)`)
    }
    const databaseUrl = Option.getOrUndefined(raw.databaseUrl)
    if (databaseUrl !== undefined && endpointOf(Redacted.value(databaseUrl), 5432) === undefined) {
      return invalid("DATABASE_URL is not a URL")
    }
    const result: GatewayConfig = {
      port: raw.port,
      host: raw.host,
      logLevel: raw.logLevel,
      limits: raw.limits,
      devKeys: parsed.keys,
      databaseUrl,
      databaseSchema: Option.getOrUndefined(raw.databaseSchema),
      dataDir: raw.dataDir,
      redisUrl: raw.redisUrl,
      queuePrefix: raw.queuePrefix,
      plugins,
      configuredPlugins: raw.configuredPlugins,
      network: {
        allowLoopback: raw.allowLoopback,
        allowPrivate: raw.allowPrivate,
        timeoutMs: raw.httpTimeoutMs,
        ...Option.match(raw.maxResponseBytes, { onNone: () => ({}), onSome: (maxResponseBytes) => ({ maxResponseBytes }) })
      }
    }
    return Effect.succeed(result)
  })
)
