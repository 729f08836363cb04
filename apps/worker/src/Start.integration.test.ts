import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import * as TestHub from "./test-support/TestHub.ts"
import { Effect } from "effect"

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url))

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Whether a server can listen on the loopback port now (nothing holds it any more). */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer()
    server.once("error", () => resolve(false))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)))
  })

/** Every descendant of `pid`, from /proc (children of children included). */
const descendants = (pid: number): ReadonlyArray<number> => {
  const parents = new Map<number, Array<number>>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/u.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  const out: Array<number> = []
  const visit = (p: number): void => {
    for (const child of parents.get(p) ?? []) {
      out.push(child)
      visit(child)
    }
  }
  visit(pid)
  return out
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("npm start (scripts/start.sh)", () => {
  const root = mkdtempSync(join(tmpdir(), "hub-start-"))
  const prefix = `{${TestHub.freshName("hubstart")}}`
  const started: Array<number> = []
  afterAll(async () => {
    for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL")
    await Effect.runPromise(TestHub.removeKeys(prefix))
    rmSync(root, { recursive: true, force: true })
  })

  const hasRedisServer = spawnSync("bash", ["-c", "command -v redis-server"]).status === 0

  it.each([
    { redis: "the machine's Redis", ownRedis: false },
    { redis: "no Redis answering: start.sh starts a redis-server in the data folder", ownRedis: true }
  ])("starts everything (the gateway inside the hub process), syncs every stream once, and Ctrl-C leaves nothing running ($redis)", async ({ ownRedis }) => {
    if (ownRedis && !hasRedisServer) return
    const dataDir = join(root, ownRedis ? "own-redis" : "shared-redis")
    const [gateway, status, council, cbs, nhse, redisPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()])
    const child = spawn("bash", ["scripts/start.sh"], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        HUB_DATA_DIR: dataDir,
        HUB_QUEUE_PREFIX: prefix,
        REDIS_URL: ownRedis ? `redis://127.0.0.1:${redisPort}` : TestHub.testRedisUrl(),
        HUB_GATEWAY_PORT: String(gateway),
        HUB_STATUS_PORT: String(status),
        HUB_SIMULATOR_COUNCIL_FINANCE_PORT: String(council),
        HUB_SIMULATOR_LONDON_CBS_PORT: String(cbs),
        HUB_SIMULATOR_NHS_ENGLAND_RETURNS_PORT: String(nhse),
        HUB_JOB_ATTEMPTS: "2",
        HUB_SCHEDULES: "none"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    started.push(child.pid!)
    let output = ""
    // Anything started before the first sync ends is collected too, so a failed wait leaves nothing behind.
    const collect = setInterval(() => started.push(...descendants(child.pid!).filter((pid) => !started.includes(pid))), 1000)
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(clearInterval(collect) ?? new Error(`the hub did not finish its first sync in time:\n${output}`)), 200_000)
      const check = setInterval(() => {
        if (output.includes("Press Ctrl-C")) {
          clearInterval(check)
          clearTimeout(timer)
          resolve()
        }
      }, 200)
    })
    clearInterval(collect)
    expect(output).toContain("reference data: loaded the bundled registry")
    expect(output).toContain("first sync: done")
    const snapshot = (await (await fetch(`http://127.0.0.1:${status}/status`)).json()) as {
      readonly streams: ReadonlyArray<{ readonly plugin: string; readonly stream: string; readonly rowsStored: number; readonly lastSyncAt?: string }>
    }
    const spend = snapshot.streams.find((s) => s.plugin === "council-finance" && s.stream === "spend")
    expect(spend?.rowsStored).toBe(3719)
    expect(spend?.lastSyncAt).toBeDefined()
    expect(snapshot.streams.find((s) => s.stream === "allocations")?.rowsStored).toBeGreaterThan(0)

    // The gateway, served by the hub process over the same embedded store: public health, and an authenticated
    // read of the reference data the hub loaded, with the development key start.sh sets.
    const gatewayUrl = `http://127.0.0.1:${gateway}`
    expect(output).toContain(`gateway (API):  ${gatewayUrl}`)
    expect(output).toContain(`${gatewayUrl}/docs`)
    expect(output).toContain(`${gatewayUrl}/admin/queues`)
    expect(output).toContain(`${gatewayUrl}/metrics`)
    expect((await fetch(`${gatewayUrl}/healthz`)).status).toBe(200)
    expect((await fetch(`${gatewayUrl}/v1/organisations/5LE?asOf=2010-07-15`)).status).toBe(401)
    const organisation = await fetch(`${gatewayUrl}/v1/organisations/5LE?asOf=2010-07-15`, {
      headers: { Authorization: "Bearer hub-dev-token-change-me" }
    })
    expect(organisation.status, output).toBe(200)
    const body = (await organisation.json()) as { readonly operational: boolean; readonly groups: ReadonlyArray<{ readonly code: string }> }
    expect(body.operational).toBe(true)
    expect(body.groups.map((g) => g.code)).toContain("LDN-SECTOR-SE")
    // The plugins the hub runs (here against the simulators), described without a setting's value, and checked live.
    const auth = { headers: { Authorization: "Bearer hub-dev-token-change-me" } }
    const pluginsText = await (await fetch(`${gatewayUrl}/v1/plugins`, auth)).text()
    const plugins = JSON.parse(pluginsText) as { readonly items: ReadonlyArray<{ readonly id: string; readonly enabled: boolean }> }
    expect(plugins.items.map((p) => [p.id, p.enabled])).toEqual([["council-finance", true], ["london-cbs", true], ["nhs-england-returns", true]])
    for (const credential of ["council-finance-demo", "cbs-dev-key", "nhse-dev-token"]) expect(pluginsText).not.toContain(credential)
    const check = await fetch(`${gatewayUrl}/v1/plugins/london-cbs/check`, { method: "POST", ...auth })
    expect(await check.json()).toMatchObject({ plugin: "london-cbs", ok: true })

    const tree = descendants(child.pid!)
    started.push(...tree) // stopped by afterAll should an assertion below fail
    // The hub process at least; no separate gateway process on the embedded database.
    expect(tree.length, output).toBeGreaterThanOrEqual(1)
    expect(tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8")).filter((cmd) => cmd.includes("apps/gateway"))).toEqual([])
    child.kill("SIGINT")
    expect(await exited).not.toBeNull()
    // Grandchildren (tsx's esbuild service) end when their node process has gone: allow them a moment.
    for (let i = 0; i < 50 && tree.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(tree.filter(alive).map((pid) => `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8")}`)).toEqual([])
    expect(output).toContain("stopped")
    if (ownRedis) {
      expect(output).toContain(`starting redis-server in ${dataDir}/redis`)
      expect(tree.length).toBeGreaterThanOrEqual(2) // the hub and redis-server
    }
    // The ports are free again.
    await expect(fetch(`http://127.0.0.1:${status}/status`)).rejects.toThrow()
    await expect(fetch(`${gatewayUrl}/healthz`)).rejects.toThrow()
    await expect(portIsFree(gateway)).resolves.toBe(true)
    await expect(portIsFree(status)).resolves.toBe(true)
  }, 240_000)
})
