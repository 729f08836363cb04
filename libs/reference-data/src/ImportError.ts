/**
 * The ways a reference file can fail to import, as tagged errors that name the file, the line and the column or
 * field, so a person can open the file and see what is wrong. Importers stop at the first bad row: a lookup with
 * rows silently dropped would give wrong coterminosity and membership answers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The file could not be opened or read (missing, a directory, no permission).
 *
 * @category errors
 * @since 0.1.0
 */
export class ReferenceFileError extends Schema.TaggedError<ReferenceFileError>()("ReferenceFileError", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

/**
 * The file's header is not a layout the importer knows: lists the columns it looks for and the header it found.
 *
 * @category errors
 * @since 0.1.0
 */
export class LayoutError extends Schema.TaggedError<LayoutError>()("LayoutError", {
  file: Schema.String,
  line: Schema.Number,
  expected: Schema.Array(Schema.String),
  found: Schema.Array(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}:${this.line}: ${this.reason}; expected columns ${this.expected.join(", ")}; found ${
      this.found.length === 0 ? "no columns" : this.found.map((c) => JSON.stringify(c)).join(",")
    }`
  }
}

/**
 * One row is malformed: wrong number of fields, an unterminated quote, or a value that is not what the column
 * holds. `column` is 1-based; `field` is the column's name (from the header, or the layout's name for it).
 *
 * @category errors
 * @since 0.1.0
 */
export class RowError extends Schema.TaggedError<RowError>()("RowError", {
  file: Schema.String,
  line: Schema.Number,
  column: Schema.optionalKey(Schema.Number),
  field: Schema.optionalKey(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    const where = this.column === undefined
      ? ""
      : ` column ${this.column}${this.field === undefined ? "" : ` (${this.field})`}`
    return `${this.file}:${this.line}${where}: ${this.reason}`
  }
}

/**
 * Any failure of an importer.
 *
 * @category errors
 * @since 0.1.0
 */
export type ImportError = ReferenceFileError | LayoutError | RowError

/**
 * Whether a value is one of the importers' errors (for mapping failures at the edges).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isImportError = (u: unknown): u is ImportError =>
  u instanceof ReferenceFileError || u instanceof LayoutError || u instanceof RowError
