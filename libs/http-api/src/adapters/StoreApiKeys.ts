/**
 * The ApiKeys port over libs/store's `ApiKeyRepo` (keys in the `api_keys` table, stored by hash). A database
 * that cannot answer is `DependencyUnavailable` (503); a stored key the gateway cannot read is a bug (500).
 *
 * @since 0.1.0
 */
import { ApiKeyRepo } from "@hub/store"
import { Effect, Layer } from "effect"
import { type ApiKey, ApiKeys, hashToken, type KeyWithToken } from "../ports/ApiKeys.ts"
import { DependencyUnavailable } from "../problems/GatewayErrors.ts"

/**
 * ApiKeys backed by the store. The repository only returns active keys, so every key found is unrevoked;
 * revocation reaches the gateway within its auth cache TTL.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<ApiKeys, never, ApiKeyRepo.ApiKeyRepo> = Layer.effect(
  ApiKeys,
  Effect.map(ApiKeyRepo.ApiKeyRepo, (repo) => ({
    findByHash: (tokenHash: string) =>
      repo.findByHash(tokenHash).pipe(
        Effect.map((key) =>
          key === undefined ? undefined : { id: key.id, name: key.name, scopes: key.scopes, revoked: key.revokedAt !== undefined }
        ),
        Effect.catchTag("SqlError", () => Effect.fail(new DependencyUnavailable({ dependencies: ["database"] }))),
        Effect.catchTag("StoredValueError", (error) => Effect.die(error))
      )
  }))
)

/**
 * ApiKeys backed by the store, plus development keys held in memory (`GATEWAY_API_KEYS`), which are looked up
 * first. With no development keys it is {@link layer}.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith = (devKeys: ReadonlyArray<KeyWithToken>): Layer.Layer<ApiKeys, never, ApiKeyRepo.ApiKeyRepo> => {
  if (devKeys.length === 0) return layer
  const byHash = new Map<string, ApiKey>(devKeys.map(({ key, token }) => [hashToken(token), key]))
  return Layer.effect(
    ApiKeys,
    Effect.map(ApiKeys, (stored) => ({
      findByHash: (tokenHash: string) => {
        const dev = byHash.get(tokenHash)
        return dev === undefined ? stored.findByHash(tokenHash) : Effect.succeed(dev)
      }
    }))
  ).pipe(Layer.provide(layer))
}
