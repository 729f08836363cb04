/**
 * Reads the canonical record tables the ingest fills, one typed reader for every kind, filtered by where the
 * rows came from and by what they are about (body, financial year, months); and the per-stream counts ops read.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type * as Statement from "effect/sql/Statement"
import * as RecordKinds from "./RecordKinds.ts"
import type { StoredValueError } from "./StoreError.ts"
import * as TableSpec from "./TableSpec.ts"

/**
 * Which rows to read: where they came from, what they are about, and a page of them in natural-key order.
 * `body`, `financialYear` and `months` apply to the kinds that have such a column (see {@link dimensions});
 * asking a kind for one it has not is a bug in the caller and dies with a message naming both.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordFilter {
  readonly plugin?: string
  readonly stream?: string
  /** Only records of this body (or these bodies): a council id, a commissioner's or organisation's code, a fund. */
  readonly body?: string | ReadonlyArray<string>
  /** Only records of this financial year (`2018/19`); spend lines by the year their payment date falls in. */
  readonly financialYear?: string
  /** Only months `from`..`to` (inclusive, M1 = April) of `financialYear`, which must then be given. */
  readonly months?: { readonly from: number; readonly to: number }
  readonly limit?: number
  readonly offset?: number
}

/**
 * One read of {@link RecordRepo}'s `listEach`: a kind and its filter.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordQuery {
  readonly kind: RecordKinds.RecordKind
  readonly filter?: RecordFilter
}

/**
 * What `listEach` answers: each query's records under its name.
 *
 * @category models
 * @since 0.1.0
 */
export type RecordQueryResults<Q extends Readonly<Record<string, RecordQuery>>> = {
  readonly [N in keyof Q]: ReadonlyArray<RecordKinds.Rows[Q[N]["kind"]]>
}

/**
 * The columns a kind is filtered by: `body` names the body column; `year` is `financial_year` or, for spend
 * lines, the payment date (filtered by the year's date range); `month` the month column or the payment date.
 *
 * @category models
 * @since 0.1.0
 */
export interface Dimensions {
  readonly body?: string
  readonly year?: "financial_year" | "payment_date"
  readonly month?: "month" | "payment_date"
}

/**
 * The filterable columns of each kind.
 *
 * @category tables
 * @since 0.1.0
 */
export const dimensions: { readonly [K in RecordKinds.RecordKind]: Dimensions } = {
  "council-spend-line": { body: "council", year: "payment_date", month: "payment_date" },
  "contract-activity-line": { body: "commissioner_code", year: "financial_year", month: "month" },
  "allocation-line": { body: "organisation_code", year: "financial_year" },
  "budget-line": { body: "organisation", year: "financial_year" },
  "pooled-fund-statement-line": { body: "fund_id", year: "financial_year", month: "month" },
  "pooled-contribution": { body: "fund_id", year: "financial_year", month: "month" },
  "submission-acknowledgement": {},
  contract: { body: "commissioner_code", year: "financial_year" }
}

/**
 * One stream's rows as the store holds them: records stored (of every kind it wrote), rows quarantined, and
 * the cursor with when the stream's last page was committed (absent before its first page).
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamCounts {
  readonly plugin: string
  readonly stream: string
  readonly rowsStored: number
  readonly rowsQuarantined: number
  readonly cursor: string | null
  readonly lastCommitAt?: string
}

const isoDate = (year: number, month: number): string => `${year}-${String(month).padStart(2, "0")}-01`

/** The first day of financial month `m` (1 = April) of the year starting in `start`, as an ISO date. */
const firstDayOfMonth = (start: number, m: number): string => {
  const calendarMonth = ((m + 2) % 12) + 1
  return isoDate(m <= 9 ? start : start + 1, calendarMonth)
}

const whole = (value: unknown): number => {
  const n = typeof value === "bigint" ? Number(value) : typeof value === "string" ? Number(value) : value
  return typeof n === "number" && Number.isSafeInteger(n) ? n : 0
}

const specOf = <K extends RecordKinds.RecordKind>(kind: K): TableSpec.TableSpec<RecordKinds.Rows[K]> => RecordKinds.tables[kind]

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const where = (kind: RecordKinds.RecordKind, filter: RecordFilter) =>
    Effect.gen(function*() {
      const dims = dimensions[kind]
      const missing = (what: string) => Effect.die(new Error(`RecordRepo: ${kind} records have no ${what} to filter by`))
      const clauses: Array<Statement.Fragment> = [
        ...(filter.plugin === undefined ? [] : [sql`plugin = ${filter.plugin}`]),
        ...(filter.stream === undefined ? [] : [sql`stream = ${filter.stream}`])
      ]
      if (filter.body !== undefined) {
        if (dims.body === undefined) return yield* missing("body")
        clauses.push(typeof filter.body === "string" ? sql`${sql(dims.body)} = ${filter.body}` : sql.in(dims.body, filter.body))
      }
      if (filter.months !== undefined && filter.financialYear === undefined) {
        return yield* Effect.die(new Error(`RecordRepo: months ${filter.months.from}..${filter.months.to} of ${kind} need a financial year`))
      }
      if (filter.financialYear !== undefined) {
        if (dims.year === undefined) return yield* missing("financial year")
        const start = Number(filter.financialYear.slice(0, 4))
        if (!/^\d{4}\/\d{2}$/u.test(filter.financialYear)) {
          return yield* Effect.die(new Error(`RecordRepo: ${JSON.stringify(filter.financialYear)} is not a financial year such as 2018/19`))
        }
        const from = filter.months?.from ?? 1
        const to = filter.months?.to ?? 12
        if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && to <= 12 && from <= to)) {
          return yield* Effect.die(new Error(`RecordRepo: months ${from}..${to} are not months 1..12 in order`))
        }
        if (dims.year === "payment_date") {
          clauses.push(sql`payment_date >= ${firstDayOfMonth(start, from)}::date`)
          clauses.push(sql`payment_date < ${to === 12 ? isoDate(start + 1, 4) : firstDayOfMonth(start, to + 1)}::date`)
        } else {
          clauses.push(sql`financial_year = ${filter.financialYear}`)
          if (filter.months !== undefined) {
            if (dims.month === undefined) return yield* missing("month")
            clauses.push(sql`month BETWEEN ${from} AND ${to}`)
          }
        }
      }
      return sql.and(clauses)
    })

  const list = Effect.fn("RecordRepo.list")(function*<K extends RecordKinds.RecordKind>(
    kind: K,
    filter: RecordFilter = {}
  ) {
    const spec: TableSpec.TableSpec<RecordKinds.Rows[K]> = RecordKinds.tables[kind]
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM ${sql(spec.table)} WHERE ${yield* where(kind, filter)}
      ORDER BY ${sql.literal(spec.key.map(TableSpec.quote).join(", "))}
      LIMIT ${filter.limit ?? 10_000} OFFSET ${filter.offset ?? 0}`
    return yield* Effect.fromResult(TableSpec.decodeRows(spec, rows))
  })

  // Several reads in one statement (one round trip, one socket write): each query's page of rows, only the
  // kind's columns, aggregated server-side into a jsonb array in natural-key order. The driver parses the jsonb;
  // `decodeRows` reads the same column names and accepts what JSON carries (numbers, date text) as it accepts the
  // driver's values; an int8 beyond ±2^53 fails to decode here as there.
  const listEach = Effect.fn("RecordRepo.listEach")(function*<Q extends Readonly<Record<string, RecordQuery>>>(queries: Q) {
    const names = Object.keys(queries)
    if (names.length === 0) return {} as RecordQueryResults<Q>
    const selects: Array<Statement.Fragment> = []
    for (const [i, name] of names.entries()) {
      const { filter = {}, kind } = queries[name] as RecordQuery
      const spec = specOf(kind)
      const columns = spec.columns.map((c) => TableSpec.quote(c.column)).join(", ")
      const key = spec.key.map(TableSpec.quote).join(", ")
      selects.push(sql`(SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY ${sql.literal(key)}), '[]'::jsonb) FROM (
        SELECT ${sql.literal(columns)} FROM ${sql(spec.table)} WHERE ${yield* where(kind, filter)}
        ORDER BY ${sql.literal(key)} LIMIT ${filter.limit ?? 10_000} OFFSET ${filter.offset ?? 0}) AS t) AS ${sql(`q${i}`)}`)
    }
    const [row] = yield* sql<Record<string, unknown>>`SELECT ${sql.csv(selects)}`
    const out: Record<string, unknown> = {}
    for (const [i, name] of names.entries()) {
      const value = row?.[`q${i}`]
      const rows = (typeof value === "string" ? JSON.parse(value) : value) as ReadonlyArray<Record<string, unknown>>
      out[name] = yield* Effect.fromResult(TableSpec.decodeRows(specOf((queries[name] as RecordQuery).kind), rows))
    }
    return out as RecordQueryResults<Q>
  })

  const count = Effect.fn("RecordRepo.count")(function*(kind: RecordKinds.RecordKind, filter: RecordFilter = {}) {
    const rows = yield* sql<{ readonly n: bigint }>`SELECT count(*) AS n FROM ${sql(RecordKinds.tables[kind].table)}
      WHERE ${yield* where(kind, filter)}`
    return Number(rows[0]?.n ?? 0)
  })

  const streamCounts = Effect.fn("RecordRepo.streamCounts")(function*() {
    const perTable = RecordKinds.kinds.map((k) =>
      `SELECT plugin, stream, count(*) AS n FROM ${TableSpec.quote(RecordKinds.tables[k].table)} GROUP BY plugin, stream`
    )
    const stored = yield* sql.unsafe<{ readonly plugin: string; readonly stream: string; readonly n: unknown }>(
      `SELECT plugin, stream, sum(n)::bigint AS n FROM (${perTable.join(" UNION ALL ")}) AS t GROUP BY plugin, stream`
    )
    const quarantined = yield* sql<{ readonly plugin: string; readonly stream: string; readonly n: unknown }>`
      SELECT plugin, stream, count(*) AS n FROM quarantined_rows GROUP BY plugin, stream`
    // The cursor row is updated in the same transaction as every committed page (IngestRepo.commitPage), so its
    // `updated_at` is that transaction's time, as the audit log's `ingest.commit-page` entry records it.
    const cursors = yield* sql<{ readonly plugin: string; readonly stream: string; readonly cursor: string | null; readonly updated_at: Date }>`
      SELECT plugin, stream, cursor, updated_at FROM stream_cursors`
    const byStream = new Map<string, { plugin: string; stream: string; rowsStored: number; rowsQuarantined: number; cursor: string | null; lastCommitAt?: string }>()
    const entry = (plugin: string, stream: string) => {
      const key = JSON.stringify([plugin, stream])
      let e = byStream.get(key)
      if (e === undefined) {
        e = { plugin, stream, rowsStored: 0, rowsQuarantined: 0, cursor: null }
        byStream.set(key, e)
      }
      return e
    }
    for (const r of stored) entry(r.plugin, r.stream).rowsStored = whole(r.n)
    for (const r of quarantined) entry(r.plugin, r.stream).rowsQuarantined = whole(r.n)
    for (const r of cursors) {
      const e = entry(r.plugin, r.stream)
      e.cursor = r.cursor
      e.lastCommitAt = r.updated_at.toISOString()
    }
    const out: ReadonlyArray<StreamCounts> = [...byStream.values()].sort((a, b) =>
      a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0
    )
    return out
  })

  return { list, listEach, count, streamCounts }
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
  /**
   * Several `list` reads in one statement (one round trip): each query's records under its name, as `list`
   * would answer them (natural-key order, `limit` default 10 000, `offset`).
   */
  readonly listEach: <Q extends Readonly<Record<string, RecordQuery>>>(
    queries: Q
  ) => Effect.Effect<RecordQueryResults<Q>, SqlError | StoredValueError>
  /** How many records of a kind are held. */
  readonly count: (kind: RecordKinds.RecordKind, filter?: RecordFilter) => Effect.Effect<number, SqlError>
  /**
   * Per plugin and stream, counted in the database (GROUP BY): records stored across every record table, rows
   * quarantined, the committed cursor and when the last page was committed. Streams that never committed a page
   * and hold nothing are absent.
   */
  readonly streamCounts: () => Effect.Effect<ReadonlyArray<StreamCounts>, SqlError>
}>()("@hub/store/RecordRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(RecordRepo, make)
}
