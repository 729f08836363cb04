/**
 * The gateway inside the hub process, for the one-command start on the embedded database (PGlite's data folder
 * belongs to one process, so the gateway cannot open it beside the hub): libs/http-api's app over the hub's own
 * store and queue services, served on `HUB_GATEWAY_PORT` until the hub's scope closes.
 *
 * @since 0.1.0
 */
import { PluginRegistry } from "@hub/hub"
import { ApiKeys, type App, GatewayHost, GatewayLimitsConfig } from "@hub/http-api"
import { type PluginCatalog, PluginDescription } from "@hub/plugin-catalog"
import { Config, ConfigProvider, Context, Effect, Layer, Option, Redacted, type Scope } from "effect"
import { pino } from "pino"
import type * as WorkerRuntime from "./WorkerRuntime.ts"

/**
 * The embedded gateway's settings, read from the environment.
 *
 * @category models
 * @since 0.1.0
 */
export interface EmbeddedGatewayConfig {
  readonly port: number
  readonly host: string
  readonly logLevel: string
  /** Development keys (`GATEWAY_API_KEYS`), accepted beside the store's keys; empty when unset. */
  readonly devKeys: ReadonlyArray<ApiKeys.KeyWithToken>
  /** The `GATEWAY_*` limits (body size, rate limit, auth cache, sessions), read as apps/gateway reads them. */
  readonly limits: App.Limits
}

const invalid = (message: string) => Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message })))

/**
 * `HUB_GATEWAY_PORT` (8080), `HUB_GATEWAY_HOST` (127.0.0.1), `LOG_LEVEL` of the gateway's log (info) and
 * `GATEWAY_API_KEYS` (`name:scope+scope:token`, comma-separated; a bad entry is named without its token), and
 * the limits of libs/http-api's `GatewayLimitsConfig` (`GATEWAY_BODY_LIMIT_BYTES`, `GATEWAY_RATE_LIMIT_BURST`,
 * `GATEWAY_RATE_LIMIT_PER_SECOND`, `GATEWAY_AUTH_CACHE_TTL_MS`, `GATEWAY_SESSION_TTL_MS`).
 *
 * @category config
 * @since 0.1.0
 */
export const config: Config.Config<EmbeddedGatewayConfig> = Config.all({
  port: Config.Port("HUB_GATEWAY_PORT").pipe(Config.withDefault(8080)),
  host: Config.String("HUB_GATEWAY_HOST").pipe(Config.withDefault("127.0.0.1")),
  logLevel: Config.Literals(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "LOG_LEVEL").pipe(Config.withDefault("info")),
  apiKeys: Config.option(Config.Redacted("GATEWAY_API_KEYS")),
  limits: GatewayLimitsConfig.config
}).pipe(
  Config.mapEffect((raw) => {
    const parsed = Option.match(raw.apiKeys, { onNone: () => ({ keys: [] }), onSome: (text) => ApiKeys.parseKeyList(Redacted.value(text)) })
    if ("error" in parsed) return invalid(`GATEWAY_API_KEYS: ${parsed.error}`)
    const result: EmbeddedGatewayConfig = { port: raw.port, host: raw.host, logLevel: raw.logLevel, devKeys: parsed.keys, limits: raw.limits }
    return Effect.succeed(result)
  })
)

/**
 * Where the embedded gateway is reachable, for the start summary.
 *
 * @category models
 * @since 0.1.0
 */
export interface Served {
  readonly url: string
}

/**
 * Serves a gateway over the hub's services for the life of the scope. `logFile` receives the gateway's access
 * and error logs (pino JSON lines), so they do not interleave with the hub's output; `plugins` are the enabled
 * plugins with their settings, which the gateway describes (status only, never a value).
 *
 * @category models
 * @since 0.1.0
 */
export type Serve = (
  services: Context.Context<WorkerRuntime.Services>,
  options: { readonly logFile: string; readonly plugins: ReadonlyArray<PluginCatalog.Configured> }
) => Effect.Effect<Served, unknown, Scope.Scope>

/** The URL a client uses for an address the server bound (a wildcard address is reached over loopback). */
const urlOf = (host: string, port: number): string => {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`
}

/**
 * The gateway over the hub's store (the SAME store layer the workers use: keys from its `api_keys` table,
 * the read routes, `SELECT 1` readiness) and queue (the dashboard and queue-depth metrics of the hub's plugins'
 * queues, `PING` readiness), plus the development keys of `GATEWAY_API_KEYS`. The hub's services are shared,
 * not owned: closing the gateway closes its server and runtime, never the hub's store or Redis connections.
 *
 * @category constructors
 * @since 0.1.0
 */
export const serve: Serve = (services, options) =>
  Effect.gen(function*() {
    const settings = yield* config
    const destination = yield* Effect.acquireRelease(
      // Asynchronous (sonic-boom): an access log line never blocks a request on the disk; `end` writes what is
      // still buffered before closing.
      Effect.sync(() => pino.destination({ dest: options.logFile, sync: false, mkdir: true })),
      (stream) => Effect.sync(() => stream.end())
    )
    const logger = pino({ level: settings.logLevel, base: { service: "gateway" } }, destination)
    if (settings.devKeys.length > 0) logger.warn("GATEWAY_API_KEYS: development keys are accepted beside the store's keys")
    const registry = Context.get(services, PluginRegistry.PluginRegistry)
    const plugins = registry.entries.map((e) => e.id)
    const queueNames = GatewayHost.queueNamesOf(plugins)
    // Each enabled plugin's check is the registered plugin's: the same configuration and HTTP client the workers use.
    const installed = PluginDescription.describeAll(options.plugins, (id) => registry.entries.find((e) => e.id === id)?.check)
    yield* Effect.addFinalizer(() => Effect.sync(() => logger.info("gateway stopped")))
    const address = yield* GatewayHost.serve({
      layer: GatewayHost.portsLayer(settings.devKeys, installed).pipe(Layer.provideMerge(Layer.succeedContext(services))),
      logger,
      listen: { port: settings.port, host: settings.host },
      queueNames,
      limits: settings.limits,
      processMetricsPrefix: "hub_"
    })
    logger.info({ host: address.address, port: address.port, database: "the hub's (embedded)", queues: queueNames }, "gateway listening")
    return { url: urlOf(settings.host, address.port) }
  })
