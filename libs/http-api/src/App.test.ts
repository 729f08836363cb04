import { Effect, Layer } from "effect"
import { findTargetHandler } from "hono/utils/handler"
import { beforeAll, describe, expect, it } from "vitest"
import { publicPaths } from "./App.ts"
import { dashboardPaths } from "./routes/admin/Admin.ts"
import { requiredScope } from "./middleware/auth/ApiKeyAuth.ts"
import { ApiKeys, type Scope } from "./ports/ApiKeys.ts"
import { DependencyUnavailable } from "./problems/GatewayErrors.ts"
import { bearer, makeTestApp, tokens, tokenWithout } from "./test-support/TestApp.ts"

const { app, log, runtime } = makeTestApp()
// Builds the runtime (reference data, in-memory database) before the first timed test: on a loaded machine the
// build alone can outlast a test's timeout.
beforeAll(() => runtime.context(), 180_000)

/** Every (method, path) the app answers, with the scope its `requireScope` declares (if any). */
const registered = (): Array<{ method: string; path: string; scope: Scope | undefined }> => {
  const found = new Map<string, { method: string; path: string; scope: Scope | undefined }>()
  for (const route of app.routes) {
    if (route.method === "ALL") continue
    const id = `${route.method} ${route.path}`
    const entry = found.get(id) ?? { method: route.method, path: route.path, scope: undefined }
    const scope = (findTargetHandler(route.handler) as { [requiredScope]?: Scope })[requiredScope]
    if (scope !== undefined) entry.scope = scope
    found.set(id, entry)
  }
  return [...found.values()]
}

const concrete = (path: string): string =>
  path.replace(/:code\b/u, "08Q").replace(/:file\b/u, "swagger-ui.css").replace(/\/\*$/u, "/api/queues")

/** Routes that need a key: the API under /v1 and the queue dashboard. */
const isGuarded = (path: string): boolean => path.startsWith("/v1/") || dashboardPaths.includes(path)

const send = (method: string, path: string, headers: Record<string, string> = {}) =>
  app.request(concrete(path), {
    method,
    headers: { ...headers, ...(method === "POST" ? { "Content-Type": "application/json" } : {}) },
    ...(method === "POST" ? { body: "{}" } : {})
  })

describe("every registered route", () => {
  const routes = registered()

  it("is either public (listed explicitly) or a /v1 or dashboard route guarded by a scope", () => {
    expect(routes.length).toBeGreaterThan(8)
    expect(routes.filter((r) => dashboardPaths.includes(r.path)).length).toBeGreaterThan(0)
    for (const route of routes) {
      if (isGuarded(route.path)) expect({ ...route, guarded: route.scope !== undefined }).toMatchObject({ guarded: true })
      else expect(publicPaths).toContain(route.path)
    }
  })

  const guarded = routes.filter((r) => isGuarded(r.path))
  it.each(guarded)("$method $path without a key is 401 problem+json with a Bearer challenge", async ({ method, path }) => {
    const res = await send(method, path)
    expect(res.status).toBe(401)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/u)
    expect(await res.json()).toMatchObject({ status: 401, title: "Unauthorized" })
  })

  it.each(guarded)("$method $path with an unknown, revoked or malformed key is 401", async ({ method, path }) => {
    for (const authorization of [`Bearer ${"x".repeat(30)}`, `Bearer ${tokens.revoked}`, `Basic ${tokens.admin}`, "Bearer"]) {
      expect((await send(method, path, { Authorization: authorization })).status).toBe(401)
    }
  })

  it.each(guarded)("$method $path with a key lacking the $scope scope is 403", async ({ method, path, scope }) => {
    for (const token of [tokenWithout(scope as Scope), tokens.none]) {
      const res = await send(method, path, bearer(token))
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ status: 403, detail: expect.stringContaining(`\`${scope}\``) })
    }
  })

  it.each(guarded)("$method $path with the $scope scope (or admin) gets past authorisation", async ({ method, path, scope }) => {
    for (const token of [tokens[scope as Scope], tokens.admin]) {
      expect([401, 403]).not.toContain((await send(method, path, bearer(token))).status)
    }
  })

  it.each(routes.filter((r) => !isGuarded(r.path)))("public $method $path answers without a key", async ({ method, path }) => {
    const res = await send(method, path, method === "GET" ? {} : { Origin: "http://localhost" })
    // The sign-in and sign-out forms answer with a redirect or the form again; every other public route with 200.
    expect(method === "GET" ? [200] : [303, 401]).toContain(res.status)
  })
})

describe("request ids", () => {
  it("echoes a sane incoming X-Request-Id on success and on problems, and names it in the problem", async () => {
    const ok = await app.request("/healthz", { headers: { "X-Request-Id": "abc-123_XYZ" } })
    expect(ok.headers.get("x-request-id")).toBe("abc-123_XYZ")
    const problem = await app.request("/v1/organisations", { headers: { "X-Request-Id": "req-401" } })
    expect(problem.headers.get("x-request-id")).toBe("req-401")
    expect(await problem.json()).toMatchObject({ requestId: "req-401" })
  })

  it("replaces an insane one (bad characters or too long) by a generated UUID", async () => {
    for (const incoming of ["<script>", "a b", "x".repeat(129)]) {
      const res = await app.request("/healthz", { headers: { "X-Request-Id": incoming } })
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u)
    }
  })

  it("generates distinct ids when none is sent", async () => {
    const a = (await app.request("/healthz")).headers.get("x-request-id")
    const b = (await app.request("/healthz")).headers.get("x-request-id")
    expect(a).not.toBe(b)
  })
})

describe("404 and 405", () => {
  it("an unknown path is a 404 problem", async () => {
    const res = await app.request("/nowhere")
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toMatchObject({ status: 404, instance: "/nowhere", type: "urn:hub:problem:not-found" })
  })

  it("a known path with another method is a 405 problem listing the allowed methods", async () => {
    const res = await app.request("/v1/organisations/08Q", { method: "DELETE", headers: bearer(tokens.read) })
    expect(res.status).toBe(405)
    expect(res.headers.get("allow")).toBe("GET, HEAD")
    expect(await res.json()).toMatchObject({ status: 405, allow: ["GET", "HEAD"] })
    expect((await app.request("/healthz", { method: "POST" })).status).toBe(405)
  })
})

describe("security headers", () => {
  it("sets the usual hardening headers and a CSP on every response", async () => {
    for (const res of [await app.request("/healthz"), await app.request("/v1/organisations")]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff")
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN")
      expect(res.headers.get("strict-transport-security")).toContain("max-age=")
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
    }
  })
})

describe("unexpected failures", () => {
  const dying = makeTestApp({
    apiKeys: Layer.succeed(ApiKeys, { findByHash: () => Effect.die(new Error("secret internal detail at db.example:5432")) })
  })

  it("are a 500 with a generic detail and the request id, and no internal message or stack", async () => {
    const res = await dying.app.request("/v1/organisations", { headers: bearer(tokens.read, { "X-Request-Id": "boom-1" }) })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain("secret internal detail")
    expect(text).not.toMatch(/\bat .*\.ts:\d+/u)
    expect(JSON.parse(text)).toMatchObject({ status: 500, requestId: "boom-1", detail: expect.stringContaining("request id") })
  })

  it("are logged with their cause for operators", () => {
    const errors = dying.log.records().filter((r) => r["level"] === 50)
    expect(errors.some((r) => r["requestId"] === "boom-1" && String(r["failure"]).includes("secret internal detail"))).toBe(true)
  })

  it("a dependency failure is a 503 naming the dependency", async () => {
    const down = makeTestApp({
      apiKeys: Layer.succeed(ApiKeys, { findByHash: () => Effect.fail(new DependencyUnavailable({ dependencies: ["database"] })) })
    })
    const res = await down.app.request("/v1/organisations", { headers: bearer(tokens.read) })
    expect(res.status).toBe(503)
    expect(res.headers.get("retry-after")).toBe("5")
    expect(await res.json()).toMatchObject({ status: 503, dependencies: ["database"] })
  })
})

describe("access log", () => {
  it("has one line per request, and never a token", () => {
    expect(log.lines.length).toBeGreaterThan(10)
    for (const token of Object.values(tokens)) expect(log.lines.join("\n")).not.toContain(token)
    expect(log.lines.join("\n").toLowerCase()).not.toContain("authorization")
  })
})
