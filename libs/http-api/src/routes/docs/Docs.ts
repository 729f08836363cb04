/**
 * `/openapi.json` (OpenAPI 3.1 generated from the routes' Schemas) and `/docs` (Swagger UI over it, served
 * locally).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Hono } from "hono"
import { describeRoute, openAPIRouteHandler } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { names } from "../../http/Responses.ts"
import { securityScheme } from "../../middleware/auth/ApiKeyAuth.ts"
import * as ProblemDetails from "../../problems/ProblemDetails.ts"
import { assetsPath, loadAssets, page } from "./SwaggerUi.ts"

/**
 * Where the OpenAPI document is served.
 *
 * @category constants
 * @since 0.1.0
 */
export const specPath = "/openapi.json"

const problemResponse = (description: string) => ({
  description,
  content: { [ProblemDetails.mediaType]: { schema: { $ref: "#/components/schemas/Problem" } } }
})

/**
 * The document-level parts: info, the bearer security scheme, and the problem responses every route refers to.
 *
 * @category documentation
 * @since 0.1.0
 */
export const documentation = (version: string) => ({
  info: {
    title: "Commissioning hub API",
    version,
    description:
      "NHS and local-government commissioning: organisations over time, coterminosity, delegations, budgets, the ingest's quarantine and the audit log. Every /v1 route needs an API key (`Authorization: Bearer <key>`) with the scope shown; errors are RFC 9457 problem+json."
  },
  tags: [
    { name: "organisations", description: "Bodies and their relationships as at a date" },
    { name: "coterminosity", description: "Health bodies' boundaries against councils'" },
    { name: "delegations", description: "Who is accountable for and who exercises commissioning functions" },
    { name: "ingest", description: "What the ingest rejected (quarantine)" },
    { name: "audit", description: "Who changed what and when" },
    { name: "budgets", description: "Budgets and published allocations" },
    { name: "dashboard", description: "The queue dashboard (bull-board) for people, behind the ops scope" },
    { name: "operations", description: "Health, readiness, metrics, docs" }
  ],
  components: {
    securitySchemes: {
      [securityScheme]: { type: "http" as const, scheme: "bearer", description: "An API key issued by the hub; scopes: read, write, ops, admin" }
    },
    schemas: {
      // A plain JSON Schema (no $schema key), as OpenAPI 3.1 components hold them.
      Problem: Schema.toJsonSchemaDocument(ProblemDetails.Problem).schema as Record<string, unknown>
    },
    responses: {
      [names[400]]: problemResponse("Malformed JSON or input that does not match the schema (every issue listed in `errors`)"),
      [names[401]]: problemResponse("No valid API key"),
      [names[403]]: problemResponse("The API key lacks the route's scope"),
      [names[404]]: problemResponse("Nothing found"),
      [names[405]]: problemResponse("Method not allowed on this path"),
      [names[409]]: problemResponse("Conflict with the current state"),
      [names[413]]: problemResponse("Body larger than the limit"),
      [names[415]]: problemResponse("Body is not application/json"),
      [names[422]]: problemResponse("Domain rules broken (every violation listed in `violations`)"),
      [names[429]]: problemResponse("Rate limit reached; see Retry-After"),
      [names[500]]: problemResponse("Unexpected error; quote the request id"),
      [names[503]]: problemResponse("The database or Redis is unavailable")
    }
  }
})

/**
 * The docs routes; `app` is the whole application the document describes.
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = <E extends GatewayEnv>(app: Hono<E>, version: string) => {
  const assets = loadAssets(specPath)
  const html = page("Commissioning hub API")
  return new Hono<GatewayEnv>()
    .get(
      specPath,
      describeRoute({ tags: ["operations"], summary: "This OpenAPI 3.1 document", responses: { 200: { description: "The document" } } }),
      openAPIRouteHandler(app, {
        documentation: documentation(version),
        defaultValidationErrorResponse: false,
        // The document itself ends in .json; the static assets are excluded by path instead.
        excludeStaticFile: false,
        exclude: [`${assetsPath}/{file}`]
      })
    )
    .get(
      "/docs",
      describeRoute({
        tags: ["operations"],
        summary: "Interactive API docs (Swagger UI)",
        responses: { 200: { description: "The docs page", content: { "text/html": { schema: { type: "string" } } } } }
      }),
      (c) => c.html(html)
    )
    .get(`${assetsPath}/:file`, (c) => {
      const asset = assets.get(c.req.param("file"))
      if (asset === undefined) return c.notFound()
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": asset.contentType,
        "Cache-Control": "public, max-age=3600"
      })
    })
}
