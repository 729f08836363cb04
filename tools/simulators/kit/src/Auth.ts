/**
 * Credential checks for simulators, as Hono middleware: an API key in a header or an OAuth-style bearer
 * token. No credential or an unknown one is a 401; a known one without the route's scope is a 403.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import * as Problem from "./Problem.ts"

/**
 * Accepted credentials, each with the scopes it grants (e.g. `{ "test-key": ["read", "write"] }`).
 *
 * @category models
 * @since 0.1.0
 */
export type Credentials = Readonly<Record<string, ReadonlyArray<string>>>

const check = (
  presented: string | undefined,
  credentials: Credentials,
  scope: string | undefined,
  challenge: string
): Response | undefined => {
  if (presented === undefined || presented === "") {
    return Problem.response(401, "Unauthorized", "no credentials were presented", {}, { "www-authenticate": challenge })
  }
  const scopes = Object.hasOwn(credentials, presented) ? credentials[presented] : undefined
  if (scopes === undefined) {
    return Problem.response(401, "Unauthorized", "the credentials are not valid", {}, { "www-authenticate": challenge })
  }
  if (scope !== undefined && !scopes.includes(scope)) {
    return Problem.response(403, "Forbidden", `the credentials do not grant the "${scope}" scope`)
  }
  return undefined
}

/**
 * Requires an API key in `header` (default `x-api-key`), optionally granting `scope`.
 *
 * @category middleware
 * @since 0.1.0
 */
export const apiKey = (options: {
  readonly keys: Credentials
  readonly header?: string
  readonly scope?: string
}): MiddlewareHandler => {
  const header = options.header ?? "x-api-key"
  return async (c, next) => {
    const refused = check(c.req.header(header), options.keys, options.scope, `ApiKey header="${header}"`)
    return refused ?? next()
  }
}

/**
 * Requires `Authorization: Bearer <token>`, optionally granting `scope`.
 *
 * @category middleware
 * @since 0.1.0
 */
export const bearer = (options: { readonly tokens: Credentials; readonly scope?: string }): MiddlewareHandler =>
  async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/iu.exec(c.req.header("authorization") ?? "")
    const refused = check(match?.[1], options.tokens, options.scope, `Bearer realm="simulator"`)
    return refused ?? next()
  }
