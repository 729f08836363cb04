/**
 * The one middleware every request passes through first: it gives the request its id, puts the security
 * headers and the id on the response, bounds the body, turns a 404 on a known path into a 405, and once the
 * request is answered records its metrics and writes its access log line. One middleware instead of six: each
 * layer of Hono's middleware chain costs a promise and a closure per request, and the route template, the
 * status and the clock are read once for both the metrics and the log.
 *
 * Served by @hono/node-server, the constant headers go straight onto Node's response (`c.env.outgoing`), which
 * merges them into the answer without building a fetch `Headers` object; under `app.request` (tests) they are set
 * on the Response instead, with the same result.
 *
 * @since 0.1.0
 */
import type { Context, Hono, MiddlewareHandler } from "hono"
import { methodNotAllowed } from "hono/method-not-allowed"
import { ServerResponse } from "node:http"
import { Http2ServerResponse } from "node:http2"
import type { Logger } from "pino"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { routeOf } from "../../http/RouteTemplate.ts"
import * as AccessLog from "../accessLog/AccessLog.ts"
import { bodyLimit } from "../bodyLimit/BodyLimit.ts"
import * as GatewayMetrics from "../metrics/GatewayMetrics.ts"
import * as RequestId from "../requestId/RequestId.ts"
import * as SecureHeaders from "../secureHeaders/SecureHeaders.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The app, whose routes tell which methods a path allows. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Hono's own option type (`Hono<E, any, any>`): any schema and base path
  readonly app: Hono<GatewayEnv, any, any>
  readonly logger: Logger
  readonly metrics: GatewayMetrics.GatewayMetrics
  /** The largest request body, in bytes. */
  readonly bodyBytes: number
  /** The answer to a failure raised before any route ran (the body limit's 413): the app's error handler. */
  readonly onError: (error: Error, c: Context<GatewayEnv>) => Response | Promise<Response>
  /** The answer to a known path asked with a method it does not allow. */
  readonly onMethodNotAllowed: (c: Context<GatewayEnv>, allow: Array<string>) => Response | Promise<Response>
}

type Outgoing = ServerResponse | Http2ServerResponse

/** Node's response when @hono/node-server serves the app (its documented `HttpBindings`), else `undefined`. */
const outgoingOf = (c: Context<GatewayEnv>): Outgoing | undefined => {
  const env: unknown = c.env
  if (typeof env !== "object" || env === null || !("outgoing" in env)) return undefined
  const outgoing = env.outgoing
  return outgoing instanceof ServerResponse || outgoing instanceof Http2ServerResponse ? outgoing : undefined
}

const settled = (): Promise<void> => Promise.resolve()

/**
 * The request envelope.
 *
 * @category middleware
 * @since 0.1.0
 */
export const requestEnvelope = (options: Options): MiddlewareHandler<GatewayEnv> => {
  const record = GatewayMetrics.recorder(options.metrics)
  const log = AccessLog.writer(options.logger)
  const limit = bodyLimit(options.bodyBytes)
  const notAllowed = methodNotAllowed<GatewayEnv>({ app: options.app, onMethodNotAllowed: options.onMethodNotAllowed })
  return async (c, next) => {
    const started = performance.now()
    const requestId = RequestId.accept(c.req.header(RequestId.header))
    c.set("requestId", requestId)
    const outgoing = outgoingOf(c)
    if (outgoing !== undefined) {
      SecureHeaders.writeTo(outgoing)
      outgoing.setHeader(RequestId.header, requestId)
    }
    try {
      await limit(c, next)
    } catch (error) {
      // Only what runs before the routes can land here (later failures are answered where they happen), so it
      // is answered as Hono's chain would: by the error handler.
      if (!(error instanceof Error)) throw error
      c.error = error
      c.res = await options.onError(error, c)
    }
    if (c.res.status === 404 && c.error === undefined) await notAllowed(c, settled)
    if (outgoing === undefined) {
      const headers = c.res.headers
      SecureHeaders.applyTo(headers)
      headers.set(RequestId.header, requestId)
    }
    const status = c.res.status
    const route = routeOf(c)
    const elapsedMs = performance.now() - started
    record(c.req.method, route, status, elapsedMs / 1000)
    log({ requestId, method: c.req.method, route, status, durationMs: AccessLog.roundMs(elapsedMs), keyId: c.get("apiKey")?.id })
  }
}
