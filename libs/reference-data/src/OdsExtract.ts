/**
 * Importer for NHS Digital ODS extracts in the standard headerless layout (eccg CCGs and sub-ICB locations, etr
 * trusts, ...): field 1 code, 2 name, 3 national grouping, 4 high-level health geography, 5-9 address, 10
 * postcode, 11 open date `YYYYMMDD`, 12 close date (the LAST day open; empty while open). The layout has 27
 * fields; some extracts (etr) drop trailing empty ones, so 12 to 27 are accepted. Real extracts also carry
 * records with no open date yet (etr January 2021: R0A, R0B, trusts formed by mergers that month): those are
 * read with no `opened`/`period` rather than rejected.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes, Period } from "@hub/domain"
import { Effect, Result, Schema } from "effect"
import * as CsvFile from "./CsvFile.ts"
import { LayoutError, RowError, type ImportError } from "./ImportError.ts"

/**
 * One organisation of the extract. `period` is `[opened, lastDay + 1)`, the hub's half-open form; `opened` and
 * `period` are absent when the extract gives no open date (a close date without one is an error).
 *
 * @category models
 * @since 0.1.0
 */
export interface OdsRecord {
  readonly code: Codes.OdsCode
  readonly name: string
  readonly nationalGrouping: string
  readonly highLevelHealthGeography: string
  readonly address: ReadonlyArray<string>
  readonly postcode: string
  readonly opened?: CalendarDate.CalendarDate
  readonly lastDay?: CalendarDate.CalendarDate
  readonly period?: Period.Period
  /** The line of the file the record is on. */
  readonly line: number
}

/**
 * The names of the fields the importer reads, by position (1-based in the ODS specification).
 *
 * @category constants
 * @since 0.1.0
 */
export const fieldNames: ReadonlyArray<string> = [
  "Organisation Code",
  "Name",
  "National Grouping",
  "High Level Health Geography",
  "Address Line 1",
  "Address Line 2",
  "Address Line 3",
  "Address Line 4",
  "Address Line 5",
  "Postcode",
  "Open Date",
  "Close Date"
]

const minFields = 12
const maxFields = 27
const isOds = Schema.is(Codes.OdsCode)

type Parsed = Result.Result<OdsRecord, { readonly field: number; readonly reason: string }>

const parseRecord = ({ fields, line }: CsvFile.CsvRecord): Parsed => {
  const bad = (field: number, reason: string): Parsed => Result.fail({ field, reason })
  if (fields.length < minFields || fields.length > maxFields) {
    return bad(0, `expected ${minFields} to ${maxFields} fields (the ODS standard layout), found ${fields.length}`)
  }
  const f = (n: number): string => (fields[n - 1] as string).trim()
  const code = f(1)
  if (!isOds(code)) return bad(1, `${JSON.stringify(code)} is not an ODS code`)
  if (f(2) === "") return bad(2, "the name is empty")
  const opened = f(11) === "" ? undefined : CalendarDate.parseCompact(f(11))
  if (f(11) !== "" && opened === undefined) return bad(11, `${JSON.stringify(f(11))} is not a date as YYYYMMDD or empty`)
  const lastDay = f(12) === "" ? undefined : CalendarDate.parseCompact(f(12))
  if (f(12) !== "" && lastDay === undefined) return bad(12, `${JSON.stringify(f(12))} is not a date as YYYYMMDD or empty`)
  if (opened === undefined && lastDay !== undefined) return bad(11, `a close date ${f(12)} is given without an open date`)
  const period = opened === undefined ? undefined : Period.fromLastDay(opened, lastDay)
  if (opened !== undefined && period === undefined) return bad(12, `the close date ${f(12)} is before the open date ${f(11)}`)
  return Result.succeed({
    code,
    name: f(2),
    nationalGrouping: f(3),
    highLevelHealthGeography: f(4),
    address: [f(5), f(6), f(7), f(8), f(9)].filter((part) => part !== ""),
    postcode: f(10),
    ...(opened === undefined ? {} : { opened }),
    ...(lastDay === undefined ? {} : { lastDay }),
    ...(period === undefined ? {} : { period }),
    line
  })
}

/**
 * Imports an extract. A first line that does not read as a record (a header, or another kind of file) fails
 * with a `LayoutError`; any later bad row stops the import with a `RowError` naming file, line and field (wrong
 * field count, bad code, empty name, bad date, close before open, a code listed twice).
 *
 * @category import
 * @since 0.1.0
 */
export const load = (file: string): Effect.Effect<ReadonlyArray<OdsRecord>, ImportError> =>
  CsvFile.fold<{ readonly records: Array<OdsRecord>; readonly lines: Map<string, number> }, ImportError>(
    file,
    () => ({ records: [], lines: new Map() }),
    (state, batch) => {
      for (const record of batch) {
        const parsed = parseRecord(record)
        if (Result.isFailure(parsed)) {
          const { field, reason } = parsed.failure
          if (state.records.length === 0) {
            return Result.fail(
              new LayoutError({
                file,
                line: record.line,
                expected: fieldNames.map((name, i) => `${i + 1} ${name}`),
                found: record.fields,
                reason: `the first line is not an ODS standard-layout record (field ${field}: ${reason})`
              })
            )
          }
          return Result.fail(
            new RowError({
              file,
              line: record.line,
              ...(field === 0 ? {} : { column: field, field: fieldNames[field - 1] as string }),
              reason
            })
          )
        }
        const ods = parsed.success
        const earlier = state.lines.get(ods.code)
        if (earlier !== undefined) {
          return Result.fail(
            new RowError({ file, line: record.line, column: 1, field: "Organisation Code", reason: `${ods.code} is already listed on line ${earlier}` })
          )
        }
        state.lines.set(ods.code, record.line)
        state.records.push(ods)
      }
      return Result.succeed(state)
    }
  ).pipe(Effect.map((state) => state.records))
