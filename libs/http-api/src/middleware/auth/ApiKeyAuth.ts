/**
 * API keys as bearer tokens: `authenticate` turns `Authorization: Bearer <token>` into the key it belongs to
 * (401 when missing, unknown or revoked), and `requireScope` guards a route with one scope (403 without it).
 * The token is never logged; it is hashed for the lookup, and the header value is remembered in memory only
 * for as long as its lookup is cached. Only the key id travels on.
 *
 * @since 0.1.0
 */
import type { Context, MiddlewareHandler, Next } from "hono"
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

/**
 * The key lookups the gateway uses, over one cache.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyLookups {
  /** By token hash (the dashboard's sessions keep only the hash). */
  readonly byHash: KeyLookup
  /**
   * By a request's `Authorization` header: the active key of its bearer token, or `undefined` (missing,
   * malformed, unknown or revoked). A header seen within the TTL is answered at once from memory, without
   * parsing or hashing; otherwise the answer is a promise.
   */
  readonly byAuthorization: (authorization: string | undefined) => ApiKey | undefined | Promise<ApiKey | undefined>
}

const lookup = (tokenHash: string) => ApiKeys.use((keys) => keys.findByHash(tokenHash))

const active = (key: ApiKey | undefined): ApiKey | undefined => (key === undefined || key.revoked ? undefined : key)

/** The most `Authorization` header values remembered; when full, the memory starts afresh (as the hash cache). */
const maxHeaders = 10_000

/**
 * The cached key lookups over the ApiKeys port. Lookups are cached by token hash for `cacheTtlMs`; a well-formed
 * `Authorization` header value is remembered with the very entry of its hash's lookup, so it expires with it and
 * revoking a key takes effect within the same TTL by either path. The header values stay in this process's
 * memory only (never logged), bounded like the hash cache.
 *
 * @category constructors
 * @since 0.1.0
 */
export const keyLookups = (options: Options): KeyLookups => {
  const now = options.now ?? Date.now
  const cache = AuthCache.make({ ttlMs: options.cacheTtlMs, now })
  const byHeader = new Map<string, AuthCache.Entry>()
  const remember = (authorization: string, entry: AuthCache.Entry): void => {
    if (byHeader.size >= maxHeaders) byHeader.clear()
    byHeader.set(authorization, entry)
  }
  const byHash: KeyLookup = async (tokenHash) => {
    const entry = cache.get(tokenHash) ?? cache.set(tokenHash, await options.run(lookup(tokenHash)))
    return active(entry.key)
  }
  const byAuthorization = (authorization: string | undefined): ApiKey | undefined | Promise<ApiKey | undefined> => {
    if (authorization === undefined) return undefined
    const seen = byHeader.get(authorization)
    if (seen !== undefined) {
      if (seen.expiresAt > now()) return active(seen.key)
      byHeader.delete(authorization)
    }
    const token = bearerToken(authorization)
    if (token === undefined) return undefined
    const tokenHash = hashToken(token)
    const cached = cache.get(tokenHash)
    if (cached !== undefined) {
      remember(authorization, cached)
      return active(cached.key)
    }
    return options.run(lookup(tokenHash)).then((key) => {
      remember(authorization, cache.set(tokenHash, key))
      return active(key)
    })
  }
  return { byHash, byAuthorization }
}

/**
 * Authenticates the request's bearer token and sets `c.var.apiKey`, then spends one of the key's rate-limit
 * tokens when `limit` is given (failing with `RateLimited`); fails with `Unauthorized` without a usable key. A
 * key remembered from an earlier request is admitted synchronously (no promise, no hashing).
 *
 * @category middleware
 * @since 0.1.0
 */
export const authenticate = (keys: KeyLookups, limit?: (key: ApiKey) => void): MiddlewareHandler<GatewayEnv> => {
  const admit = (c: Context<GatewayEnv>, key: ApiKey | undefined, next: Next) => {
    if (key === undefined) throw new Unauthorized()
    c.set("apiKey", key)
    if (limit !== undefined) limit(key)
    return next()
  }
  return (c, next) => {
    const found = keys.byAuthorization(c.req.header("Authorization"))
    return found instanceof Promise ? found.then((key) => admit(c, key, next)) : admit(c, found, next)
  }
}

/**
 * Lets the request through only when its key grants `scope` (admin keys grant every scope). Also documents
 * the route's bearer security requirement and its 401/403 responses in the OpenAPI document.
 *
 * @category middleware
 * @since 0.1.0
 */
export const requireScope = (scope: Scope): MiddlewareHandler<GatewayEnv> => {
  // Not async: a granted request goes straight on to the next handler without a promise of its own.
  const middleware: MiddlewareHandler<GatewayEnv> = (c, next) => {
    const key = c.get("apiKey")
    if (key === undefined) throw new Unauthorized()
    if (!grants(key, scope)) throw new Forbidden({ required: scope })
    return next()
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
