/**
 * Input validation and its OpenAPI description from the same Effect Schemas. hono-openapi's built-in effect
 * adapter speaks Effect 3, so `registerEffectVendor` teaches it Effect 4 (draft 2020-12 JSON Schema from
 * `Schema.toStandardJSONSchemaV1`), and `validate` wraps its validator so that every issue, with its path,
 * becomes one `ValidationFailed` and unknown fields are rejected.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { ValidationTargets } from "hono"
import { loadVendor, resolver, validator } from "hono-openapi"
import { ValidationFailed } from "../problems/GatewayErrors.ts"

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

/**
 * Validates a part of the request with `schema`, decoding with `{ errors: "all", onExcessProperty: "error" }`:
 * every issue is reported with its path (`["query", "limit"]`), and unknown fields are rejected. The handler
 * reads the decoded value with `c.req.valid(target)`; the route's OpenAPI operation gets the same schema.
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = <S extends Schema.Top & Schema.ConstraintDecoder<unknown>, Target extends "json" | "query" | "param">(
  target: Target,
  schema: S
) => {
  const location = locations[target satisfies keyof ValidationTargets]
  return validator(
    target,
    Schema.toStandardSchemaV1(schema, { parseOptions: { errors: "all", onExcessProperty: "error" } }),
    (result) => {
      if (result.success) return
      throw new ValidationFailed({
        target: location,
        issues: result.error.map((issue) => ({
          path: [location, ...(issue.path ?? []).map((segment) => {
            const key = typeof segment === "object" ? segment.key : segment
            return typeof key === "number" ? key : String(key)
          })],
          message: issue.message
        }))
      })
    },
    { options: { onExcessProperty: "error" } }
  )
}

/**
 * A response schema for `describeRoute` (documentation only: handlers build typed values).
 *
 * @category documentation
 * @since 0.1.0
 */
export const documented = (schema: Schema.Top & Schema.ConstraintDecoder<unknown>) => resolver(Schema.toStandardSchemaV1(schema))
