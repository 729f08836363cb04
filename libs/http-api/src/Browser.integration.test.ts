import { QueueLayer } from "@hub/queue"
import { ApiKeyRepo, Store } from "@hub/store"
import { Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { Redis } from "ioredis"
import { randomBytes, randomUUID } from "node:crypto"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { pino } from "pino"
import { type Browser, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as GatewayHost from "./GatewayHost.ts"
import { hashToken } from "./ports/ApiKeys.ts"
import { logCapture } from "./test-support/TestApp.ts"

// A real browser (Debian's chromium, driven by playwright-core) against the real gateway on a loopback port: the
// store in memory (PGlite), the queues on the machine's Redis under a key prefix of this run only.
const chromiumPath = process.env["HUB_CHROMIUM"] ?? "/usr/bin/chromium"
const redisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"
const prefix = `{gwbrowser-${randomUUID().slice(0, 8)}}`
const artefacts = join(dirname(fileURLToPath(import.meta.url)), "..", "test-artefacts")
const opsToken = `browser-ops-${randomBytes(18).toString("base64url")}`
const queueNames = GatewayHost.queueNamesOf(["council-finance"])

const hub = ManagedRuntime.make(Layer.merge(Store.layerTest, QueueLayer.layer({ url: redisUrl, prefix })))
let scope: Scope.Closeable | undefined
let browser: Browser | undefined
let url = ""

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium), or run scripts/test.sh, which does`)
  }
  mkdirSync(artefacts, { recursive: true })
  const services = await hub.runPromise(
    Effect.gen(function*() {
      const keys = yield* ApiKeyRepo.ApiKeyRepo
      yield* keys.create({ id: "browser-ops", name: "Browser test (ops)", hash: hashToken(opsToken), scopes: ["ops"] })
      return yield* Effect.context<Layer.Success<typeof Store.layerTest> | Layer.Success<ReturnType<typeof QueueLayer.layer>>>()
    })
  )
  scope = await Effect.runPromise(Scope.make())
  const address = await Effect.runPromise(
    Scope.provide(
      GatewayHost.serve({
        layer: GatewayHost.portsLayer([], []).pipe(Layer.provideMerge(Layer.succeedContext(services))),
        logger: pino({ level: "info" }, logCapture().stream),
        listen: { port: 0, host: "127.0.0.1" },
        queueNames
      }),
      scope
    )
  )
  url = `http://127.0.0.1:${address.port}`
  // A fresh profile in a temporary folder of playwright's own, removed when the browser closes.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
})

afterAll(async () => {
  await browser?.close()
  if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  await hub.dispose()
  const redis = new Redis(redisUrl)
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

/** Whether a file is a PNG image with some content (the signature, then an IHDR chunk). */
const isPng = (path: string): boolean => {
  const bytes = readFileSync(path)
  return bytes.length > 100 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) &&
    bytes.subarray(12, 16).toString("latin1") === "IHDR"
}

describe("the dashboard and the docs in a real browser", () => {
  it("signs in with an ops key, sees the hub's queues in bull-board, then sees Swagger UI render the API's operations", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: Array<string> = []
    // A script refused by the Content-Security-Policy or failing is reported on the console as an error. Two are
    // expected and left out: bull-board 9.10.1's page links Google Fonts, which the CSP refuses (so it never leaves
    // the machine; the board falls back to local fonts), and failed loads, which `failed` below checks by path.
    page.on("console", (message) => {
      const text = message.text()
      if (message.type() !== "error" || text.startsWith("Failed to load resource")) return
      if (text.includes("https://fonts.googleapis.com/") && text.includes("Content Security Policy")) return
      problems.push(text)
    })
    page.on("pageerror", (error) => problems.push(error.message))
    const failed: Array<string> = []
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname
      // Chromium asks for a favicon the hub does not serve.
      if (response.status() >= 400 && path !== "/favicon.ico") failed.push(`${response.status()} ${path}`)
    })
    // Traffic stays on loopback: anything else the pages ask for is refused and noted.
    const offSite: Array<string> = []
    await page.route("**/*", (route) => {
      const target = new URL(route.request().url())
      if (target.hostname === "127.0.0.1") return route.continue()
      offSite.push(target.origin)
      return route.abort("blockedbyclient")
    })

    await page.goto(`${url}/admin/queues`)
    expect(new URL(page.url()).pathname).toBe("/admin/sign-in")
    await page.screenshot({ path: join(artefacts, "1-sign-in.png"), fullPage: true })
    await page.locator("#key").fill(opsToken)
    await Promise.all([page.waitForURL(`${url}/admin/queues**`), page.getByRole("button", { name: "Sign in" }).click()])
    // Only bull-board's own script, fetching the queues with the session cookie, puts the queue names on the page.
    await page.getByText(queueNames[0]!, { exact: false }).first().waitFor({ state: "visible", timeout: 30_000 })
    await page.getByText(queueNames[1]!, { exact: false }).first().waitFor({ state: "visible", timeout: 30_000 })
    await page.screenshot({ path: join(artefacts, "2-dashboard.png"), fullPage: true })

    await page.goto(`${url}/docs`)
    // Rendered by Swagger UI's scripts from /openapi.json: they ran under the page's CSP.
    await page.getByText("Record a delegation").first().waitFor({ state: "visible", timeout: 30_000 })
    await page.getByText("List the bodies operational on a date").first().waitFor({ state: "visible", timeout: 30_000 })
    expect(await page.locator(".opblock").count()).toBeGreaterThan(10)
    await page.screenshot({ path: join(artefacts, "3-docs.png"), fullPage: true })
    await page.close()

    expect(problems).toEqual([])
    expect(failed).toEqual([])
    expect(offSite).toEqual([])
    for (const name of ["1-sign-in.png", "2-dashboard.png", "3-docs.png"]) {
      expect(isPng(join(artefacts, name)), name).toBe(true)
    }
  }, 180_000)
})
