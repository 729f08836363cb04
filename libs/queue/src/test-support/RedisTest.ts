/**
 * Helpers for the integration tests: the real Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379), a fresh
 * key prefix per test, every key under it removed afterwards, and a polling wait for asynchronous outcomes.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Effect, Layer, Schema } from "effect"
import { Redis } from "ioredis"
import type { BullQueues } from "../BullQueues.ts"
import type { Defaults, Producer } from "../Producer.ts"
import type { QueueConnection } from "../QueueConnection.ts"
import * as QueueLayer from "../QueueLayer.ts"
import type { Schedules } from "../Schedules.ts"

/** The Redis the integration tests use (loopback by default). */
export const redisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"

/** A key prefix no other test uses, itself a cluster hash tag like the production default. */
export const freshPrefix = (): string => `{hubtest-${randomUUID().slice(0, 8)}}`

/** Every service of the library over the test Redis under `prefix`. */
export const layer = (
  prefix: string,
  jobDefaults: Partial<Defaults> = {}
): Layer.Layer<QueueConnection | BullQueues | Producer | Schedules> =>
  QueueLayer.layer({ url: redisUrl, prefix, jobDefaults })

/** Obliterates the given queues under `prefix`, then removes any key left under it. */
export const cleanup = (prefix: string, queueNames: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.promise(async () => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
    try {
      const { Queue } = await import("bullmq")
      for (const name of queueNames) {
        const queue = new Queue(name, { connection: client, prefix })
        await queue.obliterate({ force: true })
        await queue.close()
      }
      let cursor = "0"
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500)
        cursor = next
        if (keys.length > 0) await client.del(...keys)
      } while (cursor !== "0")
    } finally {
      client.disconnect()
    }
  })

/** Runs a test program with the library's services under a fresh prefix, cleaning the prefix afterwards. */
export const withRedis = <A, E>(
  queueNames: ReadonlyArray<string>,
  program: (prefix: string) => Effect.Effect<A, E, QueueConnection | BullQueues | Producer | Schedules>,
  defaults: Partial<Defaults> = {}
): Effect.Effect<A, E> => {
  const prefix = freshPrefix()
  return program(prefix).pipe(Effect.provide(layer(prefix, defaults)), Effect.ensuring(cleanup(prefix, queueNames)))
}

/** Polls `effect` every 25 ms until `done` holds of its result, failing after `timeoutMs`. */
export const eventually = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  done: (a: A) => boolean,
  timeoutMs = 10_000,
  what = "condition"
): Effect.Effect<A, E | Error, R> =>
  Effect.gen(function* () {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = yield* effect
      if (done(value)) return value
      if (Date.now() > deadline) return yield* Effect.fail(new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`))
      yield* Effect.sleep(25)
    }
  })

/** A test error with the Retryability shape, as plugin errors have it. */
export class TestFailure extends Schema.TaggedError<TestFailure>()("TestFailure", {
  retryable: Schema.Boolean,
  retryAfterMs: Schema.optionalKey(Schema.Number),
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}
