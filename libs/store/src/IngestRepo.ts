/**
 * The ingest's one write: commit a page of a stream in one transaction (upsert its valid records by natural
 * key, keep its invalid rows in quarantine, advance the stream's cursor), so a crash leaves either the whole
 * page with its cursor or nothing, and replaying a page changes nothing. Also reads cursors and quarantine.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as AuditLog from "./AuditLog.ts"
import * as BulkUpsert from "./BulkUpsert.ts"
import * as QuarantinedRows from "./QuarantinedRows.ts"
import * as RecordKinds from "./RecordKinds.ts"
import { CursorMoved, StoredValueError } from "./StoreError.ts"
import { type TableSpec, traverse } from "./TableSpec.ts"

/**
 * One problem with a rejected row (the plugin SDK's `FieldProblem`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Problem {
  readonly field: string
  readonly reason: string
}

/**
 * A row that failed validation: its line in the source, the raw text and every problem found (the plugin
 * SDK's `Rejection` fits as it is).
 *
 * @category models
 * @since 0.1.0
 */
export interface Rejection {
  readonly line: number
  readonly raw: string
  readonly problems: ReadonlyArray<Problem>
}

/**
 * A page to commit. `expectedCursor`, when given, is the committed cursor the page was read from: if another
 * worker has moved the stream on since, the commit fails with `CursorMoved` and writes nothing.
 *
 * @category models
 * @since 0.1.0
 */
export interface PageCommit<K extends RecordKinds.RecordKind> {
  readonly plugin: string
  readonly stream: string
  readonly kind: K
  readonly records: ReadonlyArray<RecordKinds.Rows[K]>
  readonly rejections: ReadonlyArray<Rejection>
  readonly nextCursor: string | null
  readonly expectedCursor?: string | null
}

/**
 * What a commit did. `stored` counts the page's valid records (all now held, one row per natural key) and
 * `quarantined` its rejections, so `stored + quarantined` is the page's row count; `written` counts record
 * rows actually inserted or changed (0 when the same page is committed again).
 *
 * @category models
 * @since 0.1.0
 */
export interface PageCounts {
  readonly stored: number
  readonly quarantined: number
  readonly written: number
}

/**
 * A quarantined row as stored.
 *
 * @category models
 * @since 0.1.0
 */
export interface QuarantinedRow {
  readonly id: number
  readonly plugin: string
  readonly stream: string
  readonly line: number
  readonly raw: string
  readonly reasons: ReadonlyArray<Problem>
  readonly createdAt: string
  readonly lastSeenAt: string
}

/**
 * A stream's committed position.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamCursor {
  readonly plugin: string
  readonly stream: string
  readonly cursor: string | null
  readonly updatedAt: string
}


interface QuarantineDbRow {
  readonly id: bigint | number
  readonly plugin: string
  readonly stream: string
  readonly line: number
  readonly raw: string
  readonly reasons: ReadonlyArray<Problem>
  readonly created_at: Date
  readonly last_seen_at: Date
}

const toQuarantined = (row: QuarantineDbRow): Result.Result<QuarantinedRow, StoredValueError> => {
  const id = Number(row.id)
  return Number.isSafeInteger(id)
    ? Result.succeed({
      id,
      plugin: row.plugin,
      stream: row.stream,
      line: row.line,
      raw: row.raw,
      reasons: row.reasons,
      createdAt: row.created_at.toISOString(),
      lastSeenAt: row.last_seen_at.toISOString()
    })
    : Result.fail(new StoredValueError({ table: "quarantined_rows", column: "id", reason: `${String(row.id)} is not a safe integer` }))
}

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const commitPage = Effect.fn("IngestRepo.commitPage")(function*<K extends RecordKinds.RecordKind>(page: PageCommit<K>) {
    const spec: TableSpec<RecordKinds.Rows[K]> = RecordKinds.tables[page.kind]
    const quarantine = page.rejections.map((r): QuarantinedRows.QuarantineInsert => ({
      plugin: page.plugin,
      stream: page.stream,
      line: r.line,
      raw: r.raw,
      rawDigest: QuarantinedRows.rawDigest(r.raw),
      reasons: r.problems.map((p) => ({ field: p.field, reason: p.reason }))
    }))
    return yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql`INSERT INTO stream_cursors (plugin, stream, cursor) VALUES (${page.plugin}, ${page.stream}, NULL)
        ON CONFLICT (plugin, stream) DO NOTHING`
      // Locks the stream's cursor row: two workers committing the same stream queue up here.
      const [current] = yield* sql<{ readonly cursor: string | null }>`SELECT cursor FROM stream_cursors
        WHERE plugin = ${page.plugin} AND stream = ${page.stream} FOR UPDATE`
      const before = current?.cursor ?? null
      if (page.expectedCursor !== undefined && page.expectedCursor !== before) {
        return yield* new CursorMoved({ plugin: page.plugin, stream: page.stream, expected: page.expectedCursor, actual: before })
      }
      const upserted = yield* BulkUpsert.upsert(sql, spec, page.records, {
        extra: { plugin: page.plugin, stream: page.stream },
        touch: "updated_at"
      })
      const held = yield* BulkUpsert.upsert(sql, QuarantinedRows.table, quarantine, { touch: "last_seen_at" })
      yield* sql`UPDATE stream_cursors SET cursor = ${page.nextCursor}, updated_at = now()
        WHERE plugin = ${page.plugin} AND stream = ${page.stream}`
      const counts: PageCounts = {
        stored: upserted.rows,
        quarantined: held.rows,
        written: upserted.written
      }
      yield* AuditLog.write(sql, {
        action: "ingest.commit-page",
        entityType: "stream",
        entityKey: `${page.plugin}/${page.stream}`,
        before: { cursor: before },
        after: { cursor: page.nextCursor, kind: page.kind, ...counts }
      })
      return counts
    }))
  })

  const cursor = Effect.fn("IngestRepo.cursor")(function*(stream: { readonly plugin: string; readonly stream: string }) {
    const rows = yield* sql<{ readonly cursor: string | null }>`SELECT cursor FROM stream_cursors
      WHERE plugin = ${stream.plugin} AND stream = ${stream.stream}`
    return rows[0]?.cursor ?? null
  })

  const cursors = Effect.fn("IngestRepo.cursors")(function*(plugin?: string) {
    const rows = yield* sql<{ readonly plugin: string; readonly stream: string; readonly cursor: string | null; readonly updated_at: Date }>`
      SELECT plugin, stream, cursor, updated_at FROM stream_cursors
      WHERE ${sql.and(plugin === undefined ? [] : [sql`plugin = ${plugin}`])} ORDER BY plugin, stream`
    return rows.map((r): StreamCursor => ({ plugin: r.plugin, stream: r.stream, cursor: r.cursor, updatedAt: r.updated_at.toISOString() }))
  })

  const quarantined = Effect.fn("IngestRepo.quarantined")(function*(filter: {
    readonly plugin: string
    readonly stream?: string
    readonly limit?: number
  }) {
    const rows = yield* sql<QuarantineDbRow>`SELECT id, plugin, stream, line, raw, reasons, created_at, last_seen_at
      FROM quarantined_rows
      WHERE ${sql.and([sql`plugin = ${filter.plugin}`, ...(filter.stream === undefined ? [] : [sql`stream = ${filter.stream}`])])}
      ORDER BY id LIMIT ${filter.limit ?? 1000}`
    return yield* Effect.fromResult(traverse(rows, toQuarantined))
  })

  return { commitPage, cursor, cursors, quarantined }
})

/**
 * Commits ingested pages and reads stream cursors and quarantine.
 *
 * @category services
 * @since 0.1.0
 */
export class IngestRepo extends Context.Service<IngestRepo, {
  /**
   * In one transaction: upserts `records` by natural key, keeps `rejections` in quarantine (raw row, line,
   * problems) and sets the stream's cursor to `nextCursor`. All or nothing.
   */
  readonly commitPage: <K extends RecordKinds.RecordKind>(
    page: PageCommit<K>
  ) => Effect.Effect<PageCounts, SqlError | CursorMoved>
  /** The stream's committed cursor; `null` before its first page. */
  readonly cursor: (stream: { readonly plugin: string; readonly stream: string }) => Effect.Effect<string | null, SqlError>
  /** Every stream's committed cursor and when it last moved (optionally of one plugin), for ops. */
  readonly cursors: (plugin?: string) => Effect.Effect<ReadonlyArray<StreamCursor>, SqlError>
  /** Quarantined rows of a plugin (optionally one stream), oldest first, at most `limit` (1000). */
  readonly quarantined: (filter: {
    readonly plugin: string
    readonly stream?: string
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<QuarantinedRow>, SqlError | StoredValueError>
}>()("@hub/store/IngestRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(IngestRepo, make)
}
