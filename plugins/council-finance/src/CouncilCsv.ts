/**
 * Parsing one page of a council CSV (csv-parse): BOM, CRLF, quoted commas and line breaks, blank lines; each
 * record with the line of the source file it starts on and its raw text; and a cell reader that applies a
 * profile's rules (amounts, dates, formula cells) and collects every problem of a row instead of stopping.
 *
 * @since 0.1.0
 */
import { type CalendarDate, FinancialYear, type Money } from "@hub/domain"
import type { Page } from "@hub/plugin-sdk"
import { Result } from "effect"
import { parse } from "csv-parse/sync"
import * as CellValues from "./CellValues.ts"
import type { CouncilProfile } from "./CouncilProfile.ts"

// ---------------------------------------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------------------------------------

/**
 * A data record of the page.
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvRow {
  /** Line of the source file where the record starts. */
  readonly line: number
  readonly raw: string
  readonly fields: ReadonlyArray<string>
}

/**
 * A parsed page: headings, data records, records the CSV parser could not read (as rejections), and how many
 * data records the body held in all (for checking against the system's row count).
 *
 * @category models
 * @since 0.1.0
 */
export interface ParsedCsv {
  readonly headings: ReadonlyArray<string>
  readonly rows: ReadonlyArray<CsvRow>
  readonly unreadable: ReadonlyArray<Page.Rejection>
  readonly recordCount: number
}

type ParseEvent =
  | { readonly kind: "record"; readonly raw: string; readonly fields: ReadonlyArray<string> }
  | { readonly kind: "unreadable"; readonly raw: string; readonly reason: string }

/**
 * Finds where each record starts in the body, in order, and counts line breaks up to there (`\r\n`, `\r` and
 * `\n` each one break, also inside quoted fields), so a record's line is the line it starts on.
 */
const lineLocator = (body: string) => {
  let position = 0
  let line = 1
  let lineScanned = 0
  const advanceTo = (index: number): number => {
    for (let i = lineScanned; i < index; i++) {
      const ch = body.charCodeAt(i)
      if (ch === 10 || (ch === 13 && body.charCodeAt(i + 1) !== 10)) line++
    }
    lineScanned = Math.max(lineScanned, index)
    return line
  }
  return (raw: string): number => {
    const text = raw.replace(/^[\r\n]+/u, "").replace(/[\r\n]+$/u, "")
    const found = text === "" ? -1 : body.indexOf(text, position)
    const start = found < 0 ? position : found
    position = found < 0 ? position : found + text.length
    return advanceTo(start)
  }
}

/**
 * Parses a page whose header is line 1 of the body and whose first data record starts on source line
 * `firstLine`. Never throws on bad data: a record csv-parse cannot read becomes a rejection of field `*`.
 * A well-formed page (the usual case) is read by {@link scanPage} in one pass; any other page goes through
 * csv-parse ({@link parsePageWithCsvParse}), whose reading is the reference.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parsePage = (body: string, firstLine = 2): ParsedCsv => scanPage(body, firstLine) ?? parsePageWithCsvParse(body, firstLine)

/**
 * The record delimiters of a council CSV: `\r\n`, `\n` and a lone `\r`, each wherever it appears.
 *
 * @category parsing
 * @since 0.1.0
 */
export const recordDelimiters: ReadonlyArray<string> = ["\r\n", "\n", "\r"]

/**
 * {@link parsePage} through csv-parse with the tolerant options (stray quotes, ragged rows, unreadable
 * records skipped and reported): the reference reading, used for every page {@link scanPage} declines.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parsePageWithCsvParse = (body: string, firstLine = 2): ParsedCsv => {
  const events: Array<ParseEvent> = []
  parse(body, {
    bom: true,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Every line ending ends a record wherever it appears: real council files mix a `\n` header with `\r\n` rows,
    // and csv-parse's own detection would take the first one for the whole page (leaving `\r` and quotes in the
    // last field). `\r\n` comes first: csv-parse takes the first delimiter in the list that matches.
    record_delimiter: [...recordDelimiters],
    // Records and unreadable stretches are collected in source order through the callbacks.
    on_record: (record, context) => {
      // With `raw: true` csv-parse hands over `{ record, raw }` although its types say `string[]`.
      const output = record as unknown as { readonly record?: Array<string>; readonly raw?: string } | Array<string>
      const fields = Array.isArray(output) ? output : (output.record ?? [])
      const raw = Array.isArray(output) ? (context.raw ?? "") : (output.raw ?? context.raw ?? "")
      events.push({ kind: "record", raw, fields })
      return null
    },
    on_skip: (error, raw) => {
      events.push({ kind: "unreadable", raw: raw ?? "", reason: `unreadable CSV: ${error?.message ?? "unknown error"}` })
      return undefined
    }
  })
  const locate = lineLocator(body.replace(/^\uFEFF/u, ""))
  const rows: Array<CsvRow> = []
  const unreadable: Array<Page.Rejection> = []
  let headings: ReadonlyArray<string> = []
  events.forEach((event, index) => {
    const raw = event.raw.replace(/^\uFEFF/u, "")
    const bodyLine = locate(raw)
    const text = raw.replace(/^[\r\n]+/u, "").replace(/[\r\n]+$/u, "")
    if (index === 0 && event.kind === "record") {
      headings = event.fields.map((h) => h.replace(/^\uFEFF/u, "").trim())
      return
    }
    const line = firstLine + bodyLine - 2
    if (event.kind === "record") rows.push({ line, raw: text, fields: event.fields })
    else unreadable.push({ line, field: "*", reason: event.reason, raw: text, problems: [{ field: "*", reason: event.reason }] })
  })
  return { headings, rows, unreadable, recordCount: rows.length + unreadable.length }
}

const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10
const loneSurrogate = /[\uD800-\uDFFF]/u

/**
 * Reads a page in one pass over its characters with exactly csv-parse's result under the options of
 * {@link parsePageWithCsvParse} (the property test in CouncilCsv.test.ts holds it to that), or gives
 * `undefined` for a page it leaves to csv-parse: an unclosed quote, a record that starts with a BOM, or text
 * csv-parse would re-encode (lone surrogates). Every `\r\n`, `\n` and lone `\r` outside quotes ends a record
 * ({@link recordDelimiters}: real files mix a `\n` header with `\r\n` rows), inside quotes it is text; a quote
 * inside an unquoted field is text; a quoted field whose closing quote is followed by more text keeps its quotes
 * and runs on to the next comma or line break (`relax_quotes`).
 *
 * @category parsing
 * @since 0.1.0
 */
export const scanPage = (body: string, firstLine = 2): ParsedCsv | undefined => {
  if (loneSurrogate.test(body)) return undefined
  const n = body.length
  // Line of the (BOM-less) body the scan is on, counting `\r\n`, `\r` and `\n` as one break each.
  let bodyLine = 1
  /** Length of the record delimiter at `i` ({@link recordDelimiters}: `\r\n`, `\n` or `\r`), 0 when there is none. */
  const delimiterAt = (i: number): number => {
    const ch = body.charCodeAt(i)
    if (ch === LF) return 1
    if (ch === CR) return body.charCodeAt(i + 1) === LF ? 2 : 1
    return 0
  }
  /** Counts a line break at `i` inside a quoted field (text, not a record delimiter). */
  const countBreak = (i: number, ch: number): void => {
    if (ch === LF || (ch === CR && body.charCodeAt(i + 1) !== LF)) bodyLine++
  }
  /** Index of the comma, line break or end that ends unquoted text from `i`. */
  const unquotedEnd = (from: number): number => {
    for (let i = from; i < n; i++) {
      const ch = body.charCodeAt(i)
      if (ch === COMMA || ch === CR || ch === LF) return i
    }
    return n
  }
  const rows: Array<CsvRow> = []
  let headings: ReadonlyArray<string> | undefined
  let pos = body.charCodeAt(0) === 0xfeff ? 1 : 0
  while (pos < n) {
    const blank = delimiterAt(pos)
    if (blank > 0) {
      bodyLine++
      pos += blank
      continue
    }
    const start = pos
    const startLine = bodyLine
    if (body.charCodeAt(start) === 0xfeff) return undefined
    const fields: Array<string> = []
    let end: number
    for (;;) {
      if (body.charCodeAt(pos) === QUOTE) {
        let inner = ""
        let from = pos + 1
        let i = from
        for (;;) {
          if (i >= n) return undefined
          const ch = body.charCodeAt(i)
          if (ch === QUOTE) {
            if (body.charCodeAt(i + 1) !== QUOTE) break
            inner += body.slice(from, i + 1)
            i += 2
            from = i
            continue
          }
          countBreak(i, ch)
          i++
        }
        inner += body.slice(from, i)
        pos = i + 1
        if (pos >= n || body.charCodeAt(pos) === COMMA || delimiterAt(pos) > 0) fields.push(inner)
        else {
          const rest = unquotedEnd(pos)
          fields.push(`"${inner}"${body.slice(pos, rest)}`)
          pos = rest
        }
      } else {
        const fieldEnd = unquotedEnd(pos)
        fields.push(body.slice(pos, fieldEnd))
        pos = fieldEnd
      }
      if (pos >= n) {
        end = n
        break
      }
      if (body.charCodeAt(pos) === COMMA) {
        pos++
        continue
      }
      const delimiter = delimiterAt(pos)
      end = pos
      bodyLine++
      pos += delimiter
      break
    }
    while (end > start && (body.charCodeAt(end - 1) === CR || body.charCodeAt(end - 1) === LF)) end--
    if (headings === undefined) headings = fields.map((h) => h.replace(/^\uFEFF/u, "").trim())
    else rows.push({ line: firstLine + startLine - 2, raw: body.slice(start, end), fields })
  }
  return { headings: headings ?? [], rows, unreadable: [], recordCount: rows.length }
}

// ---------------------------------------------------------------------------------------------------------
// reading cells
// ---------------------------------------------------------------------------------------------------------

/**
 * Reads the cells of one row under a profile, collecting problems (field, reason) and markers.
 *
 * @category models
 * @since 0.1.0
 */
export interface CellReader {
  /** Text of an optional column: `undefined` when the column is absent or the cell blank. */
  readonly optionalText: (field: string, column: number | undefined) => string | undefined
  /** Text of a required column: a problem when blank. */
  readonly text: (field: string, column: number | undefined) => string
  /** Identifier-like text (codes, transaction numbers): a formula is a problem, never marked. */
  readonly code: (field: string, column: number | undefined) => string
  readonly amount: (field: string, column: number | undefined) => Money.Pence
  readonly date: (field: string, column: number | undefined) => CalendarDate.CalendarDate
  /** A financial year such as `2018/19`. */
  readonly financialYear: (field: string, column: number | undefined) => FinancialYear.FinancialYear
  /** A financial-year month 1 (April) .. 12 (March), also written `M7`. */
  readonly month: (field: string, column: number | undefined) => FinancialYear.Month
  readonly problems: Array<Page.FieldProblem>
  readonly markers: Array<string>
}

/** Whether a cell is empty or white space only (`trim()` only when the first character does not settle it). */
const isBlank = (cell: string): boolean => {
  if (cell.length === 0) return true
  const first = cell.charCodeAt(0)
  return first > 32 && first < 127 ? false : cell.trim() === ""
}

/**
 * Checks a row's shape: fewer fields than headings, or extra fields that are not empty, is a problem; so is a
 * row holding bytes that are not UTF-8 (the HTTP body was decoded leniently, so they arrive as U+FFFD: storing
 * such a row would replace the council's text with something it never published).
 *
 * @category reading
 * @since 0.1.0
 */
export const shapeProblem = (row: CsvRow, headingCount: number): Page.FieldProblem | undefined => {
  // One pass over the fields (this runs for every row): whether all are blank, and the first not UTF-8.
  let blank = true
  let undecodable = -1
  for (let i = 0; i < row.fields.length; i++) {
    const field = row.fields[i] as string
    if (blank && !isBlank(field)) blank = false
    if (undecodable < 0 && field.includes("\uFFFD")) undecodable = i
  }
  if (blank) return { field: "*", reason: "the row is empty" }
  if (undecodable >= 0) {
    return { field: "*", reason: `field ${undecodable + 1} holds bytes that are not valid UTF-8 (the file must be UTF-8)` }
  }
  if (row.fields.length < headingCount) {
    return { field: "*", reason: `the row has ${row.fields.length} fields, the header has ${headingCount}` }
  }
  if (row.fields.length > headingCount && row.fields.slice(headingCount).some((f) => !isBlank(f))) {
    return { field: "*", reason: `the row has ${row.fields.length} fields, the header has ${headingCount}` }
  }
  return undefined
}

/**
 * A cell reader for a row under a profile (its formula policy and date forms).
 *
 * @category reading
 * @since 0.1.0
 */
export const cellReader = (row: CsvRow, profile: CouncilProfile): CellReader => {
  const problems: Array<Page.FieldProblem> = []
  const markers: Array<string> = []
  const cell = (column: number | undefined): string => (column === undefined ? "" : (row.fields[column] ?? "").trim())
  const optionalText = (field: string, column: number | undefined): string | undefined => {
    const value = cell(column)
    if (value === "") return undefined
    if (!CellValues.isFormula(value)) return value
    if (profile.formulaCells === "reject") {
      problems.push({ field, reason: `${JSON.stringify(value)} is a spreadsheet formula` })
      return value
    }
    markers.push(`formula:${field}`)
    return CellValues.neutralise(value)
  }
  return {
    problems,
    markers,
    optionalText,
    text: (field, column) => {
      const value = optionalText(field, column)
      if (value === undefined) {
        problems.push({ field, reason: "required but empty" })
        return ""
      }
      return value
    },
    code: (field, column) => {
      const value = cell(column)
      if (value === "") problems.push({ field, reason: "required but empty" })
      else if (CellValues.isFormula(value)) problems.push({ field, reason: `${JSON.stringify(value)} is a spreadsheet formula, not a code` })
      return value
    },
    amount: (field, column) => {
      const result = CellValues.parseAmount(cell(column))
      if (Result.isSuccess(result)) return result.success
      problems.push({ field, reason: result.failure })
      return 0 as Money.Pence
    },
    date: (field, column) => {
      const result = CellValues.parseDate(cell(column), profile.dateFormats)
      if (Result.isSuccess(result)) return result.success
      problems.push({ field, reason: result.failure })
      return "" as CalendarDate.CalendarDate
    },
    financialYear: (field, column) => {
      const value = cell(column)
      const year = FinancialYear.parse(value)
      if (year === undefined) {
        problems.push({ field, reason: value === "" ? "required but empty" : `${JSON.stringify(value)} is not a financial year such as 2018/19` })
        return "" as FinancialYear.FinancialYear
      }
      return year
    },
    month: (field, column) => {
      const value = cell(column)
      const n = /^M?\d{1,2}$/iu.test(value) ? Number(value.replace(/^M/iu, "")) : Number.NaN
      const month = FinancialYear.months.find((m) => m === n)
      if (month === undefined) {
        problems.push({ field, reason: value === "" ? "required but empty" : `${JSON.stringify(value)} is not a month 1 (April) to 12 (March)` })
        return 1
      }
      return month
    }
  }
}
