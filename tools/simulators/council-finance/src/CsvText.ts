/**
 * The simulator's own small RFC 4180 reader and writer: splits a CSV file into records with their exact source
 * text, line terminator and starting line, so pages can be served byte-for-byte as the council published them.
 * Deliberately not the plugin's parser (the protocol is implemented twice, independently).
 *
 * @since 0.1.0
 */

/**
 * One record as it appears in the source: its text without the terminator, the terminator (`\r\n`, `\n`, or
 * `""` at the end of the file) and the line it starts on (1-based).
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceRecord {
  readonly raw: string
  readonly eol: string
  readonly line: number
}

interface MutableRecord {
  raw: string
  eol: string
  line: number
}

/**
 * Splits CSV text into records. Line breaks inside quoted fields stay inside the record; blank lines are not
 * records but are kept in the terminator of the record before them, so a page that joins records with their
 * terminators keeps the source's line numbering. Throws on a quote that is never closed (a broken source file is a bug in the simulator's data).
 *
 * @category parsing
 * @since 0.1.0
 */
export const splitRecords = (text: string): ReadonlyArray<SourceRecord> => {
  const records: Array<MutableRecord> = []
  let start = 0
  let line = 1
  let startLine = 1
  let quoted = false
  const push = (end: number, eol: string): void => {
    const raw = text.slice(start, end)
    const previous = records[records.length - 1]
    if (raw.replace(/^\uFEFF/u, "").trim() !== "") records.push({ raw, eol, line: startLine })
    else if (previous !== undefined) previous.eol += raw + eol
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === "\"") {
      quoted = !quoted
    } else if (ch === "\n" || ch === "\r") {
      const eol = ch === "\r" && text[i + 1] === "\n" ? "\r\n" : ch
      if (!quoted) {
        push(i, eol)
        start = i + eol.length
        startLine = line + 1
      }
      i += eol.length - 1
      line++
    }
  }
  if (quoted) throw new Error(`unclosed quote in the record starting on line ${startLine}`)
  if (start < text.length) push(text.length, "")
  return records
}

/**
 * Splits one record's text into its fields (quotes removed, doubled quotes undone).
 *
 * @category parsing
 * @since 0.1.0
 */
export const splitFields = (raw: string): Array<string> => {
  const fields: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string
    if (quoted) {
      if (ch === "\"" && raw[i + 1] === "\"") {
        field += "\""
        i++
      } else if (ch === "\"") quoted = false
      else field += ch
    } else if (ch === "\"") quoted = true
    else if (ch === ",") {
      fields.push(field)
      field = ""
    } else field += ch
  }
  fields.push(field)
  return fields
}

/**
 * Writes one record, quoting fields that need it.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatRecord = (fields: ReadonlyArray<string>): string =>
  fields.map((f) => (/[",\r\n]/u.test(f) ? `"${f.replace(/"/gu, "\"\"")}"` : f)).join(",")
