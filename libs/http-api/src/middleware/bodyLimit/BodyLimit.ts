/**
 * Request bodies are bounded: a declared Content-Length over the limit is refused at once, and a streamed body
 * (no Content-Length) is counted as it arrives and refused as soon as it passes the limit (Hono's bodyLimit).
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import { bodyLimit as honoBodyLimit } from "hono/body-limit"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { PayloadTooLarge } from "../../problems/GatewayErrors.ts"

/**
 * Fails with `PayloadTooLarge` (413) when a body exceeds `maxBytes`.
 *
 * @category middleware
 * @since 0.1.0
 */
export const bodyLimit = (maxBytes: number): MiddlewareHandler<GatewayEnv> => {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLarge({ limitBytes: maxBytes })
    }
  })
  // GET and HEAD carry no body. Skipping them matters: asking @hono/node-server's lazy request for its body
  // builds a full fetch Request (with an AbortSignal) on every call, the largest cost of a small GET.
  return (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limit(c, next))
}
