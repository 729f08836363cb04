/**
 * Importer for the ONS list of primary care organisations (PCTs, GSS E16, and care trusts, E17) with their ODS
 * codes: columns `PCO<yy>CD` (GSS), `PCO<yy>CDO` (ODS) and `PCO<yy>NM`, found by pattern (`PCT<yy>...` too).
 *
 * The April 2011 release as published ends its header with an empty column and leaves names that contain a comma
 * unquoted (`E16000032,5HG,Ashton, Leigh and Wigan`). When the name is the last named column, the fields after
 * it that have no header are read as the rest of the name; anywhere else a row of the wrong width is an error.
 *
 * @since 0.1.0
 */
import { Codes } from "@hub/domain"
import { Effect, Result, Schema } from "effect"
import * as CsvFile from "./CsvFile.ts"
import { LayoutError, RowError, type ImportError } from "./ImportError.ts"

/**
 * One primary care organisation.
 *
 * @category models
 * @since 0.1.0
 */
export interface PrimaryCareOrganisation {
  readonly gssCode: Codes.GssCode
  readonly odsCode: Codes.OdsCode
  readonly name: string
  readonly line: number
}

const expectedColumns: ReadonlyArray<string> = ["PCO<yy>CD (or PCT<yy>CD)", "PCO<yy>CDO (or CDH)", "PCO<yy>NM"]
const isGss = Schema.is(Codes.GssCode)
const isOds = Schema.is(Codes.OdsCode)

interface Layout {
  readonly gss: number
  readonly ods: number
  readonly name: number
  /** Header cells, trimmed. */
  readonly header: ReadonlyArray<string>
  /** Position after the last named column: fields from here on carry no data. */
  readonly named: number
}

const detect = (file: string, record: CsvFile.CsvRecord): Result.Result<Layout, LayoutError> => {
  const header = record.fields.map((f) => f.trim())
  const find = (suffix: string): number =>
    header.findIndex((h) => new RegExp(`^(?:PCO|PCT)\\d{2}${suffix}$`, "u").test(h.toUpperCase()))
  const layout = { gss: find("CD"), ods: find("CDO") < 0 ? find("CDH") : find("CDO"), name: find("NM") }
  if (layout.gss < 0 || layout.ods < 0 || layout.name < 0) {
    const missing = [layout.gss < 0 ? "GSS code" : "", layout.ods < 0 ? "ODS code" : "", layout.name < 0 ? "name" : ""]
      .filter((m) => m !== "")
      .join(", ")
    return Result.fail(new LayoutError({ file, line: record.line, expected: expectedColumns, found: header, reason: `no ${missing} column` }))
  }
  const named = header.reduce((last, h, i) => (h === "" ? last : i + 1), 0)
  return Result.succeed({ ...layout, header, named })
}

const readRow = (file: string, layout: Layout, { fields, line }: CsvFile.CsvRecord): Result.Result<PrimaryCareOrganisation, RowError> => {
  const bad = (index: number | undefined, reason: string) =>
    Result.fail(
      new RowError({
        file,
        line,
        ...(index === undefined ? {} : { column: index + 1, field: layout.header[index] as string }),
        reason
      })
    )
  if (fields.length < layout.named) return bad(undefined, `expected at least ${layout.named} fields, found ${fields.length}`)
  const extra = fields.slice(layout.named)
  const nameIsLast = layout.name === layout.named - 1
  if (!nameIsLast && extra.some((f) => f.trim() !== "")) {
    return bad(undefined, `expected ${layout.named} fields, found ${fields.length} with values after the last column`)
  }
  const code = (fields[layout.gss] as string).trim()
  if (!isGss(code)) return bad(layout.gss, `${JSON.stringify(code)} is not a GSS code`)
  const odsCode = (fields[layout.ods] as string).trim()
  if (!isOds(odsCode)) return bad(layout.ods, `${JSON.stringify(odsCode)} is not an ODS code`)
  const parts = nameIsLast ? [fields[layout.name] as string, ...extra] : [fields[layout.name] as string]
  const name = parts.join(",").trim().replace(/,+$/u, "").trim()
  if (name === "") return bad(layout.name, "the name is empty")
  return Result.succeed({ gssCode: code, odsCode, name, line })
}

/**
 * Imports the list. A header without the three columns fails with a `LayoutError`; the first bad row stops the
 * import with a `RowError` naming file, line and column (bad GSS or ODS code, empty name, short row, a code
 * listed twice).
 *
 * @category import
 * @since 0.1.0
 */
export const load = (file: string): Effect.Effect<ReadonlyArray<PrimaryCareOrganisation>, ImportError> =>
  CsvFile.fold<{ layout?: Layout; readonly rows: Array<PrimaryCareOrganisation>; readonly seen: Map<string, number> }, ImportError>(
    file,
    () => ({ rows: [], seen: new Map() }),
    (state, batch) => {
      let records = batch
      if (state.layout === undefined) {
        const layout = detect(file, batch[0] as CsvFile.CsvRecord)
        if (Result.isFailure(layout)) return Result.fail(layout.failure)
        state.layout = layout.success
        records = batch.slice(1)
      }
      for (const record of records) {
        const row = readRow(file, state.layout, record)
        if (Result.isFailure(row)) return Result.fail(row.failure)
        for (const [code, column] of [[row.success.gssCode, state.layout.gss], [row.success.odsCode, state.layout.ods]] as const) {
          const earlier = state.seen.get(code)
          if (earlier !== undefined) {
            return Result.fail(
              new RowError({ file, line: record.line, column: column + 1, field: state.layout.header[column] as string, reason: `${code} is already listed on line ${earlier}` })
            )
          }
          state.seen.set(code, record.line)
        }
        state.rows.push(row.success)
      }
      return Result.succeed(state)
    }
  ).pipe(
    Effect.flatMap((state) =>
      state.layout === undefined
        ? Effect.fail(new LayoutError({ file, line: 1, expected: expectedColumns, found: [], reason: "the file is empty" }))
        : Effect.succeed(state.rows)
    )
  )
