/**
 * RFC 9457 problem responses, the one error body every simulator answers with, so clients (and plugins) can
 * rely on `status`, `title` and `detail` whatever went wrong.
 *
 * @since 0.1.0
 */

/**
 * The JSON body of an `application/problem+json` response.
 *
 * @category models
 * @since 0.1.0
 */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  /** Extra members, e.g. validation `errors` naming the field. */
  readonly [extension: string]: unknown
}

/**
 * Builds a `Response` carrying a problem document.
 *
 * @category constructors
 * @since 0.1.0
 */
export const response = (
  status: number,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {}
): Response => {
  const body: Problem = { type: "about:blank", title, status, detail, ...extensions }
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...headers }
  })
}
