/**
 * Loads reference data into the store: the organisation registry (bodies, relationships, successions) and the
 * geography (the small areas and which health body and council cover each over time), from the bundled
 * London 2006-2021 + Southampton dataset or a geography file in the bundled format. Everything lands in one
 * transaction, bulk and by natural key, so importing the same files again writes nothing; a row of a geography
 * file that is not valid is quarantined (file, record, field, reason) and the good rows are imported. An ONS LSOA
 * lookup CSV (any year's layout) lands in the per-lookup tables `areas` and `coverage` (`importLookup`).
 *
 * @since 0.1.0
 */
import { Codes, Geography, type Organisation, Period } from "@hub/domain"
import { Bundled, type ImportError, OnsLookup, ReferenceFiles } from "@hub/reference-data"
import { ReferenceDataRepo } from "@hub/store"
import { Effect, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { readFileSync } from "node:fs"
import { basename } from "node:path"
import { ReferenceImportFailed, type StoreFailure, storeFailure } from "./HubError.ts"

/**
 * What loading did: how many bodies, relationships and successions the bundled data holds, how many rows were
 * written, and whether the store already held them (then nothing is written). `geography` is what loading the
 * geography did, absent when it was already held.
 *
 * @category models
 * @since 0.1.0
 */
export interface LoadOutcome {
  readonly alreadyLoaded: boolean
  readonly bodies: number
  readonly relationships: number
  readonly successions: number
  readonly written: number
  readonly geography?: GeographyOutcome
}

/**
 * What importing a geography file did: the file's areas and coverage rows (one per area a body covers in a
 * period), the rows imported, the rows rejected with their reasons (also quarantined), and the rows written.
 *
 * @category models
 * @since 0.1.0
 */
export interface GeographyOutcome {
  readonly file: string
  readonly sourceAreas: number
  readonly sourceCoverage: number
  readonly areas: number
  readonly coverage: number
  readonly rejected: ReadonlyArray<ReferenceDataRepo.RejectedRow>
  readonly written: number
}

/**
 * A geography checked row by row: what to import and what to reject.
 *
 * @category models
 * @since 0.1.0
 */
export interface CheckedGeography {
  readonly file: string
  readonly sourceAreas: number
  readonly sourceCoverage: number
  readonly areas: ReadonlyArray<ReferenceDataRepo.Area>
  readonly coverage: ReadonlyArray<ReferenceDataRepo.AreaCoverage>
  readonly rejected: ReadonlyArray<ReferenceDataRepo.RejectedRow>
}

const decodeGroupHead = Schema.decodeUnknownResult(
  Schema.Struct({ body: Codes.BodyCode, role: Schema.Literals(["health", "council"]), period: Period.Period })
)

const raw = (value: unknown): string => {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text
}

const issues = (error: { readonly message: string }): string => error.message.replace(/\s+/gu, " ").trim()

/**
 * Checks a geography file's JSON (the bundled format, `Bundled.GeographyFile`) row by row in plain code. A row
 * is an area of `areas` or an area of a coverage group; its `line` is its record number in the file (areas
 * first, then the coverage rows in order) and the field its JSON path. An invalid area code, a group whose
 * body, role or period is invalid (all its rows), coverage of an area the file does not list, and a row listed
 * twice are rejected. Fails only when the file is not a geography at all, or when its good rows break a
 * geography rule (overlapping coverage, a body in both roles), which no single row explains.
 *
 * @category validation
 * @since 0.1.0
 */
export const checkGeography = (file: string, json: unknown): Result.Result<CheckedGeography, string> => {
  if (typeof json !== "object" || json === null || !Array.isArray((json as { areas?: unknown }).areas) || !Array.isArray((json as { coverage?: unknown }).coverage)) {
    return Result.fail("not a geography file: expected an object with arrays \"areas\" and \"coverage\"")
  }
  const { areas: areaValues, coverage: groups } = json as { readonly areas: ReadonlyArray<unknown>; readonly coverage: ReadonlyArray<unknown> }
  const rejected: Array<ReferenceDataRepo.RejectedRow> = []
  const reject = (line: number, value: unknown, field: string, reason: string): void => {
    rejected.push({ file, line, raw: raw(value), problems: [{ field, reason }] })
  }
  const areas: Array<ReferenceDataRepo.Area> = []
  const known = new Set<string>()
  areaValues.forEach((value, i) => {
    const field = `areas[${i}]`
    if (typeof value !== "string" || !Codes.isLsoaCode(value)) return reject(i + 1, value, field, "not an LSOA code (E01 or W01 and 6 digits)")
    if (known.has(value)) return reject(i + 1, value, field, `${value} is listed twice`)
    known.add(value)
    areas.push({ code: value })
  })
  let line = areaValues.length
  let sourceCoverage = 0
  const coverage: Array<ReferenceDataRepo.AreaCoverage> = []
  const seen = new Set<string>()
  const source = basename(file)
  groups.forEach((group, g) => {
    const members: ReadonlyArray<unknown> = typeof group === "object" && group !== null && Array.isArray((group as { areas?: unknown }).areas)
      ? (group as { readonly areas: ReadonlyArray<unknown> }).areas
      : [undefined]
    sourceCoverage += members.length
    const head = decodeGroupHead(group, { errors: "all" })
    if (Result.isFailure(head)) {
      members.forEach((area, j) => reject(line + j + 1, { ...(group as object), areas: [area] }, `coverage[${g}]`, issues(head.failure)))
      line += members.length
      return
    }
    const { body, role, period } = head.success
    members.forEach((area, j) => {
      line += 1
      const field = `coverage[${g}].areas[${j}]`
      const row = { body, role, period, area }
      if (typeof area !== "string" || !Codes.isLsoaCode(area)) return reject(line, row, field, "not an LSOA code (E01 or W01 and 6 digits)")
      if (!known.has(area)) return reject(line, row, field, `${area} is not one of the file's areas`)
      const key = JSON.stringify([area, role, body, period.opened])
      if (seen.has(key)) return reject(line, row, field, `${body} covers ${area} as ${role} from ${period.opened} more than once`)
      seen.add(key)
      coverage.push({
        areaCode: area,
        role,
        bodyCode: body,
        opened: period.opened,
        ...(period.closed === undefined ? {} : { closed: period.closed }),
        source
      })
    })
  })
  const geography = Geography.make(
    areas.map((a) => ({ code: a.code })),
    coverage.map((c) => ({ area: c.areaCode, body: c.bodyCode, role: c.role, period: { opened: c.opened, ...(c.closed === undefined ? {} : { closed: c.closed }) } as Period.Period }))
  )
  if (Result.isFailure(geography)) {
    const violations = geography.failure.violations
    return Result.fail(
      `its coverage breaks ${violations.length} geography rule(s), e.g. ${violations.slice(0, 3).map((v) => `${v.rule}: ${v.message}`).join("; ")}`
    )
  }
  return Result.succeed({ file, sourceAreas: areaValues.length, sourceCoverage, areas, coverage, rejected })
}

const readJson = (file: string) =>
  Effect.try({
    try: (): unknown => JSON.parse(readFileSync(file, "utf8")),
    catch: (e) => new ReferenceImportFailed({ file, reason: e instanceof Error ? e.message : String(e) })
  })

/**
 * Imports a geography file (the bundled format) into the store in one transaction, with `organisations` too
 * when given (see the module comment).
 *
 * @category use cases
 * @since 0.1.0
 */
export const importGeography = (
  file: string,
  options: { readonly organisations?: Organisation.OrganisationData } = {}
): Effect.Effect<GeographyOutcome & { readonly organisationsWritten: number }, ReferenceImportFailed | StoreFailure, ReferenceDataRepo.ReferenceDataRepo> =>
  Effect.gen(function*() {
    const repo = yield* ReferenceDataRepo.ReferenceDataRepo
    const checked = checkGeography(file, yield* readJson(file))
    if (Result.isFailure(checked)) return yield* new ReferenceImportFailed({ file, reason: checked.failure })
    const { areas, coverage, rejected } = checked.success
    const written = yield* repo.importGeography({
      file: basename(file),
      areas,
      coverage,
      rejected,
      ...(options.organisations === undefined ? {} : { organisations: options.organisations })
    }).pipe(Effect.mapError(storeFailure("importing the geography")))
    if (rejected.length > 0) {
      yield* Effect.logWarning(`${file}: ${rejected.length} row(s) rejected and quarantined`).pipe(
        Effect.annotateLogs({ first: rejected.slice(0, 5).map((r) => `record ${r.line} ${r.problems.map((p) => `${p.field}: ${p.reason}`).join(", ")}`).join(" | ") })
      )
    }
    return {
      file,
      sourceAreas: checked.success.sourceAreas,
      sourceCoverage: checked.success.sourceCoverage,
      areas: areas.length,
      coverage: coverage.length,
      rejected,
      written: written.areas.written + written.coverage.written,
      organisationsWritten: written.organisations.written
    }
  })

/**
 * Loads `data` into the store unless the store already holds bodies (`force` loads anyway: the upsert by
 * natural key makes that harmless).
 *
 * @category use cases
 * @since 0.1.0
 */
export const load = (
  data: Organisation.OrganisationData,
  options: { readonly force?: boolean } = {}
): Effect.Effect<LoadOutcome, StoreFailure, ReferenceDataRepo.ReferenceDataRepo> =>
  Effect.gen(function*() {
    const repo = yield* ReferenceDataRepo.ReferenceDataRepo
    const stored = yield* repo.counts().pipe(Effect.mapError(storeFailure("reading the registry")))
    const counts = { bodies: data.bodies.length, relationships: data.relationships.length, successions: data.successions.length }
    if (stored.bodies > 0 && options.force !== true) return { alreadyLoaded: true, ...counts, written: 0 }
    const { written } = yield* repo.upsertOrganisations(data).pipe(Effect.mapError(storeFailure("loading the registry")))
    return { alreadyLoaded: false, ...counts, written }
  })

/**
 * Loads the bundled registry and geography in one transaction, unless the store already holds both (`force`
 * loads anyway; a store holding the registry but no geography gets the geography).
 *
 * @category use cases
 * @since 0.1.0
 */
export const loadBundled = (
  options: { readonly force?: boolean } = {}
): Effect.Effect<LoadOutcome, ReferenceImportFailed | StoreFailure, ReferenceDataRepo.ReferenceDataRepo> =>
  Effect.gen(function*() {
    const repo = yield* ReferenceDataRepo.ReferenceDataRepo
    const data = Bundled.organisations()
    const counts = { bodies: data.bodies.length, relationships: data.relationships.length, successions: data.successions.length }
    const stored = yield* repo.counts().pipe(Effect.mapError(storeFailure("reading the registry")))
    if (stored.bodies > 0 && stored.areaCoverage > 0 && options.force !== true) return { alreadyLoaded: true, ...counts, written: 0 }
    const { organisationsWritten, ...geography } = yield* importGeography(ReferenceFiles.bundledGeography, { organisations: data })
    return { alreadyLoaded: false, ...counts, written: organisationsWritten, geography }
  })

/**
 * What importing an ONS lookup did: the lookup's name, the file's rows (one per LSOA), its distinct areas,
 * the coverage rows the lookup now holds (each LSOA's health body and its council), and the rows written
 * (`written`: areas new to the store, plus the coverage rows replaced wholesale, so a rerun writes the coverage
 * again and no area).
 *
 * @category models
 * @since 0.1.0
 */
export interface LookupOutcome {
  readonly file: string
  readonly lookup: string
  readonly rows: number
  readonly areas: number
  readonly coverage: number
  readonly written: number
}

/**
 * The name a lookup file is stored under by default: its base name without `.csv`
 * (`data/ons/lsoa11-ccg15-lad15.csv` is `lsoa11-ccg15-lad15`).
 *
 * @category naming
 * @since 0.1.0
 */
export const lookupName = (file: string): string => basename(file).replace(/\.csv$/iu, "")

/**
 * The coverage rows of a parsed lookup: for each LSOA its health body (the ODS code when the file gives one,
 * else the GSS code) and its council (GSS code), without duplicates.
 *
 * @category conversions
 * @since 0.1.0
 */
export const lookupCoverage = (lookup: OnsLookup.OnsLookup): Array<Omit<ReferenceDataRepo.Coverage, "lookup">> => {
  const rows: Array<Omit<ReferenceDataRepo.Coverage, "lookup">> = []
  const seen = new Set<string>()
  const add = (areaCode: string, bodyCode: string): void => {
    const key = `${areaCode} ${bodyCode}`
    if (seen.has(key)) return
    seen.add(key)
    rows.push({ areaCode, bodyCode })
  }
  for (const row of lookup.rows) {
    add(row.area, lookup.healthBodies.get(row.health)?.odsCode ?? row.health)
    add(row.area, row.council)
  }
  return rows
}

/**
 * Imports an ONS LSOA lookup CSV (any year's layout, `OnsLookup.load`) into the store in one transaction: its
 * LSOAs upserted into `areas` by code, and the lookup's coverage (`lookup`, default the file's base name without
 * `.csv`) replaced wholesale, so importing the same file again leaves the same rows. Areas the store lacks are
 * added by code only (`OnsLookup` does not return LSOA names); an area already stored is left untouched.
 *
 * Whole or nothing, by the foundation issue's design: reference data is used complete or not at all, so the
 * first bad row fails the import with the importer's own error (`RowError`: file, line and column;
 * `LayoutError` for an unknown header; `ReferenceFileError` for an unreadable file) and nothing is written. No
 * row is quarantined, unlike `importGeography`.
 *
 * @category use cases
 * @since 0.1.0
 */
export const importLookup = (
  file: string,
  options: { readonly lookup?: string } = {}
): Effect.Effect<LookupOutcome, ImportError.ImportError | StoreFailure, ReferenceDataRepo.ReferenceDataRepo | SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const lookup = options.lookup ?? lookupName(file)
    const parsed = yield* OnsLookup.load(file)
    const areas = [...new Set(parsed.rows.map((r) => r.area))].map((code) => ({ code }))
    const coverage = lookupCoverage(parsed)
    const repo = yield* ReferenceDataRepo.ReferenceDataRepo
    const sql = yield* SqlClient.SqlClient
    const written = yield* sql.withTransaction(Effect.gen(function*() {
      // An upsert writes every column, so an area already stored (perhaps with a name or population from
      // another source) is left as it is: only areas the store lacks are added.
      const stored = new Set((yield* repo.areas()).map((a) => a.code))
      const a = yield* repo.upsertAreas(areas.filter((area) => !stored.has(area.code)))
      const c = yield* repo.replaceCoverage(lookup, coverage)
      return a.written + c.written
    })).pipe(Effect.mapError(storeFailure(`importing the lookup ${lookup}`)))
    return { file, lookup, rows: parsed.rows.length, areas: areas.length, coverage: coverage.length, written }
  })
