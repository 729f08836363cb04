import { ApiKeyRepo, Store } from "@hub/store"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { bin, type Run } from "../test-support/HubProcess.ts"
import { parseScopes } from "./Keys.ts"

/** Runs `hub keys ...` on the embedded database in `dataDir` (never a DATABASE_URL from the environment). */
const hub = (dataDir: string, args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir }
    delete env["DATABASE_URL"]
    delete env["HUB_DATABASE_SCHEMA"]
    const child = spawn(process.execPath, [bin, "keys", ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL")
      reject(new Error(`hub keys ${args.join(" ")} did not finish within 60 s`))
    }, 60_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

const folders: Array<string> = []
const freshDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "hub-keys-"))
  folders.push(dir)
  return dir
}
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true })
})

describe("hub keys", () => {
  it("create prints a hub_ secret once, stores only its hash; list and revoke never show it", async () => {
    const dataDir = await freshDataDir()
    const created = await hub(dataDir, ["create", "--name", "Finance service", "--scopes", "read,ops"])
    expect(created.code).toBe(0)
    expect(created.stderr).toContain("shown only once")
    const key = JSON.parse(created.stdout) as { id: string; name: string; scopes: Array<string>; token: string; revokedAt: null }
    expect(key).toMatchObject({ name: "Finance service", scopes: ["read", "ops"], revokedAt: null })
    expect(key.token).toMatch(/^hub_[A-Za-z0-9_-]{43}$/u)

    const listed = await hub(dataDir, ["list"])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([{ id: key.id, name: "Finance service", scopes: ["read", "ops"], createdAt: expect.any(String), revokedAt: null }])
    const hash = ApiKeyRepo.hashToken(key.token)
    for (const output of [listed.stdout, listed.stderr]) {
      expect(output).not.toContain(key.token)
      expect(output).not.toContain(hash)
    }

    // The database holds the key under the hash the gateway computes from the presented token, not the token.
    const stored = await Effect.runPromise(
      Effect.gen(function* () {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        return { byHash: yield* repo.findByHash(hash), byToken: yield* repo.findByHash(key.token) }
      }).pipe(Effect.provide(Store.layerPglite({ dataDir: join(dataDir, "db") })))
    )
    expect(stored.byHash?.id).toBe(key.id)
    expect(stored.byToken).toBeUndefined()

    const revoked = await hub(dataDir, ["revoke", key.id, "--format", "table"])
    expect(revoked.code).toBe(0)
    expect(revoked.stdout).toContain(key.id)
    expect(revoked.stdout).not.toContain(key.token)
    const after = JSON.parse((await hub(dataDir, ["list"])).stdout) as Array<{ revokedAt: string | null }>
    expect(after[0]?.revokedAt).toEqual(expect.any(String))
  }, 120_000)

  it("two keys get distinct ids and secrets", async () => {
    const dataDir = await freshDataDir()
    const a = JSON.parse((await hub(dataDir, ["create", "--name", "a", "--scopes", "read"])).stdout) as { id: string; token: string }
    const b = JSON.parse((await hub(dataDir, ["create", "--name", "a", "--scopes", "read"])).stdout) as { id: string; token: string }
    expect(a.id).not.toBe(b.id)
    expect(a.token).not.toBe(b.token)
  }, 120_000)

  it("bad input exits 2 with a one-line reason naming what is wrong", async () => {
    const dataDir = await freshDataDir()
    for (const [args, reason] of [
      [["create", "--scopes", "read"], "missing --name"],
      [["create", "--name", "x", "--scopes", "read,root"], '"root"'],
      [["create", "--name", "x"], "missing --scopes"],
      [["revoke", "key_nope"], 'no API key "key_nope"'],
      [["revoke"], "missing key id"],
      [["list", "--name", "x"], "unexpected option --name"],
      [["rotate"], 'unknown action "rotate"']
    ] as const) {
      const result = await hub(dataDir, args)
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(reason)])
    }
  }, 180_000)
})

describe("parseScopes", () => {
  it("keeps the known scopes in privilege order without duplicates", async () => {
    expect(await Effect.runPromise(parseScopes("admin, read,read"))).toEqual(["read", "admin"])
  })
})
