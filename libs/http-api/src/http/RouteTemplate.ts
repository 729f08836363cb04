/**
 * The route template a request matched (`/v1/organisations/:code`), for logs and metric labels: templates keep
 * label cardinality bounded where raw paths would not. It is the template of the route matched, even when
 * middleware answered first (a 401 on `/v1/organisations/:code` is labelled with that route).
 *
 * @since 0.1.0
 */
import type { Context } from "hono"
import { matchedRoutes } from "hono/route"

/**
 * The matched route's template, or `unmatched` when only middleware matched (404s, 405s).
 *
 * @category accessors
 * @since 0.1.0
 */
export const routeOf = (c: Context): string => {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]
    if (route !== undefined && route.method !== "ALL") return route.path
  }
  return "unmatched"
}
