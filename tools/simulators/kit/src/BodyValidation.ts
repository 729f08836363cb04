/**
 * Validates a JSON request body against an Effect Schema and turns every issue into `{ field, message }`, so a
 * simulator's 400/422 responses name the offending field (`lines[3].amount`) the way a real service would.
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import type { Context } from "hono"
import * as Problem from "./Problem.ts"

/**
 * One validation failure: the dotted path of the field (empty for the whole body) and what is wrong.
 *
 * @category models
 * @since 0.1.0
 */
export interface FieldError {
  readonly field: string
  readonly message: string
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const fieldOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

/**
 * Decodes `input` with `schema`, collecting all issues (not just the first). With `exact`, a member the schema
 * does not name is an issue too (for admin APIs, where a misspelt option must not be ignored silently).
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  input: unknown,
  options: { readonly exact?: boolean } = {}
): Result.Result<S["Type"], ReadonlyArray<FieldError>> =>
  Result.mapError(
    Schema.decodeUnknownResult(schema)(input, { errors: "all", ...(options.exact === true ? { onExcessProperty: "error" as const } : {}) }),
    (error) =>
    formatter(error.issue).issues.map((issue) => ({
      field: fieldOf((issue.path ?? []).map((p) => (typeof p === "object" ? p.key : p))),
      message: issue.message
    }))
  )

/**
 * Reads the request body as JSON and validates it; a body that is not JSON or does not match the schema gives
 * a 400 problem response listing `errors`.
 *
 * @category validation
 * @since 0.1.0
 */
export const readJson = async <S extends Schema.ConstraintDecoder<unknown>>(
  c: Context,
  schema: S
): Promise<Result.Result<S["Type"], Response>> => {
  const text = await c.req.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return Result.fail(Problem.response(400, "Bad Request", "the request body is not valid JSON"))
  }
  return Result.mapError(validate(schema, json), (errors) =>
    Problem.response(400, "Bad Request", `the request body is invalid: ${errors.map((e) => `${e.field || "(body)"}: ${e.message}`).join("; ")}`, { errors })
  )
}
