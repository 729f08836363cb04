/**
 * The gateway (`apps/gateway/src/main.ts`) as a child process for fault tests: over the test's database (or a
 * proxy in front of it) and private Redis, on a free loopback port, stopped by pid with the scope.
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import { join } from "node:path"
import * as Processes from "./Processes.ts"

const gatewayMain = join(Processes.repositoryRoot, "apps/gateway/src/main.ts")

/**
 * A running gateway.
 *
 * @category models
 * @since 0.1.0
 */
export interface Gateway {
  readonly url: string
  readonly process: Processes.Started
}

/**
 * Where the gateway finds its store and Redis.
 *
 * @category models
 * @since 0.1.0
 */
export interface GatewaySetup {
  readonly databaseUrl: string
  readonly schema: string
  readonly redisUrl: string
  readonly prefix: string
}

/**
 * Starts the gateway and waits for its "gateway listening" log line.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (logDir: string, setup: GatewaySetup): Effect.Effect<Gateway, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const port = yield* Processes.freePort
    const started = yield* Processes.start({
      name: "gateway",
      command: process.execPath,
      args: ["--import", "tsx", gatewayMain],
      env: {
        DATABASE_URL: setup.databaseUrl,
        HUB_DATABASE_SCHEMA: setup.schema,
        REDIS_URL: setup.redisUrl,
        HUB_QUEUE_PREFIX: setup.prefix,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info"
      },
      logDir
    })
    yield* Processes.awaitLine(started, /gateway listening/u, 90_000)
    return { url: `http://127.0.0.1:${port}`, process: started }
  })

/**
 * The status `/readyz` answers now (0 when the request itself fails), with its body.
 *
 * @category accessors
 * @since 0.1.0
 */
export const readyz = (gateway: Gateway): Effect.Effect<{ readonly status: number; readonly body: string }> =>
  Effect.promise(async () => {
    try {
      const response = await fetch(`${gateway.url}/readyz`, { signal: AbortSignal.timeout(10_000) })
      return { status: response.status, body: await response.text() }
    } catch (cause) {
      return { status: 0, body: String(cause) }
    }
  })
