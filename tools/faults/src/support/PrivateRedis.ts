/**
 * A private `redis-server` for one fault test: its own free loopback port and data folder, append-only file on
 * and RDB snapshots off, so it can be stopped and restarted by pid without touching anyone else's Redis.
 *
 * @since 0.1.0
 */
import { Effect, Schedule, type Scope } from "effect"
import { Redis } from "ioredis"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import * as Processes from "./Processes.ts"

/**
 * A running private Redis. `current()` is the process now serving (it changes on `restart`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PrivateRedis {
  readonly port: number
  readonly url: string
  readonly dir: string
  readonly current: () => Processes.Started
  /** SIGTERM by pid (Redis flushes the AOF on a clean shutdown), wait `downMs`, start again on the same port and folder. */
  readonly restart: (downMs: number) => Effect.Effect<void, Error, Scope.Scope>
  /** A fresh client (the caller disconnects it). */
  readonly client: () => Redis
}

const ping = (url: string): Effect.Effect<void, Error> =>
  Effect.tryPromise({
    try: async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
      client.on("error", () => undefined)
      try {
        await client.connect()
        await client.ping()
      } finally {
        client.disconnect()
      }
    },
    catch: (cause) => new Error(`redis at ${url} does not answer: ${String(cause)}`)
  })

const awaitReady = (url: string): Effect.Effect<void, Error> =>
  ping(url).pipe(Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 }))

/**
 * Starts `redis-server` on a free loopback port with its data in `dir/redis`; stopped by pid when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (dir: string): Effect.Effect<PrivateRedis, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const port = yield* Processes.freePort
    const dataDir = join(dir, "redis")
    mkdirSync(dataDir, { recursive: true })
    const url = `redis://127.0.0.1:${port}`
    let generation = 0
    const launch = Effect.gen(function*() {
      generation += 1
      const started = yield* Processes.start({
        name: `redis-${generation}`,
        command: "redis-server",
        args: ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--appendonly", "yes", "--save", "", "--protected-mode", "yes"],
        env: {},
        logDir: dir
      })
      yield* awaitReady(url)
      return started
    })
    let current = yield* launch
    return {
      port,
      url,
      dir: dataDir,
      current: () => current,
      restart: (downMs) =>
        Effect.gen(function*() {
          yield* Processes.stop(current, "SIGTERM")
          yield* Effect.sleep(downMs)
          current = yield* launch
        }),
      client: () => new Redis(url, { maxRetriesPerRequest: 1 })
    }
  })
