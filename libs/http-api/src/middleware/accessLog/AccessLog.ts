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
 * Logs each request after it is answered.
 *
 * @category middleware
 * @since 0.1.0
 */
export const accessLog = (logger: Logger): MiddlewareHandler<GatewayEnv> => async (c, next) => {
  const started = performance.now()
  await next()
  logger.info(
    {
      requestId: c.get("requestId"),
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      keyId: c.get("apiKey")?.id
    },
    "request"
  )
}
