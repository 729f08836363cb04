/**
 * Serves a Hono app (or any fetch handler) on loopback as a scoped Effect resource: acquiring it listens and
 * yields the URL, closing the scope (or interrupting) stops listening and drops open connections, including
 * ones a hang fault is holding.
 *
 * @since 0.1.0
 */
import { createAdaptorServer } from "@hono/node-server"
import { Data, Effect, type Scope } from "effect"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"

/**
 * The server could not listen (port in use, bad host...).
 *
 * @category errors
 * @since 0.1.0
 */
export class ServerStartError extends Data.TaggedError("ServerStartError")<{
  readonly host: string
  readonly port: number
  readonly cause: unknown
}> {
  override get message(): string {
    return `cannot listen on ${this.host}:${this.port}: ${String(this.cause)}`
  }
}

/**
 * A listening server.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunningServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string
  readonly host: string
  readonly port: number
}

/**
 * Anything with a fetch handler, e.g. a Hono app.
 *
 * @category models
 * @since 0.1.0
 */
export interface FetchApp {
  readonly fetch: (request: Request, env?: unknown) => Response | Promise<Response>
}

/**
 * Options for {@link startServer}: `port` 0 (the default) picks a free port; `host` defaults to 127.0.0.1.
 *
 * @category models
 * @since 0.1.0
 */
export interface ServerOptions {
  readonly port?: number
  readonly host?: string
}

/**
 * Listens with `app` for the lifetime of the enclosing scope.
 *
 * @category constructors
 * @since 0.1.0
 */
export const startServer = (app: FetchApp, options: ServerOptions = {}): Effect.Effect<RunningServer, ServerStartError, Scope.Scope> => {
  const host = options.host ?? "127.0.0.1"
  const port = options.port ?? 0
  return Effect.acquireRelease(
    Effect.callback<Server, ServerStartError>((resume) => {
      // No http2/https options are passed, so the adaptor builds a node:http Server.
      const server = createAdaptorServer({ fetch: (request, env) => app.fetch(request, env), hostname: host }) as Server
      server.once("error", (cause) => resume(Effect.fail(new ServerStartError({ host, port, cause }))))
      server.listen(port, host, () => resume(Effect.succeed(server)))
      return Effect.sync(() => {
        server.close()
      })
    }),
    (server) =>
      Effect.callback<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  ).pipe(
    Effect.map((server) => {
      const address = server.address() as AddressInfo
      return { url: `http://${host}:${address.port}`, host, port: address.port }
    })
  )
}
