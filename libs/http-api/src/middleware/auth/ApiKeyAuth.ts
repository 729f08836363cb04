/**
 * API keys as bearer tokens: `authenticate` turns `Authorization: Bearer <token>` into the key it belongs to
 * (401 when missing, unknown or revoked), and `requireScope` guards a route with one scope (403 without it).
 * The token is hashed at once and never logged or kept; only the key id travels on.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import { uniqueSymbol } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import type { UseCaseRunner } from "../../http/UseCaseRunner.ts"
import { type ApiKey, ApiKeys, grants, hashToken, type Scope } from "../../ports/ApiKeys.ts"
import { Forbidden, Unauthorized } from "../../problems/GatewayErrors.ts"
import * as AuthCache from "./AuthCache.ts"

/**
 * The name of the bearer security scheme in the OpenAPI document.
 *
 * @category constants
 * @since 0.1.0
 */
export const securityScheme = "bearerAuth"

/**
 * Where `requireScope` records its scope on the middleware, so tests and tooling can read every route's scope
 * from `app.routes`.
 *
 * @category constants
 * @since 0.1.0
 */
export const requiredScope: unique symbol = Symbol.for("@hub/http-api/requiredScope")

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly run: UseCaseRunner
  /** How long key lookups are cached, in milliseconds. */
  readonly cacheTtlMs: number
  readonly now?: () => number
}

const bearer = /^Bearer[ ]+([\x21-\x7e]{1,512})$/iu

/**
 * The bearer token of a request's `Authorization` header, if it has a well-formed one.
 *
 * @category accessors
 * @since 0.1.0
 */
export const bearerToken = (authorization: string | undefined): string | undefined => {
  const match = bearer.exec(authorization ?? "")
  return match === null ? undefined : match[1]
}

/**
 * Finds the active key whose token hashes to `tokenHash` (`undefined` when unknown or revoked), through a cache
 * shared by the API and the dashboard.
 *
 * @category models
 * @since 0.1.0
 */
export type KeyLookup = (tokenHash: string) => Promise<ApiKey | undefined>

const lookup = (tokenHash: string) => ApiKeys.use((keys) => keys.findByHash(tokenHash))

/**
 * The cached key lookup over the ApiKeys port.
 *
 * @category constructors
 * @since 0.1.0
 */
export const keyLookup = (options: Options): KeyLookup => {
  const cache = AuthCache.make({ ttlMs: options.cacheTtlMs, ...(options.now === undefined ? {} : { now: options.now }) })
  return async (tokenHash) => {
    const cached = cache.get(tokenHash)
    let key: ApiKey | undefined
    if (cached !== undefined) key = cached.key
    else {
      key = await options.run(lookup(tokenHash))
      cache.set(tokenHash, key)
    }
    return key === undefined || key.revoked ? undefined : key
  }
}

/**
 * Authenticates the request's bearer token and sets `c.var.apiKey`; fails with `Unauthorized` otherwise.
 *
 * @category middleware
 * @since 0.1.0
 */
export const authenticate = (find: KeyLookup): MiddlewareHandler<GatewayEnv> => async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"))
  if (token === undefined) throw new Unauthorized()
  const key = await find(hashToken(token))
  if (key === undefined) throw new Unauthorized()
  c.set("apiKey", key)
  await next()
}

/**
 * Lets the request through only when its key grants `scope` (admin keys grant every scope). Also documents
 * the route's bearer security requirement and its 401/403 responses in the OpenAPI document.
 *
 * @category middleware
 * @since 0.1.0
 */
export const requireScope = (scope: Scope): MiddlewareHandler<GatewayEnv> => {
  const middleware: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    const key = c.get("apiKey")
    if (key === undefined) throw new Unauthorized()
    if (!grants(key, scope)) throw new Forbidden({ required: scope })
    await next()
  }
  return Object.assign(middleware, {
    [requiredScope]: scope,
    [uniqueSymbol]: {
      spec: {
        security: [{ [securityScheme]: [scope] }],
        responses: {
          401: { $ref: "#/components/responses/Unauthorized" },
          403: { $ref: "#/components/responses/Forbidden" },
          429: { $ref: "#/components/responses/RateLimited" }
        }
      }
    }
  })
}
