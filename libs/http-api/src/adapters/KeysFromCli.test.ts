import { Store } from "@hub/store"
import { Layer } from "effect"
import { spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { bearer, makeTestApp } from "../test-support/TestApp.ts"
import * as StoreApiKeys from "./StoreApiKeys.ts"

// The real `hub` command (apps/cli, run as a process, not imported) and the gateway over the same embedded data
// folder. PGlite lets one process at a time use a data folder, so the gateway's runtime is disposed before each
// CLI run, as an operator stops the hub before managing keys on the embedded database.
const hubBin = fileURLToPath(new URL("../../../../apps/cli/bin/hub.mjs", import.meta.url))

const hub = (dataDir: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir }
    delete env["DATABASE_URL"]
    delete env["HUB_DATABASE_SCHEMA"]
    const child = spawn(process.execPath, [hubBin, "keys", ...args], { env, stdio: ["ignore", "pipe", "inherit"] })
    let stdout = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL")
      reject(new Error(`hub keys ${args.join(" ")} did not finish within 60 s`))
    }, 60_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout })
    })
  })

/** The gateway over the data folder's store (keys from the store only), used for one request and closed. */
const gatewayStatus = async (dataDir: string, token: string): Promise<number> => {
  const store = Store.layerPglite({ dataDir: join(dataDir, "db") })
  const { app, runtime } = makeTestApp({ apiKeys: StoreApiKeys.layer.pipe(Layer.provide(store)), store })
  try {
    return (await app.request("/v1/organisations/08Q", { headers: bearer(token) })).status
  } finally {
    await runtime.dispose()
  }
}

const folders: Array<string> = []
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true })
})

describe("a key made with `hub keys create`", () => {
  it("is accepted by the gateway over the same store, listed without its secret, and refused once revoked", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "hub-gateway-keys-"))
    folders.push(dataDir)
    const created = await hub(dataDir, ["create", "--name", "analyst", "--scopes", "read"])
    expect(created.code).toBe(0)
    const { id, token } = JSON.parse(created.stdout) as { id: string; token: string }

    const listed = await hub(dataDir, ["list"])
    expect(listed.stdout).toContain(id)
    expect(listed.stdout).not.toContain(token)

    expect(await gatewayStatus(dataDir, token)).toBe(200)
    expect(await gatewayStatus(dataDir, `${token}x`)).toBe(401)

    expect((await hub(dataDir, ["revoke", id])).code).toBe(0)
    expect(await gatewayStatus(dataDir, token)).toBe(401)
  }, 180_000)
})
