/**
 * Request ids: a sane incoming `X-Request-Id` (at most 128 letters, digits, `-`, `_` or `=`) is kept, anything
 * else is replaced by a fresh UUID; the id is echoed on every response and named in every log line.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import { requestId as honoRequestId } from "hono/request-id"
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

/**
 * Sets `c.var.requestId` and the response header.
 *
 * @category middleware
 * @since 0.1.0
 */
export const requestId = (): MiddlewareHandler<GatewayEnv> =>
  honoRequestId({ headerName: header, limitLength: maxLength, generator: () => crypto.randomUUID() })
