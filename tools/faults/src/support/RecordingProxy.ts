/**
 * A loopback HTTP reverse proxy that records when each request arrived and what status it got: lets a fault test
 * see the retries a worker made (and their spacing) without trusting the worker's own logs.
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import { createServer, request } from "node:http"
import type { AddressInfo } from "node:net"
import { performance } from "node:perf_hooks"

/**
 * One proxied exchange: `startedAt` when the request arrived, `answeredAt` when the response head was sent back
 * (milliseconds on this process's monotonic clock). A request the client gave up on before any answer came
 * (a timeout) is recorded with `status` 0 and `answeredAt` when the client closed the connection.
 *
 * @category models
 * @since 0.1.0
 */
export interface Exchange {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly retryAfter: string | undefined
  /** The request's `Idempotency-Key` header, if it had one. */
  readonly idempotencyKey: string | undefined
  readonly startedAt: number
  readonly answeredAt: number
}

/**
 * A running proxy: its URL and what it has seen so far.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordingProxy {
  readonly url: string
  readonly exchanges: () => ReadonlyArray<Exchange>
}

/**
 * Forwards every request on a fresh loopback port to `target` (an `http://127.0.0.1:PORT` URL); closed with the scope.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (target: string): Effect.Effect<RecordingProxy, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ server: ReturnType<typeof createServer>; url: string; log: Array<Exchange> }>((resolve) => {
          const to = new URL(target)
          const log: Array<Exchange> = []
          const server = createServer((req, res) => {
            const startedAt = performance.now()
            const key = req.headers["idempotency-key"]
            const idempotencyKey = Array.isArray(key) ? key[0] : key
            let answered = false
            const upstream = request(
              { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
              (answer) => {
                if (res.destroyed) {
                  answer.resume()
                  return
                }
                answered = true
                const retryAfter = answer.headers["retry-after"]
                log.push({
                  method: req.method ?? "",
                  path: req.url ?? "",
                  status: answer.statusCode ?? 0,
                  retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
                  idempotencyKey,
                  startedAt,
                  answeredAt: performance.now()
                })
                res.writeHead(answer.statusCode ?? 502, answer.headers)
                answer.pipe(res)
              }
            )
            upstream.on("error", () => res.destroy())
            res.on("close", () => {
              if (answered) return
              // The client went away without an answer (it timed out): record it and abandon the upstream request.
              answered = true
              log.push({ method: req.method ?? "", path: req.url ?? "", status: 0, retryAfter: undefined, idempotencyKey, startedAt, answeredAt: performance.now() })
              upstream.destroy()
            })
            req.pipe(upstream)
          })
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo
            resolve({ server, url: `http://127.0.0.1:${port}`, log })
          })
        })
    ),
    ({ server }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          })
      )
  ).pipe(Effect.map(({ log, url }) => ({ url, exchanges: () => [...log] })))
