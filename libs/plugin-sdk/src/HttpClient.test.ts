import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import * as HttpClient from "./HttpClient.ts"
import type { PluginError } from "./PluginError.ts"

const failureOf = async <A>(effect: Effect.Effect<A, PluginError>): Promise<PluginError> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") throw new Error(Cause.pretty(exit.cause))
  return error.value
}

/** A fetch that must never be called: refusals happen before any connection. */
const fetchSpy = () => vi.fn<typeof fetch>(() => Promise.reject(new Error("fetch must not be called")))

describe("HttpClient refuses before connecting", () => {
  it.each([
    ["http://10.0.0.1/data", "private"],
    ["http://172.16.5.4/", "private"],
    ["http://192.168.0.10:8080/", "private"],
    ["http://169.254.169.254/latest/meta-data", "link-local"],
    ["http://127.0.0.1:9/", "loopback"],
    ["http://[::1]:9/", "loopback"],
    ["http://[::ffff:10.0.0.1]/", "private"],
    ["http://[fe80::1]/", "link-local"],
    ["http://[fd00::1]/", "private"],
    ["http://0.0.0.0/", "unspecified"]
  ])("%s (%s) without any fetch", async (url, kind) => {
    const fetch = fetchSpy()
    const client = HttpClient.makeHttpClient({ allowedHosts: [new URL(url).hostname], fetch })
    const error = await failureOf(client.request({ method: "GET", url }))
    expect(error._tag).toBe("HostRefused")
    expect(error.message).toContain(kind)
    expect(error.retryable).toBe(false)
    expect(fetch).not.toHaveBeenCalled()
  })

  it("a host that is not on the allowed list, without resolving or fetching it", async () => {
    const fetch = fetchSpy()
    const lookup = vi.fn(() => Promise.resolve([{ address: "93.184.216.34", family: 4 }]))
    const client = HttpClient.makeHttpClient({ allowedHosts: ["*.gov.uk"], fetch, lookup })
    const error = await failureOf(client.request({ method: "GET", url: "https://example.com/spend.csv" }))
    expect(error._tag).toBe("HostRefused")
    expect(error.message).toContain("not on the plugin's allowed list")
    expect(lookup).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
  })

  it("an allowed name that resolves to a private address (any one of several)", async () => {
    const fetch = fetchSpy()
    const lookup = () => Promise.resolve([{ address: "51.1.2.3", family: 4 }, { address: "::ffff:192.168.1.5", family: 6 }])
    const client = HttpClient.makeHttpClient({ allowedHosts: ["finance.example.gov.uk"], fetch, lookup })
    const error = await failureOf(client.request({ method: "GET", url: "https://finance.example.gov.uk/" }))
    expect(error._tag).toBe("HostRefused")
    expect(error.message).toContain("192.168.1.5")
    expect(fetch).not.toHaveBeenCalled()
  })

  it("schemes other than http(s) and credentials in the URL", async () => {
    const fetch = fetchSpy()
    const client = HttpClient.makeHttpClient({ allowedHosts: ["*.gov.uk", "x.gov.uk"], fetch })
    expect((await failureOf(client.request({ method: "GET", url: "file:///etc/passwd" })))._tag).toBe("HostRefused")
    expect((await failureOf(client.request({ method: "GET", url: "https://u:p@x.gov.uk/" })))._tag).toBe("HostRefused")
    expect(fetch).not.toHaveBeenCalled()
  })

  it("a name that does not resolve is Unreachable (retryable)", async () => {
    const fetch = fetchSpy()
    const lookup = () => Promise.reject(new Error("ENOTFOUND"))
    const client = HttpClient.makeHttpClient({ allowedHosts: ["nowhere.gov.uk"], fetch, lookup })
    const error = await failureOf(client.request({ method: "GET", url: "https://nowhere.gov.uk/" }))
    expect(error._tag).toBe("Unreachable")
    expect(error.retryable).toBe(true)
    expect(fetch).not.toHaveBeenCalled()
  })

  it("a public address on the list is fetched", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response("ok", { status: 200, headers: { "X-Rows": "3" } })))
    const lookup = () => Promise.resolve([{ address: "51.1.2.3", family: 4 }])
    const client = HttpClient.makeHttpClient({ allowedHosts: ["*.gov.uk"], fetch, lookup })
    const response = await Effect.runPromise(client.request({ method: "GET", url: "https://finance.example.gov.uk/x" }))
    expect(response.body).toBe("ok")
    expect(response.headers["x-rows"]).toBe("3")
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe("HttpClient on loopback", () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/slow") {
        setTimeout(() => res.end("late"), 2_000).unref()
        return
      }
      if (req.url === "/busy") {
        res.writeHead(429, { "retry-after": new Date(Date.now() + 120_000).toUTCString() }).end()
        return
      }
      if (req.url === "/endless") {
        // No Content-Length and no end: only a client that counts the bytes it reads stops before the deadline.
        res.writeHead(200, { "content-type": "text/csv" })
        const chunk = "x".repeat(1024)
        const timer = setInterval(() => res.write(chunk), 5)
        res.on("close", () => clearInterval(timer))
        return
      }
      if (req.url === "/announced") {
        // Announces 10 MB, sends a little and then nothing: the client must refuse on the header alone.
        res.writeHead(200, { "content-type": "text/csv", "content-length": String(10_000_000) })
        res.write("x".repeat(100))
        return
      }
      if (req.url === "/exact") {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(Buffer.from("\uFEFFcafé £4", "utf8"))
        return
      }
      if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://10.0.0.1/" }).end()
        return
      }
      res.writeHead(200, { "content-type": "text/plain" }).end(`hello ${req.method}`)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it("reaches a loopback server when loopback is allowed", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true })
    const response = await Effect.runPromise(client.request({ method: "POST", url: `${url}/x`, body: "{}" }))
    expect(response.status).toBe(200)
    expect(response.body).toBe("hello POST")
  })

  it("turns a missed deadline into a Timeout (retryable)", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true, timeoutMs: 150 })
    const error = await failureOf(client.request({ method: "GET", url: `${url}/slow` }))
    expect(error._tag).toBe("Timeout")
    expect(error.retryable).toBe(true)
  })

  it("stops reading a body without Content-Length as soon as it passes the size cap (not retryable)", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true, timeoutMs: 5_000, maxResponseBytes: 20_000 })
    const started = performance.now()
    const error = await failureOf(client.request({ method: "GET", url: `${url}/endless` }))
    expect(error._tag).toBe("ResponseTooLarge")
    expect(error.retryable).toBe(false)
    const { limitBytes, seenBytes } = error as PluginError & { readonly limitBytes: number; readonly seenBytes: number }
    expect(limitBytes).toBe(20_000)
    // Stopped within one chunk of the limit, long before the deadline.
    expect(seenBytes).toBeGreaterThan(20_000)
    expect(seenBytes).toBeLessThanOrEqual(20_000 + 1024)
    expect(performance.now() - started).toBeLessThan(4_000)
    expect(error.message).toContain(`${url}/endless`)
    expect(error.message).toContain("20000")
  })

  it("refuses a body whose Content-Length announces more than the size cap, without waiting for it", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true, timeoutMs: 5_000, maxResponseBytes: 1_000_000 })
    const error = await failureOf(client.request({ method: "GET", url: `${url}/announced` }))
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 1_000_000, seenBytes: 10_000_000, retryable: false })
  })

  it("a body up to the size cap is read whole, decoded as UTF-8 like Response.text()", async () => {
    const bytes = Buffer.byteLength("\uFEFFcafé £4", "utf8")
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true, maxResponseBytes: bytes })
    const response = await Effect.runPromise(client.request({ method: "GET", url: `${url}/exact` }))
    expect(response.body).toBe("café £4")
    const oneShort = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true, maxResponseBytes: bytes - 1 })
    expect((await failureOf(oneShort.request({ method: "GET", url: `${url}/exact` })))._tag).toBe("ResponseTooLarge")
  })

  it("does not follow a redirect (it could lead off the allowed list)", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true })
    const response = await Effect.runPromise(client.request({ method: "GET", url: `${url}/redirect` }))
    expect(response.status).toBe(302)
    const error = await failureOf(HttpClient.expectSuccess(response))
    expect(error._tag).toBe("BadConfiguration")
  })

  it("turns a Retry-After HTTP date into delay-seconds, so the 429 carries a delay", async () => {
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true })
    const response = await Effect.runPromise(client.request({ method: "GET", url: `${url}/busy` }))
    const seconds = Number(response.headers["retry-after"])
    expect(seconds).toBeGreaterThan(100)
    expect(seconds).toBeLessThanOrEqual(121)
    const error = await failureOf(HttpClient.expectSuccess(response))
    expect(error._tag === "RateLimited" && error.retryAfterMs).toBe(seconds * 1000)
  })

  it("a refused connection is Unreachable (retryable)", async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const client = HttpClient.makeHttpClient({ allowedHosts: ["127.0.0.1"], allowLoopback: true })
    const error = await failureOf(client.request({ method: "GET", url: `http://127.0.0.1:${port}/` }))
    expect(error._tag).toBe("Unreachable")
    expect(error.retryable).toBe(true)
  })
})

describe("expectSuccess maps statuses to plugin errors", () => {
  const response = (status: number, headers: Record<string, string> = {}, body = ""): HttpClient.HttpResponse => ({
    url: "http://sim/x",
    status,
    headers,
    body
  })

  it.each([
    [500, "ServerError", true],
    [503, "ServerError", true],
    [429, "RateLimited", true],
    [401, "Unauthorized", false],
    [403, "Unauthorized", false],
    [404, "BadConfiguration", false]
  ] as const)("%i on a read is %s (retryable %s)", async (status, tag, retryable) => {
    const error = await failureOf(HttpClient.expectSuccess(response(status)))
    expect(error._tag).toBe(tag)
    expect(error.retryable).toBe(retryable)
  })

  it("a 422 on a push is Rejected with the problem detail", async () => {
    const body = JSON.stringify({ title: "Unprocessable", detail: "unknown fund BCF-X" })
    const error = await failureOf(HttpClient.expectSuccess(response(422, {}, body), { pushKind: "pooled-contributions" }))
    expect(error._tag).toBe("Rejected")
    expect(error.message).toContain("unknown fund BCF-X")
  })

  it("decodeJson names a body that is not what the schema expects", async () => {
    const { Schema } = await import("effect")
    const schema = Schema.Struct({ id: Schema.String })
    const ok = await Effect.runPromise(HttpClient.decodeJson(response(200, {}, "{\"id\":\"x\"}"), schema))
    expect(ok.id).toBe("x")
    const notJson = await failureOf(HttpClient.decodeJson(response(200, {}, "<html>"), schema))
    expect(notJson.message).toContain("not JSON")
    const wrong = await failureOf(HttpClient.decodeJson(response(200, {}, "{\"id\":1}"), schema))
    expect(wrong._tag).toBe("ServerError")
    expect(wrong.message).toContain("id")
  })

  it("a 429 carries Retry-After seconds as milliseconds", async () => {
    const error = await failureOf(HttpClient.expectSuccess(response(429, { "retry-after": "12" })))
    expect(error._tag === "RateLimited" && error.retryAfterMs).toBe(12_000)
  })
})
