/**
 * Cross-site request forgery protection for cookie-authenticated browser requests: a state-changing request is
 * accepted only when the browser says it comes from this site (`Sec-Fetch-Site: same-origin`, or an `Origin`
 * whose host is the request's host). Requests carrying neither header are refused: every browser in use sends
 * at least `Origin` on a POST, PUT, PATCH or DELETE; scripts use bearer keys, which need no such check.
 *
 * @since 0.1.0
 */
import type { Context } from "hono"

/**
 * Whether a request comes from this site's own pages.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isSameOrigin = (c: Context): boolean => {
  const site = c.req.header("Sec-Fetch-Site")
  if (site !== undefined) return site === "same-origin"
  const origin = c.req.header("Origin")
  if (origin === undefined || origin === "null" || !URL.canParse(origin)) return false
  // Hosts, not schemes: behind a TLS-terminating proxy the request URL says http while the page said https.
  const host = c.req.header("Host") ?? new URL(c.req.url).host
  return new URL(origin).host === host
}

/**
 * Whether a method can change state (everything but GET, HEAD and OPTIONS).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isUnsafe = (method: string): boolean => method !== "GET" && method !== "HEAD" && method !== "OPTIONS"
