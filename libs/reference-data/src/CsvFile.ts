/**
 * Reads a CSV file as a stream of record batches with csv-parse's streaming parser, keeping the line each record
 * starts on so importers can say where a bad value is. Handles a UTF-8 byte-order mark, CRLF or LF line ends,
 * quoted fields holding commas or line breaks, and blank (or all-empty) lines, which are skipped.
 *
 * @since 0.1.0
 */
import { parse, CsvError } from "csv-parse"
import { Effect, Result, Stream } from "effect"
import { createReadStream } from "node:fs"
import { pipeline } from "node:stream"
import { ReferenceFileError, RowError, isImportError } from "./ImportError.ts"

/**
 * One record: its fields as text (untrimmed, as in the file) and the 1-based line it starts on.
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

/**
 * @category models
 * @since 0.1.0
 */
export interface ReadOptions {
  /** Records per batch handed to the importer's plain-code step (default 2000). */
  readonly batchSize?: number
}

interface ParsedRecord {
  readonly record: Array<string>
  readonly info: { readonly lines: number; readonly empty_lines: number }
}

const errnoText = (error: unknown): string => {
  const code = (error as { code?: unknown }).code
  if (code === "ENOENT") return "no such file"
  if (code === "EISDIR") return "is a directory, not a file"
  if (code === "EACCES") return "permission denied"
  return error instanceof Error ? error.message : String(error)
}

async function* readBatches(file: string, batchSize: number): AsyncGenerator<ReadonlyArray<CsvRecord>> {
  const parser = pipeline(
    createReadStream(file),
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true }),
    () => undefined // errors surface through the async iterator below
  )
  // The parser counts lines up to the END of each record; a record starts on the line after the previous record
  // ended, plus any blank lines skipped in between. csv-parse 6 counts a CRLF inside a quoted field as two
  // lines, so those are subtracted to keep line numbers right for CRLF files with multi-line fields.
  let lastEnd = 0
  let lastEmpty = 0
  let doubleCounted = 0
  let batch: Array<CsvRecord> = []
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      const line = lastEnd + 1 + (parsed.info.empty_lines - lastEmpty)
      for (const field of parsed.record) if (field.includes("\r\n")) doubleCounted += field.split("\r\n").length - 1
      lastEnd = parsed.info.lines - doubleCounted
      lastEmpty = parsed.info.empty_lines
      batch.push({ line, fields: parsed.record })
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const column = error["column"]
      throw new RowError({
        file,
        line: lastEnd + 1,
        ...(typeof column === "number" ? { column: column + 1 } : {}),
        reason: `${error.message.replace(/ at line \d+/u, "").replace(/ on line \d+/u, "")} (${error.code})`
      })
    }
    throw error
  } finally {
    parser.destroy()
  }
  if (batch.length > 0) yield batch
}

const toImportError = (file: string) => (error: unknown): ReferenceFileError | RowError =>
  isImportError(error) && error._tag !== "LayoutError"
    ? error
    : new ReferenceFileError({ file, reason: `cannot read: ${errnoText(error)}` })

/**
 * The file's records in batches, in file order. Fails with `ReferenceFileError` when the file cannot be read and
 * with `RowError` (line and field number) on CSV syntax errors such as an unterminated quote.
 *
 * @category constructors
 * @since 0.1.0
 */
export const batches = (file: string, options: ReadOptions = {}): Stream.Stream<ReadonlyArray<CsvRecord>, ReferenceFileError | RowError> =>
  Stream.suspend(() => Stream.fromAsyncIterable(readBatches(file, options.batchSize ?? 2000), toImportError(file)))

/**
 * Folds the file's batches with a plain step function (no Effect per row). The step returns the next state, or
 * a failure that stops the import at once and closes the file.
 *
 * @category destructors
 * @since 0.1.0
 */
export const fold = <S, E>(
  file: string,
  initial: () => S,
  step: (state: S, batch: ReadonlyArray<CsvRecord>) => Result.Result<S, E>,
  options: ReadOptions = {}
): Effect.Effect<S, E | ReferenceFileError | RowError> =>
  Stream.runFoldEffect(batches(file, options), initial, (state, batch) => Effect.fromResult(step(state, batch)))
