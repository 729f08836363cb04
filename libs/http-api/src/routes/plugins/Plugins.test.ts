import { Effect, Schema } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import type { Description, Installed } from "../../ports/Plugins.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

/** A secret the plugins' checks close over, as the apps' registered plugins do: it must never reach a response. */
const secret = "sk-live-0123456789-never-shown"

class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { system: Schema.String }) {
  readonly retryable = false as const
  override get message(): string {
    return `${this.system} refused the configured credentials`
  }
}

const describePlugin = (id: string, enabled: boolean): Description => ({
  id,
  version: "1.0.0",
  displayName: `The ${id} system`,
  externalSystem: id.toUpperCase(),
  description: `Talks to ${id}.`,
  enabled,
  streams: [{ name: "activity", recordType: "contract-activity", cursor: "row", description: "Monthly activity." }],
  pushes: [],
  hosts: [`${id}.example.org`],
  settings: [
    { name: "baseUrl", description: "Where it is.", secret: false, required: true, env: `${id.toUpperCase()}_BASE_URL`, status: enabled ? "set" : "unset" },
    { name: "apiKey", description: "Its key.", secret: true, required: true, env: `${id.toUpperCase()}_API_KEY`, status: enabled ? "set" : "unset" },
    { name: "pageSize", description: "Rows per page.", secret: false, required: false, status: "default" }
  ]
})

const configured = { apiKey: secret }
const plugins: ReadonlyArray<Installed> = [
  { description: describePlugin("zeta-finance", true), check: () => (configured.apiKey === secret ? Effect.void : Effect.die("unreachable")) },
  { description: describePlugin("alpha-returns", true), check: () => Effect.fail(new Unauthorized({ system: "alpha" })) },
  { description: describePlugin("mid-cbs", false) }
]

const { app, runtime } = makeTestApp({ plugins })
// Builds the runtime (reference data, in-memory database) once, before any request is timed by the test runner.
beforeAll(() => runtime.context(), 180_000)
const responses: Array<string> = []
const call = async (path: string, token: string = tokens.read, method = "GET") => {
  const res = await app.request(path, { method, headers: bearer(token) })
  const text = await res.text()
  responses.push(text)
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers }
}

describe("GET /v1/plugins", () => {
  it("lists the installed plugins sorted by id, enabled or not, with their settings' status", async () => {
    const { status, body } = await call("/v1/plugins")
    expect(status).toBe(200)
    const items = body["items"] as Array<Description>
    expect(items.map((p) => [p.id, p.enabled])).toEqual([["alpha-returns", true], ["mid-cbs", false], ["zeta-finance", true]])
    expect(items[1]?.settings.map((s) => s.status)).toEqual(["unset", "unset", "default"])
    expect(body["nextCursor"]).toBeNull()
  })

  it("pages with a stable cursor and a bounded page size", async () => {
    const first = await call("/v1/plugins?limit=2")
    expect((first.body["items"] as Array<Description>).map((p) => p.id)).toEqual(["alpha-returns", "mid-cbs"])
    const cursor = first.body["nextCursor"] as string
    const second = await call(`/v1/plugins?limit=2&cursor=${cursor}`)
    expect((second.body["items"] as Array<Description>).map((p) => p.id)).toEqual(["zeta-finance"])
    expect(second.body["nextCursor"]).toBeNull()
    expect((await call("/v1/plugins?limit=201")).status).toBe(400)
    expect((await call("/v1/plugins?limit=0")).status).toBe(400)
  })

  it("refuses a cursor it did not issue, and unknown parameters", async () => {
    const bad = await call("/v1/plugins?cursor=bm90LWEtY3Vyc29y")
    expect(bad.status).toBe(400)
    expect(bad.body["errors"]).toEqual([{ path: ["query", "cursor"], message: expect.any(String) }])
    expect((await call("/v1/plugins?colour=red")).status).toBe(400)
  })
})

describe("GET /v1/plugins/{id}", () => {
  it("answers one plugin with its streams, hosts and settings", async () => {
    const { status, body } = await call("/v1/plugins/zeta-finance")
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: "zeta-finance", enabled: true, streams: [{ name: "activity" }], hosts: ["zeta-finance.example.org"] })
    expect(body["settings"]).toContainEqual(expect.objectContaining({ name: "apiKey", secret: true, status: "set", env: "ZETA-FINANCE_API_KEY" }))
  })

  it("is a 404 problem for a plugin that is not installed, and a 400 for an id that cannot be one", async () => {
    const missing = await call("/v1/plugins/nowhere")
    expect(missing.status).toBe(404)
    expect(missing.headers.get("content-type")).toBe("application/problem+json")
    expect(missing.body).toMatchObject({ status: 404, detail: 'No plugin "nowhere" was found.' })
    const bad = await call("/v1/plugins/Not_An_Id")
    expect(bad.status).toBe(400)
    expect(bad.body["errors"]).toEqual([{ path: ["path", "id"], message: expect.stringContaining("kebab") }])
  })
})

describe("POST /v1/plugins/{id}/check", () => {
  it("needs the ops scope: 401 without a key, 403 with a read key", async () => {
    expect((await app.request("/v1/plugins/zeta-finance/check", { method: "POST" })).status).toBe(401)
    const forbidden = await call("/v1/plugins/zeta-finance/check", tokens.read, "POST")
    expect(forbidden.status).toBe(403)
    expect(forbidden.body["detail"]).toContain("`ops`")
  })

  it("runs the plugin's check and answers ok", async () => {
    const { status, body } = await call("/v1/plugins/zeta-finance/check", tokens.ops, "POST")
    expect(status).toBe(200)
    expect(body).toEqual({ plugin: "zeta-finance", ok: true, checkedAt: "2015-06-01T12:00:00.000Z", durationMs: 0 })
  })

  it("a failing check is an answer with the plugin's reason, not a problem of the request", async () => {
    const { status, body } = await call("/v1/plugins/alpha-returns/check", tokens.ops, "POST")
    expect(status).toBe(200)
    expect(body).toMatchObject({ ok: false, failure: { tag: "Unauthorized", message: "alpha refused the configured credentials", retryable: false } })
  })

  it("is a 409 naming what to set for a plugin that is not enabled, and a 404 for one not installed", async () => {
    const disabled = await call("/v1/plugins/mid-cbs/check", tokens.ops, "POST")
    expect(disabled.status).toBe(409)
    expect(disabled.body["detail"]).toContain("MID-CBS_BASE_URL")
    expect((await call("/v1/plugins/nowhere/check", tokens.ops, "POST")).status).toBe(404)
  })
})

describe("secrets", () => {
  it("never appear in any response", () => {
    expect(responses.length).toBeGreaterThan(10)
    for (const text of responses) expect(text).not.toContain(secret)
  })
})
