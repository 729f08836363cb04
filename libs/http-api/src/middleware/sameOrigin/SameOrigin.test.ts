import { Hono } from "hono"
import { describe, expect, it } from "vitest"
import { isSameOrigin, isUnsafe } from "./SameOrigin.ts"

const app = new Hono().post("/x", (c) => c.text(String(isSameOrigin(c))))
const check = async (headers: Record<string, string>, url = "http://hub.example/x") =>
  (await (await app.request(url, { method: "POST", headers })).text()) === "true"

describe("isSameOrigin", () => {
  it("trusts the browser's Sec-Fetch-Site first", async () => {
    expect(await check({ "Sec-Fetch-Site": "same-origin" })).toBe(true)
    for (const site of ["same-site", "cross-site", "none"]) expect(await check({ "Sec-Fetch-Site": site, Origin: "http://hub.example" })).toBe(false)
  })

  it("otherwise compares the Origin's host with the request's, whatever the scheme (TLS ends at a proxy)", async () => {
    expect(await check({ Origin: "http://hub.example" })).toBe(true)
    expect(await check({ Origin: "https://hub.example", Host: "hub.example" })).toBe(true)
    expect(await check({ Origin: "https://hub.example.evil.test" })).toBe(false)
    expect(await check({ Origin: "http://hub.example:8081" })).toBe(false)
    expect(await check({ Origin: "null" })).toBe(false)
  })

  it("refuses a request that says nothing about where it comes from", async () => {
    expect(await check({})).toBe(false)
  })
})

describe("isUnsafe", () => {
  it("is every method but GET, HEAD and OPTIONS", () => {
    expect(["GET", "HEAD", "OPTIONS"].map(isUnsafe)).toEqual([false, false, false])
    expect(["POST", "PUT", "PATCH", "DELETE"].map(isUnsafe)).toEqual([true, true, true, true])
  })
})
