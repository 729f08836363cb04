/**
 * Input validation and its OpenAPI description from the same Effect Schemas. hono-openapi's built-in effect
 * adapter speaks Effect 3, so `registerEffectVendor` teaches it Effect 4 (draft 2020-12 JSON Schema from
 * `Schema.toStandardJSONSchemaV1`), and `validate` checks a part of the request with a decoder built once, so
 * that every issue, with its path, becomes one `ValidationFailed` and unknown fields are rejected.
 *
 * @since 0.1.0
 */
import { Cause, Exit, Result, Schema, SchemaIssue, SchemaParser } from "effect"
import type { Context, MiddlewareHandler, ValidationTargets } from "hono"
import { loadVendor, resolver, uniqueSymbol, validator } from "hono-openapi"
import { validator as honoValidator } from "hono/validator"
import { ValidationFailed } from "../problems/GatewayErrors.ts"
import { UnexpectedFailure } from "./UseCaseRunner.ts"

/** hono-openapi's JSON Schema type (JSON Schema 7 typings; the content is draft 2020-12, which OpenAPI 3.1 uses). */
type JsonSchemaOut = ReturnType<ReturnType<typeof resolver>["toJSONSchema"]>

/**
 * The JSON Schema of a schema's encoded (wire) side. With `onExcessProperty: "error"` objects are closed
 * (`additionalProperties: false`), matching how `validate` decodes.
 *
 * @category json-schema
 * @since 0.1.0
 */
export const toJsonSchema = (schema: Schema.Top, options?: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  if (options?.["onExcessProperty"] === "error") {
    const document = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
    return {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      ...document.schema,
      ...(Object.keys(document.definitions).length > 0 ? { $defs: document.definitions } : {})
    }
  }
  return Schema.toStandardJSONSchemaV1(schema)["~standard"].jsonSchema.input({ target: "draft-2020-12" })
}

let registered = false

/**
 * Registers the Effect 4 vendor with hono-openapi (idempotent; called by `createApp`, never at import time).
 *
 * @category json-schema
 * @since 0.1.0
 */
export const registerEffectVendor = (): void => {
  if (registered) return
  registered = true
  loadVendor("effect", {
    // The standard-schema wrapper keeps the Schema's AST, so it is still a Schema (hono-openapi types it unknown).
    toJSONSchema: (schema, options) => toJsonSchema(schema as Schema.Top, options) as JsonSchemaOut
  })
}

/** Where an issue lies, as clients name the parts of a request. */
const locations = { json: "body", query: "query", param: "path", header: "header", cookie: "cookie", form: "body" } as const

const parseOptions = { errors: "all", onExcessProperty: "error" } as const

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** The query string's parameters as Hono's validator reads them: one value as text, a repeated one as a list. */
const queryOf = (c: Context): Record<string, string | Array<string>> => {
  const value: Record<string, string | Array<string>> = Object.create(null)
  // Without a query string there is nothing to parse.
  if (!c.req.url.includes("?")) return value
  const all = c.req.queries()
  for (const name in all) {
    const values = all[name]
    if (values !== undefined) value[name] = values.length === 1 ? (values[0] as string) : values
  }
  return value
}

/** How many decoded query strings or paths each validator keeps. */
const decodedCapacity = 128

/**
 * A bounded memo of decoded values by their raw text (the query string, or the path's parameters). Decoding a
 * query or path is a pure function of its text, and clients repeat the same few (one body on one date): a hit
 * skips parsing the query string and the Schema's decoder. Input that fails to decode is never kept (it throws
 * each time); the decoded values are shared, and handlers only read them.
 */
const decodedMemo = () => {
  const known = new Map<string, object>()
  return (raw: string, decode: () => object): object => {
    const found = known.get(raw)
    if (found !== undefined) return found
    const value = decode()
    if (known.size >= decodedCapacity) known.delete(known.keys().next().value as string)
    known.set(raw, value)
    return value
  }
}

/**
 * Validates a part of the request with `schema`, decoding with `{ errors: "all", onExcessProperty: "error" }`:
 * every issue is reported with its path (`["query", "limit"]`), and unknown fields are rejected. The handler
 * reads the decoded value with `c.req.valid(target)`; the route's OpenAPI operation gets the same schema.
 *
 * The decoder is built once per route; query and path parameters are decoded synchronously in a middleware
 * that is not async itself (the body, which arrives asynchronously, goes through Hono's validator), and a
 * route keeps the values it decoded for its last 128 distinct query strings or paths. The
 * OpenAPI description is hono-openapi's validator's, built once and never run.
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = <S extends Schema.Top & Schema.ConstraintDecoder<unknown>, Target extends "json" | "query" | "param">(
  target: Target,
  schema: S
) => {
  const location = locations[target satisfies keyof ValidationTargets]
  const decode = SchemaParser.decodeUnknownExit(schema, parseOptions)
  const check = (value: unknown): S["Type"] => {
    const exit = decode(value)
    if (Exit.isSuccess(exit)) return exit.value
    const issue = Cause.findError(exit.cause)
    if (Result.isFailure(issue)) throw new UnexpectedFailure(exit.cause)
    throw new ValidationFailed({
      target: location,
      issues: formatIssues(issue.success).issues.map((found) => ({
        path: [location, ...(found.path ?? []).map((segment) => {
          const key = typeof segment === "object" ? segment.key : segment
          return typeof key === "number" ? key : String(key)
        })],
        message: found.message
      }))
    })
  }
  const described = validator(target, Schema.toStandardSchemaV1(schema, { parseOptions }), undefined, {
    options: { onExcessProperty: "error" }
  })
  const decoded = decodedMemo()
  const run: MiddlewareHandler = target === "json"
    ? honoValidator("json", (value): Record<string, unknown> => check(value) as Record<string, unknown>)
    : target === "query"
    ? (c, next) => {
      const url = c.req.url
      const at = url.indexOf("?")
      const raw = at < 0 ? "" : url.slice(at + 1)
      c.req.addValidatedData(target, decoded(raw, () => check(queryOf(c)) as object))
      return next()
    }
    : (c, next) => {
      const params = c.req.param() as Record<string, string>
      c.req.addValidatedData(target, decoded(JSON.stringify(params), () => check(params) as object))
      return next()
    }
  // The type hono-openapi's validator gives (what `c.req.valid(target)` reads) and its OpenAPI description.
  return Object.assign(run, { [uniqueSymbol]: described[uniqueSymbol as keyof typeof described] }) as unknown as typeof described
}

/**
 * A response schema for `describeRoute` (documentation only: handlers build typed values).
 *
 * @category documentation
 * @since 0.1.0
 */
export const documented = (schema: Schema.Top & Schema.ConstraintDecoder<unknown>) => resolver(Schema.toStandardSchemaV1(schema))
