/**
 * The gateway's port to API keys: look a key up by the SHA-256 hash of its bearer token. Keys are only ever
 * stored hashed; the in-memory layer here serves tests and development, and a store-backed layer (libs/store)
 * plugs in through the same service.
 *
 * @since 0.1.0
 */
import { ApiKeyRepo } from "@hub/store"
import { Context, Effect, Layer, Schema } from "effect"
import type { DependencyUnavailable } from "../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * What a key may do: `read` the registry and reports, `write` submissions, `ops` operate queues and jobs,
 * `admin` everything (it implies the other three).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Scope = Schema.Literals(["read", "write", "ops", "admin"])

/**
 * @category models
 * @since 0.1.0
 */
export type Scope = typeof Scope.Type

/**
 * Every scope, in order of privilege.
 *
 * @category constants
 * @since 0.1.0
 */
export const scopes: ReadonlyArray<Scope> = Scope.literals

/**
 * A key as the gateway sees it. `id` is what logs and rate limits name; the token itself is never kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ApiKey = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  scopes: Schema.Array(Scope),
  revoked: Schema.Boolean
})

/**
 * @category models
 * @since 0.1.0
 */
export type ApiKey = typeof ApiKey.Type

/**
 * A key and its token in clear, as configured for development or created in a test. The in-memory layer
 * hashes the token at once and forgets it.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyWithToken {
  readonly token: string
  readonly key: ApiKey
}

/**
 * The operations the gateway needs from a key repository.
 *
 * @category models
 * @since 0.1.0
 */
export interface Shape {
  /** The key whose token hashes to `tokenHash` (lower-case hex SHA-256), revoked or not; `undefined` if none. */
  readonly findByHash: (tokenHash: string) => Effect.Effect<ApiKey | undefined, DependencyUnavailable>
}

// ---------------------------------------------------------------------------------------------------------
// functions
// ---------------------------------------------------------------------------------------------------------

/**
 * The SHA-256 of a token as lower-case hex: the only form in which tokens are stored or compared. It is
 * libs/store's `ApiKeyRepo.hashToken`, the function `hub keys create` stores keys with.
 *
 * @category hashing
 * @since 0.1.0
 */
export const hashToken: (token: string) => string = ApiKeyRepo.hashToken

/**
 * Whether a key grants `scope`: it lists it, or it is an admin key.
 *
 * @category predicates
 * @since 0.1.0
 */
export const grants = (key: ApiKey, scope: Scope): boolean => key.scopes.includes(scope) || key.scopes.includes("admin")

/**
 * Parses development keys from configuration: comma-separated `name:scope+scope:token` entries
 * (`dev:read+ops:s3cret`). The key id is the name. Errors name the entry (by position, never its token).
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseKeyList = (text: string): { readonly keys: ReadonlyArray<KeyWithToken> } | { readonly error: string } => {
  const keys: Array<KeyWithToken> = []
  const entries = text.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)
  for (const [index, entry] of entries.entries()) {
    const first = entry.indexOf(":")
    const second = first < 0 ? -1 : entry.indexOf(":", first + 1)
    if (first <= 0 || second < 0) {
      return { error: `API key entry ${index + 1}: expected name:scope+scope:token` }
    }
    const name = entry.slice(0, first)
    const scopeList = entry.slice(first + 1, second).split("+").filter((s) => s.length > 0)
    const token = entry.slice(second + 1)
    const unknown = scopeList.filter((s) => !(scopes as ReadonlyArray<string>).includes(s))
    if (unknown.length > 0 || scopeList.length === 0) {
      return { error: `API key entry ${index + 1} (${name}): scopes must be some of ${scopes.join(", ")}; got ${scopeList.join("+") || "none"}` }
    }
    if (token.length < 16) return { error: `API key entry ${index + 1} (${name}): the token must be at least 16 characters` }
    keys.push({ token, key: { id: name, name, scopes: scopeList as Array<Scope>, revoked: false } })
  }
  return { keys }
}

// ---------------------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------------------

/**
 * The API key repository port.
 *
 * @category services
 * @since 0.1.0
 */
export class ApiKeys extends Context.Service<ApiKeys, Shape>()("@hub/http-api/ApiKeys") {
  /**
   * Keys held in memory by token hash (tests, development). Tokens are hashed when the layer is built and not
   * kept.
   */
  static readonly layerInMemory = (keys: Iterable<KeyWithToken>): Layer.Layer<ApiKeys> => {
    const byHash = new Map<string, ApiKey>()
    for (const { token, key } of keys) byHash.set(hashToken(token), key)
    return Layer.succeed(ApiKeys, { findByHash: (tokenHash) => Effect.succeed(byHash.get(tokenHash)) })
  }
}
