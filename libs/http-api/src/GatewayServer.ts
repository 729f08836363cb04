/**
 * Serves the app over HTTP with @hono/node-server as a scoped resource: listening when acquired, closed (new
 * connections refused, in-flight requests finished, idle keep-alive connections dropped) when the scope closes,
 * for example on SIGTERM through NodeMain.runMain.
 *
 * @since 0.1.0
 */
import { serve as nodeServe, type ServerType } from "@hono/node-server"
import { Effect, type Scope } from "effect"
import type { AddressInfo } from "node:net"

/**
 * Where to listen.
 *
 * @category models
 * @since 0.1.0
 */
export interface ListenOptions {
  readonly port: number
  readonly host: string
}

/**
 * What `fetch`-style apps (Hono) offer the server.
 *
 * @category models
 * @since 0.1.0
 */
export type FetchApp = Pick<Parameters<typeof nodeServe>[0], "fetch">

const close = (server: ServerType): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    server.close(() => resume(Effect.void))
    if ("closeIdleConnections" in server) server.closeIdleConnections()
  })

/**
 * Listens until the scope closes; yields the address actually bound (port 0 picks a free port).
 *
 * @category constructors
 * @since 0.1.0
 */
export const serve = (app: FetchApp, options: ListenOptions): Effect.Effect<AddressInfo, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: ServerType; readonly address: AddressInfo }, Error>((resume) => {
      const server = nodeServe({ fetch: app.fetch, port: options.port, hostname: options.host }, (address) =>
        resume(Effect.succeed({ server, address }))
      )
      server.once("error", (error: Error) => resume(Effect.fail(error)))
    }),
    ({ server }) => close(server)
  ).pipe(Effect.map(({ address }) => address))
