/**
 * A loopback TCP proxy a fault test can cut: put it between a process and PostgreSQL (or anything else spoken
 * over TCP), then `cut()` destroys every open connection and refuses new ones (they are accepted and closed at
 * once, as a dead network path would look to a client that retries), and `restore()` lets traffic through again.
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import { connect, createServer, type Socket } from "node:net"

/**
 * A running proxy.
 *
 * @category models
 * @since 0.1.0
 */
export interface TcpProxy {
  /** The loopback port clients connect to. */
  readonly port: number
  /** `url` with its host and port replaced by the proxy's (e.g. a `postgres://` URL). */
  readonly through: (url: string) => string
  /** Destroys every open connection and refuses new ones until {@link TcpProxy.restore}. */
  readonly cut: () => void
  readonly restore: () => void
  readonly isCut: () => boolean
  /** Connections accepted so far (refused ones included). */
  readonly accepted: () => number
  /** Connections refused while cut. */
  readonly refused: () => number
}

/**
 * Listens on a free loopback port and forwards every connection to `targetHost:targetPort`; closed with the scope.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (targetHost: string, targetPort: number): Effect.Effect<TcpProxy, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ readonly proxy: TcpProxy; readonly close: () => Promise<void> }, Error>((resume) => {
      const open = new Set<Socket>()
      let cutNow = false
      let accepted = 0
      let refused = 0
      const server = createServer((client) => {
        accepted += 1
        if (cutNow) {
          refused += 1
          client.destroy()
          return
        }
        const upstream = connect({ host: targetHost, port: targetPort })
        open.add(client)
        open.add(upstream)
        const drop = (): void => {
          client.destroy()
          upstream.destroy()
          open.delete(client)
          open.delete(upstream)
        }
        client.on("error", drop)
        upstream.on("error", drop)
        client.on("close", drop)
        upstream.on("close", drop)
        client.pipe(upstream)
        upstream.pipe(client)
      })
      server.once("error", (cause) => resume(Effect.fail(new Error(`tcp proxy to ${targetHost}:${targetPort}: ${cause.message}`))))
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        const proxy: TcpProxy = {
          port,
          through: (url) => {
            const u = new URL(url)
            u.hostname = "127.0.0.1"
            u.port = String(port)
            return u.toString()
          },
          cut: () => {
            cutNow = true
            for (const socket of open) socket.destroy()
            open.clear()
          },
          restore: () => {
            cutNow = false
          },
          isCut: () => cutNow,
          accepted: () => accepted,
          refused: () => refused
        }
        const close = () =>
          new Promise<void>((resolve) => {
            for (const socket of open) socket.destroy()
            server.close(() => resolve())
          })
        resume(Effect.succeed({ proxy, close }))
      })
    }),
    ({ close }) => Effect.promise(close)
  ).pipe(Effect.map(({ proxy }) => proxy))

/**
 * A proxy in front of the server of a `postgres://` (or any `scheme://host:port`) URL.
 *
 * @category constructors
 * @since 0.1.0
 */
export const inFrontOf = (url: string): Effect.Effect<TcpProxy, Error, Scope.Scope> => {
  const u = new URL(url)
  return start(u.hostname === "localhost" ? "127.0.0.1" : u.hostname, Number(u.port === "" ? 5432 : u.port))
}
