/**
 * Importer for the ONS lookups that assign each small area (LSOA) to a health body and a council, for any
 * year's release: columns are found by pattern (`LSOA11CD`, `CCG15CD`/`CCG15CDH`/`CCG15NM`, `SICBL22CD`,
 * `LAD20CD`...), in any order, with extra columns (FID, ObjectId) ignored.
 *
 * @since 0.1.0
 */
import { Codes, type Coterminosity } from "@hub/domain"
import { Effect, Result, Schema } from "effect"
import * as CsvFile from "./CsvFile.ts"
import { LayoutError, RowError, type ImportError } from "./ImportError.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * The prefixes of health-body columns, in the order one is chosen when a file has several (the finest level
 * first: a 2022 lookup has both `SICBL22CD` and `ICB22CD`, and coterminosity is asked of the sub-ICB level).
 *
 * @category constants
 * @since 0.1.0
 */
export const healthPrefixes = ["CCG", "SICBL", "PCT", "PCO", "LHB", "ICB"] as const

/**
 * @category models
 * @since 0.1.0
 */
export type HealthPrefix = (typeof healthPrefixes)[number]

/**
 * The prefixes of council columns, in order of preference (lower-tier districts first: the level ONS's
 * CCG lookups use).
 *
 * @category constants
 * @since 0.1.0
 */
export const councilPrefixes = ["LAD", "LTLA", "UTLA", "CTYUA"] as const

/**
 * @category models
 * @since 0.1.0
 */
export type CouncilPrefix = (typeof councilPrefixes)[number]

/**
 * A column found in the header: its 0-based position and its name as written.
 *
 * @category models
 * @since 0.1.0
 */
export interface Column {
  readonly index: number
  readonly name: string
}

/**
 * Where each value is in a lookup file. `healthOds` is the ODS code column (`...CDH`, or `...CDO` in older
 * files); names are optional.
 *
 * @category models
 * @since 0.1.0
 */
export interface Layout {
  readonly width: number
  readonly area: Column
  readonly health: Column
  readonly healthOds?: Column
  readonly healthName?: Column
  readonly council: Column
  readonly councilName?: Column
}

/**
 * A health body as the lookup names it.
 *
 * @category models
 * @since 0.1.0
 */
export interface HealthBody {
  readonly gssCode: Codes.GssCode
  readonly odsCode?: Codes.OdsCode
  readonly name?: string
}

/**
 * A council as the lookup names it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Council {
  readonly gssCode: Codes.GssCode
  readonly name?: string
}

/**
 * One area's assignment: the LSOA, the health body's GSS code and the council's GSS code.
 *
 * @category models
 * @since 0.1.0
 */
export interface Row {
  readonly area: Codes.LsoaCode
  readonly health: Codes.GssCode
  readonly council: Codes.GssCode
}

/**
 * An imported lookup: its rows in file order, and the health bodies and councils it names, by GSS code.
 *
 * @category models
 * @since 0.1.0
 */
export interface OnsLookup {
  readonly file: string
  readonly layout: Layout
  readonly rows: ReadonlyArray<Row>
  readonly healthBodies: ReadonlyMap<string, HealthBody>
  readonly councils: ReadonlyMap<string, Council>
}

/**
 * Which level to read when a file has more than one (default: the first present in `healthPrefixes` /
 * `councilPrefixes` order).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly health?: HealthPrefix
  readonly council?: CouncilPrefix
}

// ---------------------------------------------------------------------------------------------------------
// layout
// ---------------------------------------------------------------------------------------------------------

const expectedColumns: ReadonlyArray<string> = [
  "LSOA<yy>CD",
  `(${healthPrefixes.join("|")})<yy>CD`,
  `(${councilPrefixes.join("|")})<yy>CD`,
  "optional: LSOA<yy>NM, <health>CDH (ODS code), <health>NM, <council>NM"
]

const isLsoa = Schema.is(Codes.LsoaCode)
const isGss = Schema.is(Codes.GssCode)
const isOds = Schema.is(Codes.OdsCode)

const normalise = (name: string): string => name.trim().toUpperCase()

/** The columns `<prefix><yy><suffix>` of a header, with the year part that matched. */
const findAll = (header: ReadonlyArray<string>, prefix: string, suffix: string): Array<Column & { readonly year: string }> => {
  const pattern = new RegExp(`^${prefix}(\\d{2})${suffix}$`, "u")
  const found: Array<Column & { readonly year: string }> = []
  header.forEach((raw, index) => {
    const m = pattern.exec(normalise(raw))
    if (m !== null) found.push({ index, name: raw.trim(), year: m[1] as string })
  })
  return found
}

const findOne = (header: ReadonlyArray<string>, name: string): Column | undefined => {
  const index = header.findIndex((raw) => normalise(raw) === name)
  return index < 0 ? undefined : { index, name: (header[index] as string).trim() }
}

/**
 * Finds the columns of a lookup in its header row, or explains which columns are missing or ambiguous.
 *
 * @category layout
 * @since 0.1.0
 */
export const detectLayout = (
  file: string,
  header: ReadonlyArray<string>,
  line: number,
  options: Options = {}
): Result.Result<Layout, LayoutError> => {
  const fail = (reason: string) =>
    Result.fail(new LayoutError({ file, line, expected: expectedColumns, found: [...header], reason }))
  const areas = findAll(header, "LSOA", "CD")
  if (areas.length === 0) return fail("no LSOA code column")
  if (areas.length > 1) return fail(`more than one LSOA code column (${areas.map((c) => c.name).join(", ")})`)
  const area: Column = { index: (areas[0] as Column).index, name: (areas[0] as Column).name }

  const pick = <P extends string>(kind: string, prefixes: ReadonlyArray<P>, wanted: P | undefined) => {
    for (const prefix of wanted === undefined ? prefixes : [wanted]) {
      const found = findAll(header, prefix, "CD")
      if (found.length > 1) {
        return { error: `more than one ${kind} code column (${found.map((c) => c.name).join(", ")})` }
      }
      const column = found[0]
      if (column !== undefined) return { prefix, column }
    }
    return { error: `no ${kind} code column${wanted === undefined ? "" : ` ${wanted}<yy>CD`}` }
  }
  const health = pick("health body", healthPrefixes, options.health)
  if ("error" in health) return fail(health.error)
  const council = pick("council", councilPrefixes, options.council)
  if ("error" in council) return fail(council.error)

  const healthStem = `${health.prefix}${health.column.year}`
  const councilStem = `${council.prefix}${council.column.year}`
  const healthOds = findOne(header, `${healthStem}CDH`) ?? findOne(header, `${healthStem}CDO`)
  const healthName = findOne(header, `${healthStem}NM`)
  const councilName = findOne(header, `${councilStem}NM`)
  return Result.succeed({
    width: header.length,
    area,
    health: { index: health.column.index, name: health.column.name },
    ...(healthOds === undefined ? {} : { healthOds }),
    ...(healthName === undefined ? {} : { healthName }),
    council: { index: council.column.index, name: council.column.name },
    ...(councilName === undefined ? {} : { councilName })
  })
}

// ---------------------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------------------

interface State {
  layout?: Layout
  readonly rows: Array<Row>
  readonly healthBodies: Map<string, HealthBody & { readonly line: number }>
  readonly councils: Map<string, Council>
  readonly seen: Map<string, number>
}

const readRows = (file: string, state: State, layout: Layout, batch: ReadonlyArray<CsvFile.CsvRecord>): RowError | undefined => {
  const bad = (line: number, column: Column | undefined, reason: string) =>
    new RowError({
      file,
      line,
      ...(column === undefined ? {} : { column: column.index + 1, field: column.name }),
      reason
    })
  for (const { fields, line } of batch) {
    if (fields.length !== layout.width) {
      return bad(line, undefined, `expected ${layout.width} fields as in the header, found ${fields.length}`)
    }
    const value = (column: Column): string => (fields[column.index] as string).trim()
    const area = value(layout.area)
    if (!isLsoa(area)) return bad(line, layout.area, `${JSON.stringify(area)} is not an LSOA code (E01 or W01 and 6 digits)`)
    const health = value(layout.health)
    if (!isGss(health)) return bad(line, layout.health, `${JSON.stringify(health)} is not a GSS code (a letter and 8 digits)`)
    const council = value(layout.council)
    if (!isGss(council)) return bad(line, layout.council, `${JSON.stringify(council)} is not a GSS code (a letter and 8 digits)`)
    const earlier = state.seen.get(area)
    if (earlier !== undefined) return bad(line, layout.area, `LSOA ${area} is already assigned on line ${earlier}`)
    state.seen.set(area, line)

    const ods = layout.healthOds === undefined ? "" : value(layout.healthOds)
    if (ods !== "" && !isOds(ods)) return bad(line, layout.healthOds, `${JSON.stringify(ods)} is not an ODS code`)
    const known = state.healthBodies.get(health)
    if (known === undefined) {
      const name = layout.healthName === undefined ? "" : value(layout.healthName)
      state.healthBodies.set(health, {
        gssCode: health,
        ...(ods === "" ? {} : { odsCode: ods }),
        ...(name === "" ? {} : { name }),
        line
      })
    } else if ((known.odsCode ?? "") !== ods) {
      return bad(
        line,
        layout.healthOds,
        `${health} has ODS code ${JSON.stringify(ods)} here but ${JSON.stringify(known.odsCode ?? "")} on line ${known.line}`
      )
    }
    if (!state.councils.has(council)) {
      const name = layout.councilName === undefined ? "" : value(layout.councilName)
      state.councils.set(council, { gssCode: council, ...(name === "" ? {} : { name }) })
    }
    state.rows.push({ area, health, council })
  }
  return undefined
}

/**
 * Imports a lookup file, streaming it row by row. The first bad row stops the import with a `RowError` naming
 * the file, line and column (a wrong number of fields, an unterminated quote, a value that is not an LSOA/GSS/ODS
 * code, an LSOA listed twice, a health body given two ODS codes): reference data is used whole or not at all.
 * An unknown header fails with a `LayoutError` listing the columns looked for and the header found.
 *
 * @category import
 * @since 0.1.0
 */
export const load = (file: string, options: Options = {}): Effect.Effect<OnsLookup, ImportError> =>
  CsvFile.fold<State, ImportError>(
    file,
    () => ({ rows: [], healthBodies: new Map(), councils: new Map(), seen: new Map() }),
    (state, batch) => {
      let records = batch
      if (state.layout === undefined) {
        const first = batch[0] as CsvFile.CsvRecord
        const layout = detectLayout(file, first.fields, first.line, options)
        if (Result.isFailure(layout)) return Result.fail(layout.failure)
        state.layout = layout.success
        records = batch.slice(1)
      }
      const error = readRows(file, state, state.layout, records)
      return error === undefined ? Result.succeed(state) : Result.fail(error)
    }
  ).pipe(
    Effect.flatMap((state) =>
      state.layout === undefined
        ? Effect.fail(new LayoutError({ file, line: 1, expected: expectedColumns, found: [], reason: "the file is empty" }))
        : Effect.succeed<OnsLookup>({
          file,
          layout: state.layout,
          rows: state.rows,
          healthBodies: new Map([...state.healthBodies].map(([code, { line: _line, ...body }]) => [code, body])),
          councils: state.councils
        })
    )
  )

// ---------------------------------------------------------------------------------------------------------
// conversions
// ---------------------------------------------------------------------------------------------------------

/**
 * The lookup's rows as coterminosity assignments keyed by the bodies' GSS codes, each area weighing
 * `weightOf(area)` (default 1 per LSOA).
 *
 * @category conversions
 * @since 0.1.0
 */
export const assignments = (
  lookup: OnsLookup,
  weightOf: (area: Codes.LsoaCode) => number = () => 1
): Array<Coterminosity.Assignment> =>
  lookup.rows.map((row) => ({ area: row.area, weight: weightOf(row.area), health: row.health, council: row.council }))
