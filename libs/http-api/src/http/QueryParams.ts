/**
 * Schemas for the query-string parameters several routes share. Query values arrive as text; each schema
 * decodes the text into the kernel's types (dates, codes, tolerances) and documents the wire form.
 *
 * @since 0.1.0
 */
import { CalendarDate, Codes, Coterminosity } from "@hub/domain"
import { Schema, SchemaTransformation } from "effect"

/**
 * The date a question is asked "as at" (`YYYY-MM-DD`); today, by the server's clock, when absent.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AsOf = CalendarDate.CalendarDate.annotate({
  description: "The date the question is asked as at (YYYY-MM-DD); defaults to today (UTC)."
})

/**
 * The largest page a list returns.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxLimit = 200

/**
 * The page size when none is asked for.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultLimit = 50

/**
 * A page size: a whole number from 1 to 200, written in decimal.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Limit = Schema.String.annotate({ description: `Page size, 1 to ${maxLimit} (default ${defaultLimit}).` }).pipe(
  Schema.check(Schema.isPattern(/^[0-9]{1,4}$/u, { expected: "a whole number from 1 to 200" })),
  Schema.decodeTo(
    Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: maxLimit }, { expected: "a whole number from 1 to 200" })),
    SchemaTransformation.numberFromString
  )
)

/**
 * A coterminosity tolerance written in decimal (`0.05`): a share of at least 1 - tolerance counts as whole.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Tolerance = Schema.String.annotate({
  description: "Shares of at least 1 - tolerance count as whole; 0 <= tolerance < 1 (default 0)."
}).pipe(
  Schema.check(Schema.isPattern(/^(?:0|0?\.[0-9]{1,6})$/u, { expected: "a decimal from 0 up to (not including) 1, such as 0.05" })),
  Schema.decodeTo(Coterminosity.Tolerance, SchemaTransformation.numberFromString)
)

/**
 * The most codes a list parameter may hold.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxCodes = 500

/**
 * A comma-separated list of body codes (`08Q,10X`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const BodyCodeList = Schema.String.annotate({ description: `Comma-separated body codes (at most ${maxCodes}).` }).pipe(
  Schema.decodeTo(
    Schema.Array(Codes.BodyCode).check(Schema.isMinLength(1), Schema.isMaxLength(maxCodes)),
    SchemaTransformation.transform<ReadonlyArray<string>, string>({
      decode: (text: string) => text.split(",").map((code) => code.trim()).filter((code) => code.length > 0),
      encode: (codes: ReadonlyArray<string>) => codes.join(",")
    })
  )
)
