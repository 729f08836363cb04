/**
 * Request ids: a sane incoming `X-Request-Id` (at most 128 letters, digits, `-`, `_` or `=`) is kept, anything
 * else is replaced by a fresh UUID; the id is echoed on every response and named in every log line.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"

/**
 * The header carrying the id.
 *
 * @category constants
 * @since 0.1.0
 */
export const header = "X-Request-Id"

/**
 * The longest incoming id kept.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxLength = 128

const insane = /[^\w\-=]/u

/**
 * The id of a request: the incoming one when it is sane, otherwise a fresh UUID (`crypto.randomUUID`, which
 * draws from a pre-filled entropy pool, so it costs no system call per request).
 *
 * @category constructors
 * @since 0.1.0
 */
export const accept = (incoming: string | undefined): string =>
  incoming === undefined || incoming.length === 0 || incoming.length > maxLength || insane.test(incoming)
    ? crypto.randomUUID()
    : incoming

/**
 * Sets `c.var.requestId` and the response header (on its own; `createApp` does this in the request envelope).
 *
 * @category middleware
 * @since 0.1.0
 */
export const requestId = (): MiddlewareHandler<GatewayEnv> => (c, next) => {
  const id = accept(c.req.header(header))
  c.set("requestId", id)
  c.header(header, id)
  return next()
}
