import { describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

let time = 1_000_000
const { app, log } = makeTestApp({ now: () => time, limits: { sessionTtlMs: 60_000, authCacheTtlMs: 1 } })

const origin = "http://localhost"
const form = (key: string, headers: Record<string, string> = { Origin: origin }) =>
  app.request("/admin/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ key }).toString()
  })

/** Signs in and returns the `name=value` of the session cookie and its full Set-Cookie header. */
const signIn = async (key: string) => {
  const res = await form(key)
  expect(res.status).toBe(303)
  const setCookie = res.headers.get("set-cookie") ?? ""
  return { cookie: setCookie.split(";")[0] ?? "", setCookie, res }
}

const page = (path: string, cookie?: string) =>
  app.request(path, { headers: { Accept: "text/html", ...(cookie === undefined ? {} : { Cookie: cookie }) } })

describe("the sign-in page", () => {
  it("is a form posting the key to /admin/sign-in", async () => {
    const res = await page("/admin/sign-in")
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<form method="post" action="/admin/sign-in">')
    expect(html).toContain('name="key" type="password"')
  })
})

describe("signing in", () => {
  it("with an ops key sets an opaque, HttpOnly, SameSite=Strict session cookie and redirects to the dashboard", async () => {
    const { setCookie, cookie, res } = await signIn(tokens.ops)
    expect(res.headers.get("location")).toBe("/admin/queues")
    expect(setCookie).toMatch(/^hub_session=[A-Za-z0-9_-]{43};/u)
    expect(setCookie).toContain("HttpOnly")
    expect(setCookie).toContain("SameSite=Strict")
    expect(setCookie).toContain("Path=/admin")
    expect(setCookie).not.toContain("Secure")
    expect(setCookie).not.toContain(tokens.ops)
    const dashboard = await page("/admin/queues", cookie)
    expect(dashboard.status).toBe(200)
    expect(await dashboard.text()).toContain("Hub queues (read-only)")
  })

  it("behind an https proxy marks the cookie Secure", async () => {
    const res = await form(tokens.ops, { Origin: "https://hub.example", Host: "hub.example", "X-Forwarded-Proto": "https" })
    expect(res.status).toBe(303)
    expect(res.headers.get("set-cookie")).toContain("Secure")
  })

  it("with an admin key gets the full board", async () => {
    const { cookie } = await signIn(tokens.admin)
    const html = await (await page("/admin/queues", cookie)).text()
    expect(html).toContain("Hub queues")
    expect(html).not.toContain("read-only")
  })

  it("with an unknown, revoked or read-only key shows the form again with the reason, and no cookie", async () => {
    for (const [key, status, reason] of [
      ["not-a-key-0123456789", 401, "not valid"],
      [tokens.revoked, 401, "not valid"],
      [tokens.read, 403, "lacks the ops scope"]
    ] as const) {
      const res = await form(key)
      expect(res.status).toBe(status)
      expect(res.headers.get("set-cookie")).toBeNull()
      expect(await res.text()).toContain(reason)
    }
  })

  it("from another site, or with no Origin at all, is refused (CSRF)", async () => {
    for (const headers of [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site", Origin: origin }, {}]) {
      const res = await form(tokens.ops, headers)
      expect(res.status).toBe(403)
      expect(res.headers.get("set-cookie")).toBeNull()
      expect(await res.json()).toMatchObject({ type: "urn:hub:problem:cross-origin" })
    }
    expect((await form(tokens.ops, { "Sec-Fetch-Site": "same-origin" })).status).toBe(303)
  })

  it("never logs the key", () => {
    const text = log.lines.join("\n")
    for (const token of Object.values(tokens)) expect(text).not.toContain(token)
  })
})

describe("the dashboard without a session", () => {
  it("sends a browser page request to the sign-in page, and answers API calls 401", async () => {
    const res = await page("/admin/queues")
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toBe("/admin/sign-in")
    const api = await app.request("/admin/queues/api/queues")
    expect(api.status).toBe(401)
    expect(api.headers.get("content-type")).toBe("application/problem+json")
    expect((await page("/admin/queues", "hub_session=forged-session-id-that-does-not-exist-0000000")).status).toBe(303)
  })

  it("accepts a bearer key instead (scripts, curl), with the ops scope", async () => {
    const res = await app.request("/admin/queues/api/queues", { headers: bearer(tokens.ops) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ queues: [] })
    expect((await app.request("/admin/queues/api/queues", { headers: bearer(tokens.read) })).status).toBe(403)
  })
})

describe("a session", () => {
  it("sends the board's assets", async () => {
    const { cookie } = await signIn(tokens.ops)
    const html = await (await page("/admin/queues", cookie)).text()
    const script = /src="(static\/js\/main\.[a-z0-9]+\.js)"/u.exec(html)?.[1]
    expect(script).toBeDefined()
    const asset = await app.request(`/admin/queues/${script}`, { headers: { Cookie: cookie } })
    expect(asset.status).toBe(200)
    expect(asset.headers.get("content-type")).toContain("javascript")
  })

  it("must come from the same origin to change anything", async () => {
    const { cookie } = await signIn(tokens.admin)
    const pause = (headers: Record<string, string>) =>
      app.request("/admin/queues/api/queues/pause", { method: "PUT", headers: { Cookie: cookie, ...headers } })
    expect((await pause({ Origin: "https://evil.example" })).status).toBe(403)
    expect((await pause({})).status).toBe(403)
    expect((await pause({ Origin: origin })).status).toBe(200)
  })

  it("ends at sign-out", async () => {
    const { cookie } = await signIn(tokens.ops)
    const out = await app.request("/admin/sign-out", { method: "POST", headers: { Cookie: cookie, Origin: origin } })
    expect(out.status).toBe(303)
    expect(out.headers.get("location")).toBe("/admin/sign-in")
    expect(out.headers.get("set-cookie")).toMatch(/^hub_session=;.*Max-Age=0/u)
    expect((await page("/admin/queues", cookie)).status).toBe(303)
  })

  it("expires after its time to live", async () => {
    const { cookie } = await signIn(tokens.ops)
    expect((await page("/admin/queues", cookie)).status).toBe(200)
    time += 60_001
    expect((await page("/admin/queues", cookie)).status).toBe(303)
  })
})
