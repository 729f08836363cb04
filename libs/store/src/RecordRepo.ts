/**
 * Reads the canonical record tables the ingest fills, one typed reader for every kind.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as RecordKinds from "./RecordKinds.ts"
import type { StoredValueError } from "./StoreError.ts"
import * as TableSpec from "./TableSpec.ts"

/**
 * Which rows to read: where they came from, and a page of them in natural-key order.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordFilter {
  readonly plugin?: string
  readonly stream?: string
  readonly limit?: number
  readonly offset?: number
}

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const where = (filter: RecordFilter) =>
    sql.and([
      ...(filter.plugin === undefined ? [] : [sql`plugin = ${filter.plugin}`]),
      ...(filter.stream === undefined ? [] : [sql`stream = ${filter.stream}`])
    ])

  const list = Effect.fn("RecordRepo.list")(function*<K extends RecordKinds.RecordKind>(
    kind: K,
    filter: RecordFilter = {}
  ) {
    const spec: TableSpec.TableSpec<RecordKinds.Rows[K]> = RecordKinds.tables[kind]
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM ${sql(spec.table)} WHERE ${where(filter)}
      ORDER BY ${sql.literal(spec.key.map(TableSpec.quote).join(", "))}
      LIMIT ${filter.limit ?? 10_000} OFFSET ${filter.offset ?? 0}`
    return yield* Effect.fromResult(TableSpec.decodeRows(spec, rows))
  })

  const count = Effect.fn("RecordRepo.count")(function*(kind: RecordKinds.RecordKind, filter: RecordFilter = {}) {
    const rows = yield* sql<{ readonly n: bigint }>`SELECT count(*) AS n FROM ${sql(RecordKinds.tables[kind].table)}
      WHERE ${where(filter)}`
    return Number(rows[0]?.n ?? 0)
  })

  return { list, count }
})

/**
 * Typed reads of the record tables.
 *
 * @category services
 * @since 0.1.0
 */
export class RecordRepo extends Context.Service<RecordRepo, {
  /** Records of a kind in natural-key order (at most `limit`, default 10 000, after `offset`). */
  readonly list: <K extends RecordKinds.RecordKind>(
    kind: K,
    filter?: RecordFilter
  ) => Effect.Effect<ReadonlyArray<RecordKinds.Rows[K]>, SqlError | StoredValueError>
  /** How many records of a kind are held. */
  readonly count: (kind: RecordKinds.RecordKind, filter?: RecordFilter) => Effect.Effect<number, SqlError>
}>()("@hub/store/RecordRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(RecordRepo, make)
}
