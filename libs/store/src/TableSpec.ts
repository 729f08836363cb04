/**
 * How a typed row maps to a table: each field's column and SQL type, which columns form the natural key, and
 * the conversions both ways (pence as exact bigint, dates as ISO text, absent optional fields as NULL). The
 * bulk upsert and the readers of every record table are written once against this description.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { StoredValueError } from "./StoreError.ts"

/**
 * The column types the store uses. `pence` and `bigint` are `bigint` columns read back as safe integers;
 * `date` is a PostgreSQL `date` exchanged as `YYYY-MM-DD`; `jsonb` holds arrays and objects.
 *
 * @category models
 * @since 0.1.0
 */
export type ColumnType = "text" | "integer" | "bigint" | "pence" | "date" | "boolean" | "jsonb"

/**
 * One field of a row and its column.
 *
 * @category models
 * @since 0.1.0
 */
export interface Column<Row> {
  readonly field: keyof Row & string
  readonly column: string
  readonly type: ColumnType
  /** The field may be absent; absent is stored as NULL, or as `absentAs` when the column is part of a key. */
  readonly optional?: boolean
  readonly absentAs?: string
}

/**
 * A table holding rows of one type, keyed by a natural key.
 *
 * @category models
 * @since 0.1.0
 */
export interface TableSpec<Row> {
  readonly table: string
  readonly columns: ReadonlyArray<Column<Row>>
  /** Column names of the natural key (the table's primary key or a unique constraint on exactly these). */
  readonly key: ReadonlyArray<string>
}

/**
 * Makes a column description.
 *
 * @category constructors
 * @since 0.1.0
 */
export const column = <Row>(
  field: keyof Row & string,
  column: string,
  type: ColumnType,
  options: { readonly optional?: boolean; readonly absentAs?: string } = {}
): Column<Row> => ({ field, column, type, ...options })

/**
 * PostgreSQL text and jsonb cannot hold the NUL character, and one such character in a source file must not
 * make a whole page unstorable forever: it is stored as U+FFFD (the replacement character).
 *
 * @category encoding
 * @since 0.1.0
 */
export const withoutNul = (text: string): string => (text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text)

/**
 * JSON text for a jsonb parameter, with NUL characters in strings replaced as in `withoutNul`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const jsonText = (value: unknown): string => {
  // JSON.stringify writes a NUL as the escape `\u0000`: only text holding that needs the (much slower) replacer.
  const text = JSON.stringify(value)
  return text.includes("\\u0000") ? JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? withoutNul(v) : v)) : text
}

/**
 * The statement parameter for one field of a row (text without NUL, jsonb as JSON text).
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeValue = <Row>(col: Column<Row>, row: Row): unknown => {
  const value = row[col.field] as unknown
  if (value === undefined || value === null) return col.absentAs ?? null
  switch (col.type) {
    case "text":
      return typeof value === "string" ? withoutNul(value) : value
    case "jsonb":
      return jsonText(value)
    case "pence":
    case "bigint":
      // Numbers beyond int4 are bound as int8 by the driver; bigints pass through unchanged.
      return value
    default:
      return value
  }
}

/**
 * The statement parameters of a row, in column order.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeRow = <Row>(spec: TableSpec<Row>, row: Row): Array<unknown> =>
  spec.columns.map((col) => encodeValue(col, row))

const toSafeInteger = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : undefined
  }
  if (typeof value === "string" && /^-?\d+$/u.test(value)) return toSafeInteger(BigInt(value))
  return undefined
}

const decodeValue = (type: ColumnType, value: unknown): Result.Result<unknown, string> => {
  switch (type) {
    case "integer":
    case "bigint":
    case "pence": {
      const n = toSafeInteger(value)
      return n === undefined
        ? Result.fail(`${String(value)} is not a whole number within ±${Number.MAX_SAFE_INTEGER}`)
        : Result.succeed(n)
    }
    case "jsonb":
      return Result.succeed(typeof value === "string" ? JSON.parse(value) : value)
    case "date":
    case "text":
      return typeof value === "string" ? Result.succeed(value) : Result.fail(`expected text, got ${typeof value}`)
    case "boolean":
      return typeof value === "boolean" ? Result.succeed(value) : Result.fail(`expected a boolean, got ${typeof value}`)
  }
}

/**
 * Reads a database row back into the row type: NULL (or the `absentAs` value) becomes an absent field, bigint
 * columns become safe integers or a `StoredValueError` naming table, column and key.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeRow = <Row>(
  spec: TableSpec<Row>,
  dbRow: Readonly<Record<string, unknown>>
): Result.Result<Row, StoredValueError> => {
  const out: Record<string, unknown> = {}
  for (const col of spec.columns) {
    const value = dbRow[col.column]
    if (value === null || value === undefined || (col.absentAs !== undefined && value === col.absentAs)) {
      if (!col.optional) {
        return Result.fail(new StoredValueError({ table: spec.table, column: col.column, reason: `NULL in a required column (key ${keyText(spec, dbRow)})` }))
      }
      continue
    }
    const decoded = decodeValue(col.type, value)
    if (Result.isFailure(decoded)) {
      return Result.fail(new StoredValueError({ table: spec.table, column: col.column, reason: `${decoded.failure} (key ${keyText(spec, dbRow)})` }))
    }
    out[col.field] = decoded.success
  }
  return Result.succeed(out as Row)
}

/**
 * Applies a fallible conversion to every item in plain code, failing on the first failure (one Result for a
 * whole batch, so readers do not run an Effect per row).
 *
 * @category decoding
 * @since 0.1.0
 */
export const traverse = <A, B, E>(
  items: ReadonlyArray<A>,
  f: (item: A) => Result.Result<B, E>
): Result.Result<ReadonlyArray<B>, E> => {
  const out: Array<B> = []
  for (const item of items) {
    const r = f(item)
    if (Result.isFailure(r)) return Result.fail(r.failure)
    out.push(r.success)
  }
  return Result.succeed(out)
}

/**
 * Reads many rows, failing on the first that cannot be read.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeRows = <Row>(
  spec: TableSpec<Row>,
  dbRows: ReadonlyArray<Readonly<Record<string, unknown>>>
): Result.Result<ReadonlyArray<Row>, StoredValueError> => traverse(dbRows, (dbRow) => decodeRow(spec, dbRow))

const keyText = <Row>(spec: TableSpec<Row>, dbRow: Readonly<Record<string, unknown>>): string =>
  spec.key.map((k) => `${k}=${String(dbRow[k])}`).join(", ")

/**
 * The natural key of a row as one string (for de-duplicating a batch in memory).
 *
 * @category encoding
 * @since 0.1.0
 */
export const keyOf = <Row>(spec: TableSpec<Row>, row: Row): string => keyFunction(spec)(row)

/**
 * {@link keyOf} for many rows of one table: the key's columns are looked up once.
 *
 * @category encoding
 * @since 0.1.0
 */
export const keyFunction = <Row>(spec: TableSpec<Row>): ((row: Row) => string) => {
  const columns = spec.key.map((k) => spec.columns.find((c) => c.column === k))
  return (row) => JSON.stringify(columns.map((col) => (col === undefined ? null : encodeValue(col, row))))
}

/**
 * Double-quotes an identifier from a table description (never from user input).
 *
 * @category encoding
 * @since 0.1.0
 */
export const quote = (identifier: string): string => `"${identifier.replace(/"/gu, "\"\"")}"`
