/**
 * Importer for area weights: a CSV with an LSOA code column and a numeric weight column (population estimates
 * such as ONS's mid-year "All Ages", or any `weight`/`population` column), found by their headers.
 *
 * @since 0.1.0
 */
import { Codes } from "@hub/domain"
import { Effect, Result, Schema } from "effect"
import * as CsvFile from "./CsvFile.ts"
import { LayoutError, RowError, type ImportError } from "./ImportError.ts"

/**
 * Weights by LSOA code.
 *
 * @category models
 * @since 0.1.0
 */
export type AreaWeights = ReadonlyMap<string, number>

const expectedColumns: ReadonlyArray<string> = [
  "an LSOA code column (LSOA<yy>CD, \"LSOA code\", \"LSOA\")",
  "a weight column (\"weight\", \"population\", \"All Ages\", \"persons\", \"count\")"
]

const areaHeader = /^LSOA(?:\s*\d{2})?\s*(?:CD|CODE)?$/iu
const weightHeader = /weight|population|^pop|persons|all\s*ages|^count$|^total$/iu
const isLsoa = Schema.is(Codes.LsoaCode)
const number = /^\d+(?:\.\d+)?$/u

interface Found {
  readonly area: number
  readonly weight: number
  readonly header: ReadonlyArray<string>
}

const detect = (file: string, record: CsvFile.CsvRecord): Result.Result<Found, LayoutError> => {
  const header = record.fields.map((f) => f.trim())
  const area = header.findIndex((h) => areaHeader.test(h))
  const weight = header.findIndex((h) => weightHeader.test(h))
  if (area >= 0 && weight >= 0) return Result.succeed({ area, weight, header })
  return Result.fail(
    new LayoutError({
      file,
      line: record.line,
      expected: expectedColumns,
      found: header,
      reason: area < 0 ? "no LSOA code column" : "no weight column"
    })
  )
}

/**
 * Imports weights. A weight is a plain non-negative number; thousands separators (`12,345`, as spreadsheets
 * export population counts) are accepted. The first bad row (not an LSOA code, not a number, an LSOA listed
 * twice, a short row) stops the import with a `RowError` naming file, line and column.
 *
 * @category import
 * @since 0.1.0
 */
export const load = (file: string): Effect.Effect<AreaWeights, ImportError> =>
  CsvFile.fold<{ found?: Found; readonly weights: Map<string, number>; readonly lines: Map<string, number> }, ImportError>(
    file,
    () => ({ weights: new Map(), lines: new Map() }),
    (state, batch) => {
      let records = batch
      if (state.found === undefined) {
        const found = detect(file, batch[0] as CsvFile.CsvRecord)
        if (Result.isFailure(found)) return Result.fail(found.failure)
        state.found = found.success
        records = batch.slice(1)
      }
      const { area: a, weight: w, header } = state.found
      for (const { fields, line } of records) {
        const bad = (index: number, reason: string) =>
          Result.fail(new RowError({ file, line, column: index + 1, field: header[index] as string, reason }))
        const area = (fields[a] ?? "").trim()
        if (!isLsoa(area)) return bad(a, `${JSON.stringify(area)} is not an LSOA code (E01 or W01 and 6 digits)`)
        const text = (fields[w] ?? "").trim().replace(/,(?=\d{3}(?:\D|$))/gu, "")
        if (!number.test(text)) return bad(w, `${JSON.stringify(fields[w] ?? "")} is not a non-negative number`)
        const earlier = state.lines.get(area)
        if (earlier !== undefined) return bad(a, `LSOA ${area} already has a weight on line ${earlier}`)
        state.lines.set(area, line)
        state.weights.set(area, Number(text))
      }
      return Result.succeed(state)
    }
  ).pipe(
    Effect.flatMap((state) =>
      state.found === undefined
        ? Effect.fail(new LayoutError({ file, line: 1, expected: expectedColumns, found: [], reason: "the file is empty" }))
        : Effect.succeed<AreaWeights>(state.weights)
    )
  )

