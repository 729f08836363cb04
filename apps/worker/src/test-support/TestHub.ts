/**
 * What the worker's integration tests share: the two databases (PostgreSQL in a fresh schema dropped afterwards,
 * PGlite in memory), a fresh queue prefix on the test Redis, and a hub layer over the in-process simulators.
 */
import { PluginRegistry } from "@hub/hub"
import type { PluginError } from "@hub/plugin-sdk"
import { type BullQueues, type Producer, type QueueConnection, QueueLayer, type Schedules } from "@hub/queue"
import { Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import * as PluginCatalog from "../PluginCatalog.ts"
import type * as Simulators from "../Simulators.ts"

/** The PostgreSQL server the integration tests use. */
export const testDatabaseUrl = (): string => process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/** The Redis the integration tests use. */
export const testRedisUrl = (): string => process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"

/** A name no other test run uses. */
export const freshName = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`

/** Drops `schema` when the layer is released. */
const dropSchemaOnRelease = (url: string, schema: string): Layer.Layer<never> =>
  Layer.effectDiscard(Effect.addFinalizer(() =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
    }).pipe(Effect.provide(Store.layerPostgresClient({ url, maxConnections: 1 })), Effect.orDie)
  ))

/** A database under test. */
export interface Backend {
  readonly name: string
  readonly layer: () => Layer.Layer<Store.Services, unknown>
}

/** PostgreSQL, a fresh schema per layer. */
export const postgres: Backend = {
  name: "PostgreSQL",
  layer: () => {
    const url = testDatabaseUrl()
    const schema = freshName("hub_worker_test")
    return Store.layerPostgres({ url, schema, maxConnections: 4 }).pipe(Layer.provideMerge(dropSchemaOnRelease(url, schema)))
  }
}

/** PGlite in memory. */
export const pglite: Backend = { name: "PGlite", layer: () => Store.layerPglite() }

/** The plugin registry over the running simulators (loopback allowed). */
export const registryLayer = (
  simulators: Simulators.Running
): Layer.Layer<PluginRegistry.PluginRegistry, PluginError.BadConfiguration> =>
  PluginRegistry.PluginRegistry.layer(
    simulators.plugins.map((p) => PluginCatalog.register(p.entry, p.settings, { allowLoopback: true, timeoutMs: 30_000 }))
  )

/** Queues under a fresh prefix on the test Redis; every key under it is removed when the layer is released. */
export const queueLayer = (
  prefix: string = `{${freshName("hubtest")}}`
): Layer.Layer<QueueConnection.QueueConnection | BullQueues.BullQueues | Producer.Producer | Schedules.Schedules> =>
  QueueLayer.layer({ url: testRedisUrl(), prefix, jobDefaults: { attempts: 3, backoffDelayMs: 200 } }).pipe(
    Layer.provideMerge(Layer.effectDiscard(Effect.addFinalizer(() => removeKeys(prefix))))
  )

/** Deletes every Redis key under `prefix`. */
export const removeKeys = (prefix: string): Effect.Effect<void> =>
  Effect.promise(async () => {
    const client = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 })
    try {
      let cursor = "0"
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000)
        cursor = next
        if (keys.length > 0) await client.del(...keys)
      } while (cursor !== "0")
    } finally {
      client.disconnect()
    }
  })
