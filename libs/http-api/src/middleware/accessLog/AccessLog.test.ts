import { describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

describe("access log", () => {
  it("logs method, route template, status, duration, request id and key id as JSON", async () => {
    const { app, log } = makeTestApp()
    await app.request("/v1/organisations/08Q?asOf=2015-06-01", { headers: bearer(tokens.read, { "X-Request-Id": "log-1" }) })
    const line = log.records().find((r) => r["requestId"] === "log-1")
    expect(line).toMatchObject({ msg: "request", method: "GET", route: "/v1/organisations/:code", status: 200, keyId: "key-read" })
    expect(typeof line?.["durationMs"]).toBe("number")
  })

  it("never contains a token or the Authorization header, whatever the outcome", async () => {
    const { app, log } = makeTestApp()
    const secret = "a-token-nobody-issued-0123456789"
    await app.request("/v1/organisations", { headers: bearer(secret) })
    await app.request("/v1/organisations", { headers: bearer(tokens.admin) })
    await app.request("/v1/organisations?limit=oops", { headers: bearer(tokens.read) })
    await app.request("/v1/delegations/check", { method: "POST", headers: bearer(tokens.write, { "Content-Type": "application/json" }), body: "{" })
    expect(log.lines.length).toBe(4)
    const all = log.lines.join("\n")
    for (const token of [secret, ...Object.values(tokens)]) expect(all).not.toContain(token)
    expect(all.toLowerCase()).not.toContain("bearer")
    expect(all.toLowerCase()).not.toContain("authorization")
    expect(log.records().map((r) => r["status"])).toEqual([401, 200, 400, 403])
  })
})
