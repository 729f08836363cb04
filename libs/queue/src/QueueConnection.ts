/**
 * The two Redis connections of a process, as one scoped layer built from a Redis URL (apps read the URL from
 * their configuration; this library never reads the environment). Workers get a patient connection
 * (`maxRetriesPerRequest: null`, as BullMQ requires for blocking commands), producers a fail-fast one
 * (`enableOfflineQueue: false`, short connect timeout) so a request never waits on a Redis that is down.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Redacted } from "effect"
import { Redis } from "ioredis"
import * as QueueNames from "./QueueNames.ts"

/**
 * Connection settings.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`); pass it `Redacted` when it holds a password. */
  readonly url: string | Redacted.Redacted<string>
  /** Key prefix of every queue (default `{hub}`, a Redis Cluster hash tag). */
  readonly prefix?: string | undefined
  /** How long the producer connection may take to connect, in ms (default 1000). */
  readonly connectTimeoutMs?: number | undefined
  /** Deadline of every producer-side operation, in ms (default 2000): past it the operation fails with `QueueUnavailable`. */
  readonly operationTimeoutMs?: number | undefined
}

/**
 * The connections and settings shared by producers, schedulers and workers.
 *
 * @category models
 * @since 0.1.0
 */
export interface Shape {
  readonly prefix: string
  /** Fail-fast client for adding jobs, schedulers and reading counts. */
  readonly producer: Redis
  /** Patient client for workers (BullMQ duplicates it for each worker's blocking connection). */
  readonly worker: Redis
  readonly operationTimeoutMs: number
  /** The last connection error seen on the producer client, for error messages. */
  readonly lastProducerError: () => string | undefined
}

const reconnectDelayMs = (times: number): number => Math.min(times * 200, 2000)

const closeClient = (client: Redis): Effect.Effect<void> =>
  client.status === "ready"
    ? Effect.interruptible(Effect.promise(() => client.quit().then(() => undefined, () => undefined))).pipe(
        Effect.timeoutOption(1000),
        Effect.andThen(Effect.sync(() => client.disconnect()))
      )
    : Effect.sync(() => client.disconnect())

const waitReady = (client: Redis, timeoutMs: number): Effect.Effect<boolean> =>
  client.status === "ready"
    ? Effect.succeed(true)
    : Effect.callback<boolean>((resume) => {
        // A refused connection answers at once: no point waiting out the timeout.
        const onReady = (): void => resume(Effect.succeed(true))
        const onError = (): void => resume(Effect.succeed(false))
        client.once("ready", onReady)
        client.once("error", onError)
        return Effect.sync(() => {
          client.off("ready", onReady)
          client.off("error", onError)
        })
      }).pipe(
        Effect.timeoutOption(timeoutMs),
        Effect.map((ready) => ready._tag === "Some")
      )

/**
 * The Redis connections of this process.
 *
 * @category services
 * @since 0.1.0
 */
export class QueueConnection extends Context.Service<QueueConnection, Shape>()("@hub/queue/QueueConnection") {
  /**
   * Opens both connections (the worker one lazily, on first use) and closes them when the layer is released.
   * It does not fail when Redis is down: producers then fail fast with `QueueUnavailable` and workers wait.
   */
  static readonly layer = (options: Options): Layer.Layer<QueueConnection> =>
    Layer.effect(
      QueueConnection,
      Effect.gen(function* () {
        const connectTimeout = options.connectTimeoutMs ?? 1000
        const url = Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url
        let lastProducerError: string | undefined
        const producer = yield* Effect.acquireRelease(
          Effect.sync(() => {
            const client = new Redis(url, {
              enableOfflineQueue: false,
              connectTimeout,
              maxRetriesPerRequest: 1,
              retryStrategy: reconnectDelayMs
            })
            // Without an error listener ioredis prints every reconnection failure; the failure reaches callers as
            // QueueUnavailable instead, with this message as its reason.
            client.on("error", (error: Error) => {
              lastProducerError = error.message
            })
            client.on("ready", () => {
              lastProducerError = undefined
            })
            return client
          }),
          closeClient
        )
        const worker = yield* Effect.acquireRelease(
          Effect.sync(() => {
            const client = new Redis(url, {
              maxRetriesPerRequest: null,
              lazyConnect: true,
              retryStrategy: reconnectDelayMs
            })
            client.on("error", () => undefined)
            return client
          }),
          closeClient
        )
        const ready = yield* waitReady(producer, connectTimeout)
        if (!ready) {
          yield* Effect.logWarning(
            `Redis is not reachable yet (${lastProducerError ?? "no answer"}); producers fail with QueueUnavailable until it is`
          )
        }
        return {
          prefix: options.prefix ?? QueueNames.defaultPrefix,
          producer,
          worker,
          operationTimeoutMs: options.operationTimeoutMs ?? 2000,
          lastProducerError: () => lastProducerError
        }
      })
    )
}
