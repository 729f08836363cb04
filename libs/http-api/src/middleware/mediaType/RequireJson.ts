/**
 * Routes that take a JSON body refuse other media types with 415 instead of reading them as empty input.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { UnsupportedMediaType } from "../../problems/GatewayErrors.ts"

const json = /^application\/(?:[\w.-]+\+)?json$/iu

/**
 * Fails with `UnsupportedMediaType` (415) when the request's Content-Type is not JSON (`application/json` or
 * `application/*+json`).
 *
 * @category middleware
 * @since 0.1.0
 */
export const requireJson = (): MiddlewareHandler<GatewayEnv> => async (c, next) => {
  const contentType = c.req.header("Content-Type") ?? ""
  const media = contentType.split(";")[0]?.trim() ?? ""
  if (!json.test(media)) throw new UnsupportedMediaType({ contentType: media })
  await next()
}
