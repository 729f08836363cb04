/**
 * Turning source rows into canonical records in a batch with plain code: each row maps to a record or to its
 * field problems, and a batch collects records and rejections (line, field, reason, raw) without ever failing.
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import { type FieldProblem, type Rejection, rejection } from "./Page.ts"

/**
 * What mapping one row gives: the record, or the problems (never empty).
 *
 * @category models
 * @since 0.1.0
 */
export type RowOutcome<A> = Result.Result<A, readonly [FieldProblem, ...ReadonlyArray<FieldProblem>]>

/**
 * A source row as the batch needs it: where it starts and its raw text.
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceRow {
  readonly line: number
  readonly raw: string
}

/**
 * A mapped batch.
 *
 * @category models
 * @since 0.1.0
 */
export interface MappedBatch<A> {
  readonly records: ReadonlyArray<A>
  readonly rejections: ReadonlyArray<Rejection>
}

/**
 * A successful row.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ok = <A>(record: A): RowOutcome<A> => Result.succeed(record)

/**
 * A failed row with at least one problem.
 *
 * @category constructors
 * @since 0.1.0
 */
export const problems = <A = never>(first: FieldProblem, ...rest: ReadonlyArray<FieldProblem>): RowOutcome<A> =>
  Result.fail([first, ...rest])

/**
 * Maps every row of a batch; a row whose mapper fails becomes a rejection carrying its line and raw text. A
 * mapper that throws is a bug and is reported as a rejection of field `*` rather than losing the batch.
 *
 * @category combinators
 * @since 0.1.0
 */
export const mapRows = <R extends SourceRow, A>(
  rows: Iterable<R>,
  mapRow: (row: R) => RowOutcome<A>
): MappedBatch<A> => {
  const records: Array<A> = []
  const rejections: Array<Rejection> = []
  for (const row of rows) {
    let outcome: RowOutcome<A>
    try {
      outcome = mapRow(row)
    } catch (error) {
      outcome = Result.fail([{ field: "*", reason: `mapping failed: ${error instanceof Error ? error.message : String(error)}` }])
    }
    if (Result.isSuccess(outcome)) records.push(outcome.success)
    else rejections.push(rejection(row.line, row.raw, outcome.failure))
  }
  return { records, rejections }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * A decoder that checks a candidate record against a canonical schema and reports every failing field (dotted
 * paths, `*` for the whole record) instead of a thrown error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decoderFor = <S extends Schema.Decoder<unknown>>(schema: S): ((input: unknown) => RowOutcome<S["Type"]>) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (input) => {
    const result = decode(input, { errors: "all" })
    if (Result.isSuccess(result)) return Result.succeed(result.success)
    const issues = formatter(result.failure.issue).issues
    const mapped = issues.map((issue): FieldProblem => ({
      field: issue.path === undefined || issue.path.length === 0
        ? "*"
        : issue.path.map((p) => (typeof p === "object" && p !== null && "key" in p ? String(p.key) : String(p))).join("."),
      reason: issue.message
    }))
    const [first, ...rest] = mapped
    return Result.fail(first === undefined ? [{ field: "*", reason: result.failure.message }] : [first, ...rest])
  }
}

/**
 * A checker of records in their decoded form (money as pence, dates as dates) against a canonical schema's type
 * side, compiled once: a record `isValid` proves valid is passed on as it is, any other goes through the
 * schema, which names every failing field. `isValid` must answer `true` only for values the type side accepts
 * unchanged (check that with a property test against the schema); without it every record is decoded.
 *
 * @category constructors
 * @since 0.1.0
 */
export const checkerFor = <S extends Schema.Top>(
  schema: S,
  isValid?: (input: unknown) => input is S["Type"]
): ((input: unknown) => RowOutcome<S["Type"]>) => {
  const decode = decoderFor(Schema.toType(schema))
  if (isValid === undefined) return decode
  return (input) => (isValid(input) ? Result.succeed(input) : decode(input))
}

/**
 * Source rows for items of a JSON page: `line` is the item's 1-based position in the whole stream (`offset` is
 * the number of items before this page), `raw` its JSON text, `item` the value. For systems that answer JSON
 * rather than CSV, so their rejections still say where the row was.
 *
 * @category constructors
 * @since 0.1.0
 */
export const jsonRows = <T>(items: ReadonlyArray<T>, offset = 0): ReadonlyArray<SourceRow & { readonly item: T }> =>
  items.map((item, i) => ({ line: offset + i + 1, raw: JSON.stringify(item) ?? "", item }))
