import { Validator } from "@seriousme/openapi-schema-validator"
import { describe, expect, it } from "vitest"
import { publicPaths } from "../../App.ts"
import { makeTestApp } from "../../test-support/TestApp.ts"
import { assetsPath } from "./SwaggerUi.ts"

const { app } = makeTestApp()

interface Operation {
  readonly security?: ReadonlyArray<Record<string, ReadonlyArray<string>>>
  readonly responses: Record<string, unknown>
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string }>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Record<string, unknown> }> }
}
type Document = { readonly openapi: string; readonly paths: Record<string, Record<string, Operation>> } & Record<string, unknown>

const fetchDocument = async (): Promise<Document> => {
  const res = await app.request("/openapi.json")
  expect(res.status).toBe(200)
  return (await res.json()) as Document
}

const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/gu, "{$1}")

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await fetchDocument()
    expect(document.openapi).toBe("3.1.0")
    const result = await new Validator().validate(document)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
  })

  it("describes every route the app registers (except the docs' static assets and bull-board's own paths)", async () => {
    const document = await fetchDocument()
    const routes = app.routes.filter((r) => r.method !== "ALL" && !r.path.startsWith(assetsPath) && r.path !== "/admin/queues/*")
    expect(routes.length).toBeGreaterThan(8)
    for (const route of routes) {
      const operation = document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()]
      expect({ route: `${route.method} ${route.path}`, documented: operation !== undefined }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true
      })
    }
  })

  it("every /v1 operation requires the bearer scheme with its scope and documents a success, 401, 403 and 429", async () => {
    const document = await fetchDocument()
    expect(document["components"]).toMatchObject({ securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } })
    const v1 = Object.entries(document.paths).filter(([path]) => path.startsWith("/v1/"))
    expect(v1.length).toBe(22)
    for (const [, operations] of v1) {
      for (const operation of Object.values(operations)) {
        expect(operation.security).toEqual([{ bearerAuth: [expect.stringMatching(/^(read|write|ops|admin)$/u)] }])
        // A success (200, or 202 for an accepted job) and the auth and rate-limit problems.
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["401", "403", "429"]))
        expect(Object.keys(operation.responses).some((status) => /^2[0-9]{2}$/u.test(status))).toBe(true)
      }
    }
    for (const path of publicPaths.filter((p) => !p.startsWith(assetsPath))) {
      expect(document.paths[toOpenApiPath(path)]?.["get"]?.security).toBeUndefined()
    }
  })

  it("generates parameters and bodies from the handlers' Schemas, with closed request objects", async () => {
    const document = await fetchDocument()
    const list = document.paths["/v1/organisations"]?.["get"]
    expect(list?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ["query:asOf", "query:cursor", "query:group", "query:kind", "query:limit", "query:text"]
    )
    const detail = document.paths["/v1/organisations/{code}"]?.["get"]
    expect(detail?.parameters?.map((p) => `${p.in}:${p.name}`)).toContain("path:code")
    const check = document.paths["/v1/delegations/check"]?.["post"]
    const schema = check?.requestBody?.content["application/json"]?.schema
    expect(schema).toMatchObject({ type: "object", additionalProperties: false, required: ["delegations"] })
    expect(Object.keys(check?.responses ?? {})).toEqual(expect.arrayContaining(["400", "413", "415", "422"]))
  })
})

describe("GET /docs", () => {
  it("serves Swagger UI from this server only: no CDN, no inline script", async () => {
    const res = await app.request("/docs")
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain(`${assetsPath}/swagger-ui-bundle.js`)
    expect(html).not.toMatch(/https?:\/\//u)
    expect(html).not.toMatch(/<script>(?!<\/script>)/u)
  })

  it("serves the assets from node_modules, and the initializer pointing at /openapi.json", async () => {
    for (const file of ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"]) {
      const res = await app.request(`${assetsPath}/${file}`)
      expect(res.status).toBe(200)
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100)
    }
    const init = await (await app.request(`${assetsPath}/initializer.js`)).text()
    expect(init).toContain('"/openapi.json"')
    expect((await app.request(`${assetsPath}/nothing.js`)).status).toBe(404)
  })
})
