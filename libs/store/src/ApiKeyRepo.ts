/**
 * API keys as the gateway checks them: an id, a name, the hash of the secret (never the secret itself), its
 * scopes, when it was created and, once revoked, when. The gateway hashes the presented secret and looks the
 * hash up here.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import { SqlError } from "effect/sql/SqlError"
import { createHash } from "node:crypto"
import * as AuditLog from "./AuditLog.ts"
import { AlreadyExists, NotFound, StoredValueError } from "./StoreError.ts"
import { traverse } from "./TableSpec.ts"

/**
 * What a key may do (ARCHITECTURE.md, "Gateway").
 *
 * @category models
 * @since 0.1.0
 */
export type Scope = "read" | "write" | "ops" | "admin"

const scopes: ReadonlyArray<Scope> = ["read", "write", "ops", "admin"]

/**
 * A stored key.
 *
 * @category models
 * @since 0.1.0
 */
export interface ApiKey {
  readonly id: string
  readonly name: string
  readonly hash: string
  readonly scopes: ReadonlyArray<Scope>
  readonly createdAt: string
  readonly revokedAt?: string
}

interface ApiKeyRow {
  readonly id: string
  readonly name: string
  readonly key_hash: string
  readonly scopes: ReadonlyArray<string>
  readonly created_at: Date
  readonly revoked_at: Date | null
}

const toKey = (row: ApiKeyRow): Result.Result<ApiKey, StoredValueError> => {
  const unknown = row.scopes.filter((s) => !scopes.includes(s as Scope))
  if (unknown.length > 0) {
    return Result.fail(new StoredValueError({ table: "api_keys", column: "scopes", reason: `unknown scopes ${unknown.join(", ")} (key ${row.id})` }))
  }
  return Result.succeed({
    id: row.id,
    name: row.name,
    hash: row.key_hash,
    scopes: row.scopes as ReadonlyArray<Scope>,
    createdAt: row.created_at.toISOString(),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at.toISOString() })
  })
}

/**
 * The hash under which a key's secret is stored and looked up: the SHA-256 of its UTF-8 bytes as lower-case
 * hex. Whoever creates keys (the CLI) and whoever checks them (the gateway) use this one function, so a created
 * key is found by the hash of the token presented.
 *
 * @category hashing
 * @since 0.1.0
 */
export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex")

/**
 * Whether a failure is the database refusing a duplicate (a taken key id or hash).
 *
 * @category errors
 * @since 0.1.0
 */
export const isUniqueViolation = (error: unknown): error is SqlError =>
  error instanceof SqlError && error.reason._tag === "UniqueViolation"

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const create = Effect.fn("ApiKeyRepo.create")(function*(key: {
    readonly id: string
    readonly name: string
    readonly hash: string
    readonly scopes: ReadonlyArray<Scope>
  }) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const [row] = yield* sql<ApiKeyRow>`INSERT INTO api_keys (id, name, key_hash, scopes)
        VALUES (${key.id}, ${key.name}, ${key.hash}, ${key.scopes.length === 0 ? "{}" : [...key.scopes]})
        RETURNING *`
      yield* AuditLog.write(sql, {
        action: "api-key.create",
        entityType: "api-key",
        entityKey: key.id,
        after: { name: key.name, scopes: key.scopes }
      })
      return yield* Effect.fromResult(toKey(row!))
    })).pipe(
      Effect.catchIf(isUniqueViolation, () => Effect.fail(new AlreadyExists({ entity: "api key", key: key.id })))
    )
  })

  const findByHash = Effect.fn("ApiKeyRepo.findByHash")(function*(hash: string) {
    const [row] = yield* sql<ApiKeyRow>`SELECT * FROM api_keys WHERE key_hash = ${hash} AND revoked_at IS NULL`
    return row === undefined ? undefined : yield* Effect.fromResult(toKey(row))
  })

  const revoke = Effect.fn("ApiKeyRepo.revoke")(function*(id: string) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const [row] = yield* sql<ApiKeyRow>`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
        WHERE id = ${id} RETURNING *`
      if (row === undefined) return yield* new NotFound({ entity: "api key", key: id })
      yield* AuditLog.write(sql, { action: "api-key.revoke", entityType: "api-key", entityKey: id, after: { revoked: true } })
      return yield* Effect.fromResult(toKey(row))
    }))
  })

  const list = Effect.fn("ApiKeyRepo.list")(function*() {
    const rows = yield* sql<ApiKeyRow>`SELECT * FROM api_keys ORDER BY created_at, id`
    return yield* Effect.fromResult(traverse(rows, toKey))
  })

  return { create, findByHash, revoke, list }
})

/**
 * Stores and looks up API keys.
 *
 * @category services
 * @since 0.1.0
 */
export class ApiKeyRepo extends Context.Service<ApiKeyRepo, {
  /** Stores a key by its hash; a taken id or hash is `AlreadyExists`. */
  readonly create: (key: {
    readonly id: string
    readonly name: string
    readonly hash: string
    readonly scopes: ReadonlyArray<Scope>
  }) => Effect.Effect<ApiKey, SqlError | AlreadyExists | StoredValueError>
  /** The active (not revoked) key with this hash. */
  readonly findByHash: (hash: string) => Effect.Effect<ApiKey | undefined, SqlError | StoredValueError>
  /** Revokes a key (revoking twice keeps the first time). */
  readonly revoke: (id: string) => Effect.Effect<ApiKey, SqlError | NotFound | StoredValueError>
  readonly list: () => Effect.Effect<ReadonlyArray<ApiKey>, SqlError | StoredValueError>
}>()("@hub/store/ApiKeyRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(ApiKeyRepo, make)
}
