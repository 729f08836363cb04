/**
 * Hosting the gateway in a process: the ports over libs/store and libs/queue, one runtime over them, the queue
 * dashboard and queue-depth metrics of the hub's queues, and the HTTP server, all for the life of a scope. Both
 * apps/gateway (its own process) and the one-process hub start (apps/worker, sharing the hub's store) use it;
 * they read the configuration and pass it in.
 *
 * @since 0.1.0
 */
import { BullQueues, type Producer, QueueConnection, QueueNames } from "@hub/queue"
import { type ApiKeyRepo, IdempotencyRepo } from "@hub/store"
import { Duration, Effect, Layer, ManagedRuntime, Schedule, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import type { AddressInfo } from "node:net"
import type { Logger } from "pino"
import { collectDefaultMetrics } from "prom-client"
import * as QueueMetrics from "./adapters/QueueMetrics.ts"
import * as QueueReadiness from "./adapters/QueueReadiness.ts"
import * as QueueSubmissions from "./adapters/QueueSubmissions.ts"
import * as QueueSyncJobs from "./adapters/QueueSyncJobs.ts"
import * as StoreApiKeys from "./adapters/StoreApiKeys.ts"
import * as StoreReadiness from "./adapters/StoreReadiness.ts"
import { createApp, type Limits } from "./App.ts"
import * as GatewayServer from "./GatewayServer.ts"
import type { Services as GatewayServices } from "./http/GatewayEnv.ts"
import * as GatewayMetrics from "./middleware/metrics/GatewayMetrics.ts"
import type { ApiKeys, KeyWithToken } from "./ports/ApiKeys.ts"
import { type Installed, Plugins } from "./ports/Plugins.ts"
import { fromChecks, Readiness } from "./ports/Readiness.ts"
import { ReferenceData } from "./ports/ReferenceData.ts"
import type { SubmissionQueue } from "./ports/SubmissionQueue.ts"
import type { SyncJobs } from "./ports/SyncJobs.ts"

/**
 * The gateway's ports over the hub's services: the bundled reference data, API keys from the store (plus the
 * development keys, looked up first), readiness as `SELECT 1` on the store's client and `PING` on the
 * queue's fail-fast producer connection, pull jobs through the queue's producer, and the installed plugins the
 * app describes (built by the apps from libs/plugin-catalog).
 *
 * @category layers
 * @since 0.1.0
 */
export const portsLayer = (
  devKeys: ReadonlyArray<KeyWithToken>,
  plugins: ReadonlyArray<Installed>
): Layer.Layer<
  ReferenceData | ApiKeys | Readiness | Plugins | SyncJobs | SubmissionQueue,
  never,
  ApiKeyRepo.ApiKeyRepo | SqlClient.SqlClient | QueueConnection.QueueConnection | BullQueues.BullQueues | Producer.Producer
> =>
  Layer.mergeAll(
    ReferenceData.layerBundled,
    Plugins.layer(plugins),
    QueueSyncJobs.layer,
    QueueSubmissions.layer,
    StoreApiKeys.layerWith(devKeys),
    Layer.effect(
      Readiness,
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const connection = yield* QueueConnection.QueueConnection
        return fromChecks([StoreReadiness.databaseCheck(sql), QueueReadiness.redisCheck(connection.producer)])
      })
    )
  )

/**
 * The hub's queues of these plugins, as the dashboard and the metrics show them (`pull` then `push` of each).
 *
 * @category accessors
 * @since 0.1.0
 */
export const queueNamesOf = (plugins: ReadonlyArray<string>): ReadonlyArray<string> =>
  plugins.flatMap((plugin) => [QueueNames.pull(plugin), QueueNames.push(plugin)])

/**
 * What the host runs the gateway over.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Everything the handlers need plus libs/queue's queues and producer (see {@link portsLayer}). */
  readonly layer: Layer.Layer<GatewayServices | BullQueues.BullQueues | Producer.Producer, unknown>
  readonly logger: Logger
  readonly listen: GatewayServer.ListenOptions
  /** The queues the dashboard and the `hub_queue_depth` gauge show. */
  readonly queueNames: ReadonlyArray<string>
  readonly limits?: Partial<Limits> | undefined
  /** Prefix of the process metrics (CPU, memory, event loop, GC) in the same registry; none when absent. */
  readonly processMetricsPrefix?: string | undefined
  /** How often expired Idempotency-Key records are deleted (default every hour, the first run at start). */
  readonly idempotencyPurgeEvery?: Duration.Input | undefined
}

/**
 * Builds the runtime (reference data read and validated, and every other layer, now rather than on the first
 * request), then serves the app until the scope closes: the server closes first, then the runtime is disposed.
 * Yields the address actually bound.
 *
 * @category constructors
 * @since 0.1.0
 */
export const serve = (options: Options): Effect.Effect<AddressInfo, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.acquireRelease(
      Effect.sync(() => ManagedRuntime.make(options.layer)),
      (rt) => Effect.promise(() => rt.dispose())
    )
    yield* Effect.tryPromise(() => runtime.context())
    const dashboardQueues = yield* Effect.tryPromise(() =>
      runtime.runPromise(BullQueues.BullQueues.use((queues) => Effect.succeed(options.queueNames.map((name) => queues.get(name)))))
    )
    // Sampled when /metrics is scraped; a Redis that does not answer leaves the gauge as it was.
    const metrics = GatewayMetrics.make({ sampleQueues: QueueMetrics.sampler(runtime, options.queueNames) })
    if (options.processMetricsPrefix !== undefined) {
      collectDefaultMetrics({ register: metrics.registry, prefix: options.processMetricsPrefix })
    }
    const app = createApp({
      runtime,
      logger: options.logger,
      metrics,
      dashboardQueues,
      ...(options.limits === undefined ? {} : { limits: options.limits })
    })
    // Expired Idempotency-Key records (replays past their retention, leases of requests that died) are deleted
    // in the background for as long as the gateway serves; a failed run is logged and tried again next time.
    const purge = Effect.tryPromise(() => runtime.runPromise(IdempotencyRepo.IdempotencyRepo.use((repo) => repo.purgeExpired()))).pipe(
      Effect.tap((deleted) => Effect.sync(() => deleted > 0 && options.logger.info({ deleted }, "expired idempotency keys deleted"))),
      Effect.catch((error) => Effect.sync(() => options.logger.warn({ err: error.cause }, "deleting expired idempotency keys failed")))
    )
    yield* Effect.forkScoped(Effect.repeat(purge, Schedule.spaced(options.idempotencyPurgeEvery ?? "1 hour")))
    return yield* GatewayServer.serve(app, options.listen)
  })
