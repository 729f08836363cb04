/**
 * Structured JSON access logs with pino: one line per request with method, route template, status, duration,
 * request id and key id. Never the token, the Authorization header, or any other header.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import type { Logger } from "pino"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { routeOf } from "../../http/RouteTemplate.ts"

/**
 * What one access log line says about a request.
 *
 * @category models
 * @since 0.1.0
 */
export interface Line {
  readonly requestId: string
  readonly method: string
  readonly route: string
  readonly status: number
  /** Milliseconds from the request's arrival at the gateway to its answer, to the microsecond. */
  readonly durationMs: number
  readonly keyId: string | undefined
}

/**
 * Writes one access log line (at `info`, message `request`). Only the fields of {@link Line} are logged.
 *
 * @category constructors
 * @since 0.1.0
 */
export const writer = (logger: Logger) => (line: Line): void => {
  logger.info(line, "request")
}

/**
 * Rounds a duration in milliseconds to the microsecond.
 *
 * @category accessors
 * @since 0.1.0
 */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000

/**
 * Logs each request after it is answered. `createApp` logs through the request envelope instead; this is the
 * same line as a middleware of its own.
 *
 * @category middleware
 * @since 0.1.0
 */
export const accessLog = (logger: Logger): MiddlewareHandler<GatewayEnv> => {
  const write = writer(logger)
  return async (c, next) => {
    const started = performance.now()
    await next()
    write({
      requestId: c.get("requestId"),
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      durationMs: roundMs(performance.now() - started),
      keyId: c.get("apiKey")?.id
    })
  }
}
