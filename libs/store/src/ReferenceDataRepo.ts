/**
 * Reference data: the organisation registry's bodies, relationships and successions (with their periods),
 * the small areas (LSOAs), which body covers which area in each published lookup, and which health body and
 * council cover each area over time (the geography the coterminosity rules read).
 *
 * @since 0.1.0
 */
import type { Organisation } from "@hub/domain"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as AuditLog from "./AuditLog.ts"
import * as BulkUpsert from "./BulkUpsert.ts"
import * as QuarantinedRows from "./QuarantinedRows.ts"
import type { StoredValueError } from "./StoreError.ts"
import { column, decodeRows, type TableSpec } from "./TableSpec.ts"

/**
 * A small area (LSOA) and its population weight when known.
 *
 * @category models
 * @since 0.1.0
 */
export interface Area {
  readonly code: string
  readonly name?: string
  readonly population?: number
}

/**
 * One line of a published lookup (an ONS LSOA-to-CCG-to-council file): `bodyCode` covers `areaCode`.
 * `lookup` names the file's vintage, such as `lsoa11-ccg20-lad20`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Coverage {
  readonly lookup: string
  readonly areaCode: string
  readonly bodyCode: string
}

/**
 * `bodyCode` covers `areaCode` in `role` during [`opened`, `closed`) (absent `closed`: still open).
 *
 * @category models
 * @since 0.1.0
 */
export interface AreaCoverage {
  readonly areaCode: string
  readonly role: "health" | "council"
  readonly bodyCode: string
  readonly opened: string
  readonly closed?: string
  readonly source?: string
}

/**
 * A row of a reference file that could not be imported: the file, the line (or record number where the
 * format has no lines), the field and why, with the raw text.
 *
 * @category models
 * @since 0.1.0
 */
export interface RejectedRow {
  readonly file: string
  readonly line: number
  readonly raw: string
  readonly problems: ReadonlyArray<{ readonly field: string; readonly reason: string }>
}

/**
 * What a geography import wrote: rows held afterwards and rows inserted or changed, per table, and the rows
 * quarantined.
 *
 * @category models
 * @since 0.1.0
 */
export interface GeographyWrite {
  /** Bodies, relationships and successions inserted or changed (0 when none were given). */
  readonly organisations: { readonly written: number }
  readonly areas: { readonly rows: number; readonly written: number }
  readonly coverage: { readonly rows: number; readonly written: number }
  readonly quarantined: number
}

/**
 * How many rows each reference table holds.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReferenceCounts {
  readonly bodies: number
  readonly relationships: number
  readonly successions: number
  readonly areas: number
  readonly areaCoverage: number
}

/**
 * The quarantine's `plugin` for rows of reference files (the `stream` is the file's name).
 *
 * @category constants
 * @since 0.1.0
 */
export const quarantinePlugin = "reference-data"

interface BodyRow {
  readonly code: string
  readonly odsCode?: string
  readonly gssCode?: string
  readonly name: string
  readonly kind: string
  readonly statutory: boolean
  readonly opened: string
  readonly closed?: string
  readonly source?: string
}

interface RelationshipRow {
  readonly type: string
  readonly from: string
  readonly to: string
  readonly opened: string
  readonly closed?: string
  readonly source?: string
}

const bodies: TableSpec<BodyRow> = {
  table: "bodies",
  key: ["code"],
  columns: [
    column("code", "code", "text"),
    column("odsCode", "ods_code", "text", { optional: true }),
    column("gssCode", "gss_code", "text", { optional: true }),
    column("name", "name", "text"),
    column("kind", "kind", "text"),
    column("statutory", "statutory", "boolean"),
    column("opened", "opened", "date"),
    column("closed", "closed", "date", { optional: true }),
    column("source", "source", "text", { optional: true })
  ]
}

const relationships: TableSpec<RelationshipRow> = {
  table: "relationships",
  key: ["type", "from_code", "to_code", "opened"],
  columns: [
    column("type", "type", "text"),
    column("from", "from_code", "text"),
    column("to", "to_code", "text"),
    column("opened", "opened", "date"),
    column("closed", "closed", "date", { optional: true }),
    column("source", "source", "text", { optional: true })
  ]
}

const successions: TableSpec<Organisation.Succession> = {
  table: "successions",
  key: ["predecessor", "successor", "date"],
  columns: [
    column("predecessor", "predecessor", "text"),
    column("successor", "successor", "text"),
    column("date", "date", "date"),
    column("type", "type", "text"),
    column("source", "source", "text", { optional: true })
  ]
}

const areas: TableSpec<Area> = {
  table: "areas",
  key: ["code"],
  columns: [
    column("code", "code", "text"),
    column("name", "name", "text", { optional: true }),
    column("population", "population", "bigint", { optional: true })
  ]
}

const coverage: TableSpec<Coverage> = {
  table: "coverage",
  key: ["lookup", "area_code", "body_code"],
  columns: [
    column("lookup", "lookup", "text"),
    column("areaCode", "area_code", "text"),
    column("bodyCode", "body_code", "text")
  ]
}

const areaCoverage: TableSpec<AreaCoverage> = {
  table: "area_coverage",
  key: ["area_code", "role", "body_code", "opened"],
  columns: [
    column("areaCode", "area_code", "text"),
    column("role", "role", "text"),
    column("bodyCode", "body_code", "text"),
    column("opened", "opened", "date"),
    column("closed", "closed", "date", { optional: true }),
    column("source", "source", "text", { optional: true })
  ]
}

const periodFields = (period: { readonly opened: string; readonly closed?: string }) => ({
  opened: period.opened,
  ...(period.closed === undefined ? {} : { closed: period.closed })
})

const toBodyRow = (b: Organisation.Body): BodyRow => ({
  code: b.code,
  ...(b.odsCode === undefined ? {} : { odsCode: b.odsCode }),
  ...(b.gssCode === undefined ? {} : { gssCode: b.gssCode }),
  name: b.name,
  kind: b.kind,
  statutory: b.statutory,
  ...periodFields(b.period),
  ...(b.source === undefined ? {} : { source: b.source })
})

const toRelationshipRow = (r: Organisation.Relationship): RelationshipRow => ({
  type: r.type,
  from: r.from,
  to: r.to,
  ...periodFields(r.period),
  ...(r.source === undefined ? {} : { source: r.source })
})

// The rows were written from the domain's validated types, so reading them back restores the brands.
const fromBodyRow = (r: BodyRow): Organisation.Body => ({
  code: r.code,
  ...(r.odsCode === undefined ? {} : { odsCode: r.odsCode }),
  ...(r.gssCode === undefined ? {} : { gssCode: r.gssCode }),
  name: r.name,
  kind: r.kind,
  statutory: r.statutory,
  period: { opened: r.opened, ...(r.closed === undefined ? {} : { closed: r.closed }) },
  ...(r.source === undefined ? {} : { source: r.source })
}) as Organisation.Body

const fromRelationshipRow = (r: RelationshipRow): Organisation.Relationship => ({
  type: r.type,
  from: r.from,
  to: r.to,
  period: { opened: r.opened, ...(r.closed === undefined ? {} : { closed: r.closed }) },
  ...(r.source === undefined ? {} : { source: r.source })
}) as Organisation.Relationship

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const upsertAudited = <Row>(action: string, spec: TableSpec<Row>, rows: ReadonlyArray<Row>) =>
    sql.withTransaction(Effect.gen(function*() {
      const result = yield* BulkUpsert.upsert(sql, spec, rows, { touch: "updated_at" })
      yield* AuditLog.write(sql, {
        action,
        entityType: spec.table,
        entityKey: "*",
        after: { rows: rows.length, written: result.written }
      })
      return result
    }))

  const upsertOrganisations = Effect.fn("ReferenceDataRepo.upsertOrganisations")(function*(
    data: Organisation.OrganisationData
  ) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const b = yield* upsertAudited("reference.upsert-bodies", bodies, data.bodies.map(toBodyRow))
      const r = yield* upsertAudited("reference.upsert-relationships", relationships, data.relationships.map(toRelationshipRow))
      const s = yield* upsertAudited("reference.upsert-successions", successions, data.successions)
      return { written: b.written + r.written + s.written }
    }))
  })

  const organisations = Effect.fn("ReferenceDataRepo.organisations")(function*() {
    const b = yield* sql<Record<string, unknown>>`SELECT * FROM bodies ORDER BY code`
    const r = yield* sql<Record<string, unknown>>`SELECT * FROM relationships ORDER BY type, from_code, to_code, opened`
    const s = yield* sql<Record<string, unknown>>`SELECT * FROM successions ORDER BY date, predecessor, successor`
    const data: Organisation.OrganisationData = {
      bodies: (yield* Effect.fromResult(decodeRows(bodies, b))).map(fromBodyRow),
      relationships: (yield* Effect.fromResult(decodeRows(relationships, r))).map(fromRelationshipRow),
      successions: (yield* Effect.fromResult(decodeRows(successions, s))) as ReadonlyArray<Organisation.Succession>
    }
    return data
  })

  const upsertAreas = Effect.fn("ReferenceDataRepo.upsertAreas")(function*(rows: ReadonlyArray<Area>) {
    return yield* upsertAudited("reference.upsert-areas", areas, rows)
  })

  const areaList = Effect.fn("ReferenceDataRepo.areas")(function*() {
    return yield* Effect.fromResult(decodeRows(areas, yield* sql<Record<string, unknown>>`SELECT * FROM areas ORDER BY code`))
  })

  const replaceCoverage = Effect.fn("ReferenceDataRepo.replaceCoverage")(function*(
    lookup: string,
    rows: ReadonlyArray<Omit<Coverage, "lookup">>
  ) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const removed = yield* sql<{ readonly n: number }>`DELETE FROM coverage WHERE lookup = ${lookup} RETURNING 1 AS n`
      const result = yield* BulkUpsert.upsert(sql, coverage, rows.map((r) => ({ lookup, areaCode: r.areaCode, bodyCode: r.bodyCode })))
      yield* AuditLog.write(sql, {
        action: "reference.replace-coverage",
        entityType: "coverage",
        entityKey: lookup,
        before: { rows: removed.length },
        after: { rows: result.written }
      })
      return result
    }))
  })

  const coverageOf = Effect.fn("ReferenceDataRepo.coverage")(function*(lookup: string, bodyCode?: string) {
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM coverage WHERE ${sql.and([
      sql`lookup = ${lookup}`,
      ...(bodyCode === undefined ? [] : [sql`body_code = ${bodyCode}`])
    ])} ORDER BY area_code, body_code`
    return yield* Effect.fromResult(decodeRows(coverage, rows))
  })

  const importGeography = Effect.fn("ReferenceDataRepo.importGeography")(function*(input: {
    readonly file: string
    readonly areas: ReadonlyArray<Area>
    readonly coverage: ReadonlyArray<AreaCoverage>
    readonly rejected: ReadonlyArray<RejectedRow>
    readonly organisations?: Organisation.OrganisationData
  }) {
    return yield* sql.withTransaction(Effect.gen(function*() {
      const o = input.organisations === undefined ? { written: 0 } : yield* upsertOrganisations(input.organisations)
      const a = yield* BulkUpsert.upsert(sql, areas, input.areas, { touch: "updated_at" })
      const c = yield* BulkUpsert.upsert(sql, areaCoverage, input.coverage, { touch: "updated_at" })
      const q = yield* BulkUpsert.upsert(sql, QuarantinedRows.table, input.rejected.map((r): QuarantinedRows.QuarantineInsert => ({
        plugin: quarantinePlugin,
        stream: input.file,
        line: r.line,
        raw: r.raw,
        rawDigest: QuarantinedRows.rawDigest(r.raw),
        reasons: r.problems
      })), { touch: "last_seen_at" })
      if (a.written + c.written + q.written > 0) {
        yield* AuditLog.write(sql, {
          action: "reference.import-geography",
          entityType: "area_coverage",
          entityKey: input.file,
          after: { areas: a, coverage: c, quarantined: q.rows }
        })
      }
      const result: GeographyWrite = { organisations: o, areas: a, coverage: c, quarantined: q.rows }
      return result
    }))
  })

  const areaCoverageOf = Effect.fn("ReferenceDataRepo.areaCoverage")(function*(filter: {
    readonly bodyCode?: string
    readonly areaCode?: string
    readonly role?: "health" | "council"
    /** Only coverage in force on this date (YYYY-MM-DD). */
    readonly asOf?: string
  } = {}) {
    const rows = yield* sql<Record<string, unknown>>`SELECT * FROM area_coverage WHERE ${sql.and([
      ...(filter.bodyCode === undefined ? [] : [sql`body_code = ${filter.bodyCode}`]),
      ...(filter.areaCode === undefined ? [] : [sql`area_code = ${filter.areaCode}`]),
      ...(filter.role === undefined ? [] : [sql`role = ${filter.role}`]),
      ...(filter.asOf === undefined
        ? []
        : [sql`opened <= ${filter.asOf}::date`, sql`(closed IS NULL OR closed > ${filter.asOf}::date)`])
    ])} ORDER BY area_code, role, opened, body_code`
    return yield* Effect.fromResult(decodeRows(areaCoverage, rows))
  })

  const counts = Effect.fn("ReferenceDataRepo.counts")(function*() {
    const [row] = yield* sql<Record<string, unknown>>`SELECT
      (SELECT count(*) FROM bodies) AS bodies,
      (SELECT count(*) FROM relationships) AS relationships,
      (SELECT count(*) FROM successions) AS successions,
      (SELECT count(*) FROM areas) AS areas,
      (SELECT count(*) FROM area_coverage) AS area_coverage`
    const n = (v: unknown) => Number(v ?? 0)
    const result: ReferenceCounts = {
      bodies: n(row?.bodies),
      relationships: n(row?.relationships),
      successions: n(row?.successions),
      areas: n(row?.areas),
      areaCoverage: n(row?.area_coverage)
    }
    return result
  })

  return {
    upsertOrganisations,
    organisations,
    upsertAreas,
    areas: areaList,
    replaceCoverage,
    coverage: coverageOf,
    importGeography,
    areaCoverage: areaCoverageOf,
    counts
  }
})

/**
 * Stores and reads reference data.
 *
 * @category services
 * @since 0.1.0
 */
export class ReferenceDataRepo extends Context.Service<ReferenceDataRepo, {
  /** Upserts bodies, relationships and successions by natural key, in one transaction. */
  readonly upsertOrganisations: (data: Organisation.OrganisationData) => Effect.Effect<{ readonly written: number }, SqlError>
  /** Everything a registry is built from, as stored. */
  readonly organisations: () => Effect.Effect<Organisation.OrganisationData, SqlError | StoredValueError>
  readonly upsertAreas: (areas: ReadonlyArray<Area>) => Effect.Effect<{ readonly written: number }, SqlError>
  readonly areas: () => Effect.Effect<ReadonlyArray<Area>, SqlError | StoredValueError>
  /** Replaces one lookup's coverage wholesale (a lookup file is a complete picture for its year). */
  readonly replaceCoverage: (
    lookup: string,
    rows: ReadonlyArray<Omit<Coverage, "lookup">>
  ) => Effect.Effect<{ readonly written: number }, SqlError>
  /** One lookup's coverage, optionally for one body. */
  readonly coverage: (lookup: string, bodyCode?: string) => Effect.Effect<ReadonlyArray<Coverage>, SqlError | StoredValueError>
  /**
   * Imports a geography in one transaction: areas and coverage over time upserted by natural key (importing the
   * same file again writes nothing), the file's bad rows quarantined under `reference-data` / the file, and,
   * when given, the organisations (bodies, relationships, successions) in the same transaction.
   */
  readonly importGeography: (input: {
    readonly file: string
    readonly areas: ReadonlyArray<Area>
    readonly coverage: ReadonlyArray<AreaCoverage>
    readonly rejected: ReadonlyArray<RejectedRow>
    readonly organisations?: Organisation.OrganisationData
  }) => Effect.Effect<GeographyWrite, SqlError>
  /** Coverage over time, optionally of one body or area, one role, or in force on one date. */
  readonly areaCoverage: (filter?: {
    readonly bodyCode?: string
    readonly areaCode?: string
    readonly role?: "health" | "council"
    readonly asOf?: string
  }) => Effect.Effect<ReadonlyArray<AreaCoverage>, SqlError | StoredValueError>
  /** Rows held per reference table. */
  readonly counts: () => Effect.Effect<ReferenceCounts, SqlError>
}>()("@hub/store/ReferenceDataRepo") {
  /** Needs a migrated `SqlClient`. */
  static readonly layer = Layer.effect(ReferenceDataRepo, make)
}
