/**
 * The security headers every response carries: the hardening headers of Hono's `secureHeaders` defaults and a
 * strict Content-Security-Policy (Swagger UI's scripts and styles are served from here; it needs inline styles).
 * They are constant, so they are built once, here, rather than per request; the request envelope writes them.
 *
 * @since 0.1.0
 */
import type { ServerResponse } from "node:http"
import type { Http2ServerResponse } from "node:http2"

/**
 * The Content-Security-Policy: same-origin scripts only, no plugins, never framed.
 *
 * @category constants
 * @since 0.1.0
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"

/**
 * Every security header with its value (names in lower case, as they go on the wire), in the order Hono's
 * `secureHeaders` sets them.
 *
 * @category constants
 * @since 0.1.0
 */
export const headers: ReadonlyArray<readonly [name: string, value: string]> = [
  ["cross-origin-resource-policy", "same-origin"],
  ["cross-origin-opener-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "no-referrer"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
  ["content-security-policy", contentSecurityPolicy]
]

/**
 * The header that would advertise the server's software; never sent.
 *
 * @category constants
 * @since 0.1.0
 */
export const poweredBy = "x-powered-by"

/**
 * Puts the headers on a Node response before anything is written: Node merges them into whatever response
 * headers the app answers with (a fetch `Headers` object per response is the costly alternative).
 *
 * @category combinators
 * @since 0.1.0
 */
export const writeTo = (outgoing: ServerResponse | Http2ServerResponse): void => {
  for (const [name, value] of headers) outgoing.setHeader(name, value)
}

/**
 * Puts the headers on a fetch response's headers (replacing any of the same name) and removes `X-Powered-By`;
 * for apps served without a Node response (`app.request` in tests, other runtimes).
 *
 * @category combinators
 * @since 0.1.0
 */
export const applyTo = (target: Headers): void => {
  for (const [name, value] of headers) target.set(name, value)
  target.delete(poweredBy)
}
