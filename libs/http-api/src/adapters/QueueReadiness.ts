/**
 * Readiness of Redis through libs/queue's producer connection: a `PING` on the fail-fast client (no offline
 * queue), so a Redis that is down or not yet connected answers at once and a slow one hits the readiness
 * deadline. A port that merely accepts connections is not enough: Redis loading its data set refuses commands.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Check } from "../ports/Readiness.ts"

/**
 * A `redis` check that PINGs over the given client (libs/queue's `QueueConnection` producer in the gateway).
 *
 * @category checks
 * @since 0.1.0
 */
export const redisCheck = (client: { readonly ping: () => Promise<string> }): Check => ({
  name: "redis",
  run: Effect.tryPromise(() => client.ping()).pipe(
    Effect.flatMap((answer) => (answer === "PONG" ? Effect.void : Effect.fail(new Error(`unexpected PING answer ${answer}`))))
  )
})
