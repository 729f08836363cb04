/**
 * What one `pull` returns: the canonical records of a page, the rows that could not be mapped (rejections,
 * never silently dropped and never failing the page), and the cursor to resume after it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * One problem with one field of a source row.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FieldProblem = Schema.Struct({
  field: Schema.String,
  reason: Schema.String
})

/**
 * @category models
 * @since 0.1.0
 */
export type FieldProblem = typeof FieldProblem.Type

/**
 * A source row that could not become a canonical record. `line` is the 1-based line in the source file where the
 * row starts (the header is line 1 of a CSV), `field` and `reason` name the first problem, `problems` lists all
 * of them, `raw` is the row as the system sent it (for quarantine and for a person to fix at the source).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Rejection = Schema.Struct({
  line: Schema.Int,
  field: Schema.String,
  reason: Schema.String,
  raw: Schema.String,
  problems: Schema.Array(FieldProblem)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Rejection = typeof Rejection.Type

/**
 * Where to resume a stream: an opaque string the plugin made (a row number, a byte offset, a timestamp),
 * stored by the host with the page it belongs to. `null` means the start of the stream.
 *
 * @category models
 * @since 0.1.0
 */
export type Cursor = string | null

/**
 * One page of a stream. `nextCursor` resumes right after this page; `done` says the stream has nothing after it
 * for now (pulling from `nextCursor` later picks up rows appended since).
 *
 * @category models
 * @since 0.1.0
 */
export interface Page<A = unknown> {
  readonly records: ReadonlyArray<A>
  readonly rejections: ReadonlyArray<Rejection>
  readonly nextCursor: string
  readonly done: boolean
}

/**
 * Makes a rejection from a row and its problems (at least one).
 *
 * @category constructors
 * @since 0.1.0
 */
export const rejection = (
  line: number,
  raw: string,
  problems: readonly [FieldProblem, ...ReadonlyArray<FieldProblem>]
): Rejection => ({ line, field: problems[0].field, reason: problems[0].reason, raw, problems })

/**
 * The number of source rows a page accounts for: every row is either a record or a rejection.
 *
 * @category accessors
 * @since 0.1.0
 */
export const rowCount = (page: Page): number => page.records.length + page.rejections.length
