/**
 * The BullMQ `Queue` objects of this process, one per queue name, all over the fail-fast producer connection and
 * closed with the layer. Producers, schedules and stats use them through {@link BullQueues.run}, which turns any
 * Redis trouble (down, slow, refused) into `QueueUnavailable` within the operation deadline. The gateway's queue
 * dashboard (bull-board) takes the raw `Queue` objects from {@link BullQueues.get}.
 *
 * @since 0.1.0
 */
import { Queue } from "bullmq"
import { Context, Effect, Layer } from "effect"
import { QueueConnection } from "./QueueConnection.ts"
import { QueueUnavailable } from "./QueueUnavailable.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Shape {
  /** The BullMQ queue of this name (created on first use). */
  readonly get: (name: string) => Queue
  /** Runs one operation on a queue with the producer deadline; any failure is `QueueUnavailable`. */
  readonly run: <A>(name: string, operation: string, use: (queue: Queue) => Promise<A>) => Effect.Effect<A, QueueUnavailable>
  /** The key prefix the queues live under. */
  readonly prefix: string
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const withLastError = (message: string, last: string | undefined): string =>
  last === undefined || last === message ? message : `${message} (last connection error: ${last})`

/**
 * The BullMQ queues of this process.
 *
 * @category services
 * @since 0.1.0
 */
export class BullQueues extends Context.Service<BullQueues, Shape>()("@hub/queue/BullQueues") {
  /** Queues over the producer connection of {@link QueueConnection}; closed (not the connection) on release. */
  static readonly layer: Layer.Layer<BullQueues, never, QueueConnection> = Layer.effect(
    BullQueues,
    Effect.gen(function* () {
      const connection = yield* QueueConnection
      const queues = new Map<string, Queue>()
      yield* Effect.addFinalizer(() =>
        Effect.interruptible(
          Effect.promise(() => Promise.allSettled([...queues.values()].map((queue) => queue.close())))
        ).pipe(
          Effect.timeoutOption(5000),
          Effect.asVoid
        )
      )
      const get = (name: string): Queue => {
        const existing = queues.get(name)
        if (existing !== undefined) return existing
        const queue = new Queue(name, {
          connection: connection.producer,
          prefix: connection.prefix,
          // Fail fast: never wait for the connection to become ready, never let a failed version check (made while
          // Redis was down) poison the queue for good; commands fail at once while Redis is unreachable.
          skipWaitingForReady: true,
          skipVersionCheck: true
        })
        // A Queue is an EventEmitter: without a listener an 'error' event would crash the process. Failures reach
        // callers through the operations instead.
        queue.on("error", () => undefined)
        queues.set(name, queue)
        return queue
      }
      const run = <A>(
        name: string,
        operation: string,
        use: (queue: Queue) => Promise<A>
      ): Effect.Effect<A, QueueUnavailable> =>
        Effect.tryPromise({
          try: () => use(get(name)),
          catch: (error) =>
            new QueueUnavailable({
              queue: name,
              operation,
              reason: withLastError(messageOf(error), connection.lastProducerError())
            })
        }).pipe(
          Effect.timeoutOrElse({
            duration: connection.operationTimeoutMs,
            orElse: () =>
              Effect.fail(
                new QueueUnavailable({
                  queue: name,
                  operation,
                  reason: withLastError(
                    `no answer from Redis within ${connection.operationTimeoutMs} ms`,
                    connection.lastProducerError()
                  )
                })
              )
          })
        )
      return { get, run, prefix: connection.prefix }
    })
  )
}
