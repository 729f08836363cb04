import { EffectTest } from "@hub/testing"
import { Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import * as DataFolderLock from "./DataFolderLock.ts"
import * as Store from "./Store.ts"
import { DataFolderLocked } from "./StoreError.ts"

const folders: Array<string> = []
const children: Array<ChildProcess> = []

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, "SIGKILL")
      await exited(child)
    }
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const freshFolder = (): string => {
  const folder = mkdtempSync(join(tmpdir(), "hub-store-lock-"))
  folders.push(folder)
  return join(folder, "db")
}

const lockFileOf = (dataDir: string): string => join(dataDir, DataFolderLock.fileName)

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()))

const holdScript = fileURLToPath(new URL("./test-support/HoldDataFolder.ts", import.meta.url))

/** Starts a node process that holds `dataDir` (the whole store, or only the lock). */
const holder = (dataDir: string, what: "store" | "lock", then: "wait" | "exit" = "wait"): ChildProcess => {
  const child = spawn(process.execPath, ["--import", "tsx", holdScript, dataDir, what, then], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"]
  })
  children.push(child)
  return child
}

/** The child's first line of output (it prints "ready" once it holds the folder). */
const firstLine = (child: ChildProcess): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = ""
    let err = ""
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const end = out.indexOf("\n")
      if (end >= 0) resolve(out.slice(0, end))
    })
    child.once("exit", (code) => reject(new Error(`holder exited (${code}) before a line: ${out}${err}`)))
  })

/** The pid of a process that has come and gone. */
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" })
  children.push(child)
  await exited(child)
  const pid = child.pid!
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }))
  return pid
}

const openStore = (dataDir: string) =>
  Effect.gen(function*() {
    yield* Layer.build(Store.layerPglite({ dataDir }))
  })

const lockFailure = (dataDir: string) =>
  Effect.flip(Effect.scoped(openStore(dataDir)))

const ownerIn = (dataDir: string): { readonly pid: number } => JSON.parse(readFileSync(lockFileOf(dataDir), "utf8")) as { pid: number }

describe("the data folder lock", () => {
  EffectTest.effect("a second store on a folder this process has open fails naming the pid, and opens once the first closes", () =>
    Effect.gen(function*() {
      const dataDir = freshFolder()
      yield* Effect.scoped(Effect.gen(function*() {
        yield* openStore(dataDir)
        expect(ownerIn(dataDir).pid).toBe(process.pid)
        const error = yield* lockFailure(dataDir)
        expect(error).toBeInstanceOf(DataFolderLocked)
        expect(error).toMatchObject({ _tag: "DataFolderLocked", pid: process.pid, folder: dataDir })
        expect(error.message).toContain(`stop the running hub (pid ${process.pid}) or point DATABASE_URL at PostgreSQL`)
        expect(error.message).toContain(dataDir)
      }))
      expect(existsSync(lockFileOf(dataDir))).toBe(false)
      const version = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        return (yield* sql<{ readonly v: string }>`SELECT version() AS v`)[0]?.v
      }).pipe(Effect.provide(Store.layerPglite({ dataDir })))
      expect(version).toMatch(/PGlite/u)
    }), 120_000)

  EffectTest.effect("the lock alone refuses a second holder in this process and is free again after release", () =>
    Effect.gen(function*() {
      const dataDir = freshFolder()
      mkdirSync(dataDir, { recursive: true })
      yield* Effect.scoped(Effect.gen(function*() {
        yield* DataFolderLock.acquire(dataDir)
        const second = yield* Effect.exit(Effect.scoped(DataFolderLock.acquire(dataDir)))
        expect(Exit.isFailure(second)).toBe(true)
        // The refused attempt must not have removed the holder's lock.
        expect(ownerIn(dataDir).pid).toBe(process.pid)
      }))
      yield* Effect.scoped(DataFolderLock.acquire(dataDir))
    }))

  EffectTest.effect("a lock left by a process that has exited is taken over", () =>
    Effect.gen(function*() {
      const dataDir = freshFolder()
      const pid = yield* Effect.promise(deadPid)
      mkdirSync(dataDir, { recursive: true })
      writeFileSync(lockFileOf(dataDir), JSON.stringify({ pid, startedAt: "2026-01-01T00:00:00.000Z", token: "old" }))
      yield* Effect.scoped(Effect.gen(function*() {
        yield* openStore(dataDir)
        expect(ownerIn(dataDir).pid).toBe(process.pid)
      }))
      expect(existsSync(lockFileOf(dataDir))).toBe(false)
    }), 120_000)

  EffectTest.effect("a lock naming this process's pid from an earlier start (a restarted container) is taken over", () =>
    Effect.gen(function*() {
      const dataDir = freshFolder()
      mkdirSync(dataDir, { recursive: true })
      writeFileSync(
        lockFileOf(dataDir),
        JSON.stringify({ pid: process.pid, startedAt: "2000-01-01T00:00:00.000Z", procStart: "1", token: "old" })
      )
      yield* Effect.scoped(DataFolderLock.acquire(dataDir))
    }))

  EffectTest.effect("an unreadable lock file is waited on while new and taken over once old", () =>
    Effect.gen(function*() {
      const dataDir = freshFolder()
      mkdirSync(dataDir, { recursive: true })
      writeFileSync(lockFileOf(dataDir), "")
      const started = yield* Effect.sync(() => performance.now())
      yield* Effect.scoped(DataFolderLock.acquire(dataDir))
      // A starter that had just created the file gets a moment to write its pid before it is called stale.
      expect(performance.now() - started).toBeGreaterThan(1_500)
    }))

  it("a store held by another running process makes this one fail naming that pid, and is free once it is stopped", async () => {
    const dataDir = freshFolder()
    const child = holder(dataDir, "store")
    expect(await firstLine(child)).toBe("ready")
    const error = await Effect.runPromise(lockFailure(dataDir))
    expect(error).toMatchObject({ _tag: "DataFolderLocked", pid: child.pid })
    expect(error.message).toContain(`stop the running hub (pid ${child.pid})`)
    // Killed by a signal, the child cannot remove its lock; its pid is then gone, so the lock is stale.
    process.kill(child.pid!, "SIGKILL")
    await exited(child)
    expect(ownerIn(dataDir).pid).toBe(child.pid)
    await Effect.runPromise(Effect.scoped(openStore(dataDir)))
  }, 120_000)

  it("a process that leaves by process.exit without closing its store removes its lock", async () => {
    const dataDir = freshFolder()
    const child = holder(dataDir, "store", "exit")
    expect(await firstLine(child)).toBe("ready")
    await exited(child)
    expect(child.exitCode).toBe(0)
    expect(existsSync(lockFileOf(dataDir))).toBe(false)
  }, 120_000)

  it("of several processes starting at once on a stale lock, exactly one gets the folder", async () => {
    const dataDir = freshFolder()
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(lockFileOf(dataDir), JSON.stringify({ pid: await deadPid(), startedAt: "2026-01-01T00:00:00.000Z" }))
    const starters = Array.from({ length: 4 }, () => holder(dataDir, "lock"))
    const lines = await Promise.all(starters.map(firstLine))
    expect(lines.filter((line) => line === "ready")).toHaveLength(1)
    const winner = starters[lines.indexOf("ready")]!
    expect(ownerIn(dataDir).pid).toBe(winner.pid)
    for (const line of lines.filter((l) => l !== "ready")) {
      expect(line).toContain(`DataFolderLocked: the data folder ${dataDir} is in use by process ${winner.pid}`)
    }
  }, 120_000)
})
