/**
 * The gateway process: reads the configuration, and serves libs/http-api's app over the store and the queue
 * until SIGINT/SIGTERM, when the scope closes the server and then the runtime.
 *
 * The store is always used: PostgreSQL at `DATABASE_URL`, else the embedded PGlite database in
 * `$HUB_DATA_DIR/db` (the worker's and the CLI's default too). Redis (libs/queue) feeds the queue dashboard,
 * the queue-depth metrics and the readiness PING; the gateway starts while Redis is down and reports it there.
 * With the embedded database the one-command start serves the gateway inside the hub process instead.
 *
 * @since 0.1.0
 */
import { GatewayHost, type Plugins } from "@hub/http-api"
import { QueueLayer } from "@hub/queue"
import { NodeMain } from "@hub/runtime-node"
import { Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { pino } from "pino"
import * as GatewayConfig from "./GatewayConfig.ts"
import * as GatewayPlugins from "./GatewayPlugins.ts"

/** The layers of the gateway for a configuration: the one place where store, queue and plugins plug in. */
const layerFor = (config: GatewayConfig.GatewayConfig, plugins: ReadonlyArray<Plugins.Installed>) => {
  const store = Store.layer({
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    dataDir: GatewayConfig.pgliteDir(config),
    applicationName: "hub-gateway",
    maxConnections: 5
  })
  const queues = QueueLayer.layer({ url: config.redisUrl, prefix: config.queuePrefix })
  return GatewayHost.portsLayer(config.devKeys, plugins).pipe(Layer.provideMerge(Layer.merge(store, queues)))
}

const program = Effect.gen(function*() {
  const config = yield* GatewayConfig.config
  const logger = pino({ level: config.logLevel, base: { service: "gateway" } })
  if (config.devKeys.length > 0) logger.warn("GATEWAY_API_KEYS: development keys are accepted beside the store's keys")
  const queueNames = GatewayHost.queueNamesOf(config.plugins)
  // Registered before the server, so it runs after the server has closed (finalizers run in reverse order).
  yield* Effect.addFinalizer(() => Effect.sync(() => logger.info("gateway stopped")))
  const address = yield* GatewayHost.serve({
    layer: layerFor(config, yield* GatewayPlugins.installed(config.configuredPlugins, config.network)),
    logger,
    listen: { port: config.port, host: config.host },
    queueNames,
    limits: config.limits,
    processMetricsPrefix: "hub_gateway_"
  })
  logger.info(
    {
      host: address.address,
      port: address.port,
      database: config.databaseUrl === undefined ? `embedded in ${GatewayConfig.pgliteDir(config)}` : "postgresql",
      queues: queueNames
    },
    "gateway listening"
  )
  return yield* Effect.never
}).pipe(Effect.scoped)

NodeMain.runMain(program)
