import { serve, type ServerType } from "@hono/node-server"
import { Hono } from "hono"
import { secureHeaders } from "hono/secure-headers"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"
import * as SecureHeaders from "../secureHeaders/SecureHeaders.ts"

// Served by @hono/node-server the envelope writes its headers on Node's response, not on the fetch Response that
// `app.request` returns: these tests go over real loopback HTTP to check that path.
const { app, log } = makeTestApp({ limits: { bodyBytes: 4096 } })
let server: ServerType
let base = ""

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const expectSecured = (res: Response) => {
  for (const [name, value] of SecureHeaders.headers) expect(res.headers.get(name), name).toBe(value)
  expect(res.headers.get("x-powered-by")).toBeNull()
}

describe("the request envelope over HTTP", () => {
  it("puts the security headers and the echoed request id on a success, a problem, a 405 and a static asset", async () => {
    const answers = [
      await fetch(`${base}/v1/organisations/08Q?asOf=2015-06-01`, { headers: bearer(tokens.read, { "X-Request-Id": "http-ok" }) }),
      await fetch(`${base}/v1/organisations/08Q`, { headers: { "X-Request-Id": "http-401" } }),
      await fetch(`${base}/v1/organisations/08Q`, { method: "DELETE", headers: bearer(tokens.read, { "X-Request-Id": "http-405" }) }),
      await fetch(`${base}/docs/assets/swagger-ui.css`, { headers: { "X-Request-Id": "http-asset" } })
    ]
    expect(answers.map((res) => res.status)).toEqual([200, 401, 405, 200])
    expect(answers.map((res) => res.headers.get("x-request-id"))).toEqual(["http-ok", "http-401", "http-405", "http-asset"])
    for (const res of answers) expectSecured(res)
    expect(answers[2]?.headers.get("allow")).toBe("GET, HEAD")
    expect(answers[0]?.headers.get("content-type")).toBe("application/json")
    await Promise.all(answers.map((res) => res.arrayBuffer()))
  })

  it("answers an oversized body with 413 and still logs the request", async () => {
    const res = await fetch(`${base}/v1/delegations/check`, {
      method: "POST",
      headers: bearer(tokens.write, { "Content-Type": "application/json", "X-Request-Id": "http-413" }),
      body: JSON.stringify({ padding: "x".repeat(10_000) })
    })
    expect(res.status).toBe(413)
    expectSecured(res)
    expect(await res.json()).toMatchObject({ status: 413, requestId: "http-413" })
    expect(log.records().find((r) => r["requestId"] === "http-413")).toMatchObject({ status: 413, method: "POST" })
  })

  it("sends the same security headers Hono's secureHeaders would with the gateway's policy", async () => {
    const reference = new Hono()
    reference.use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"]
        }
      })
    )
    reference.get("/", (c) => c.text("ok"))
    const expected = [...(await reference.request("/")).headers].filter(([name]) => name !== "content-type")
    expect(new Map(SecureHeaders.headers)).toEqual(new Map(expected))
  })
})
