import { Money } from "@hub/domain"
import { JobQueue, Producer } from "@hub/queue"
import { IngestRepo, RecordRepo, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Server } from "@hub/simulator-kit"
import { CouncilFinanceApp } from "@hub/simulator-council-finance"
import { parse } from "csv-parse/sync"
import { Effect, Layer, Option, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect } from "vitest"
import * as TestHub from "./test-support/TestHub.ts"

const workerMain = fileURLToPath(new URL("./main.ts", import.meta.url))
const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url))
const sourceRows = 40_000
const pageSize = 250

const children: Array<ChildProcess> = []
const folder = mkdtempSync(join(tmpdir(), "hub-crash-"))
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL")
  rmSync(folder, { recursive: true, force: true })
})

/** Starts the worker as a child process (its output goes to a log file in the test's folder). */
const startWorker = (env: Record<string, string>, name: string): ChildProcess => {
  const log = createWriteStream(join(folder, `${name}.log`))
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    cwd: repositoryRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  children.push(child)
  return child
}

const exited = (child: ChildProcess) =>
  Effect.promise(() =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()))
  )

/** Every row the simulator serves and its amounts, read with plain fetch and csv-parse (not the plugin). */
const served = (url: string) =>
  Effect.promise(async () => {
    let cursor = 0
    let count = 0
    let pence = 0
    for (;;) {
      const response = await fetch(`${url}/v1/councils/manchester/datasets/spend?cursor=${cursor}&limit=5000`, {
        headers: { authorization: "Bearer council-finance-demo" }
      })
      const rows = parse((await response.text()).replaceAll("\r\n", "\n"), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>
      count += rows.length
      for (const row of rows) pence += Money.parsePounds(row["Net Amount"] ?? "") ?? 0
      if (response.headers.get("x-done") === "true") return { count, pence }
      cursor = Number(response.headers.get("x-next-cursor"))
    }
  })

/** The row number of the plugin's row cursor (plain `N`, or `<extract>#N`). */
const rowOf = (cursor: string | null): number => Number(/(\d+)$/u.exec(cursor ?? "")?.[1] ?? Number.NaN)

describe("a worker killed with SIGKILL in the middle of a large ingest", () => {
  const schema = TestHub.freshName("hub_crash_test")
  const prefix = `{${TestHub.freshName("hubcrash")}}`
  const hub = EffectTest.layer(
    Layer.mergeAll(
      Store.layerPostgres({ url: TestHub.testDatabaseUrl(), schema, maxConnections: 2 }),
      TestHub.queueLayer(prefix)
    )
  )
  afterAll(async () => {
    await Effect.runPromise(
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
      }).pipe(Effect.provide(Store.layerPostgresClient({ url: TestHub.testDatabaseUrl(), maxConnections: 1 })), Effect.orDie)
    )
  })

  hub.effect("after a restart exactly the source rows are stored: same count, same amount checksum, nothing twice", () =>
    Effect.gen(function*() {
      const simulator = yield* Server.startServer(CouncilFinanceApp.make({ spendRows: sourceRows }).app)
      const env = {
        DATABASE_URL: TestHub.testDatabaseUrl(),
        HUB_DATABASE_SCHEMA: schema,
        REDIS_URL: TestHub.testRedisUrl(),
        HUB_QUEUE_PREFIX: prefix,
        HUB_ALLOW_LOOPBACK: "true",
        HUB_SCHEDULES: "none",
        HUB_WORKER_LOCK_MS: "3000",
        HUB_WORKER_STALLED_INTERVAL_MS: "1000",
        COUNCIL_FINANCE_BASE_URL: simulator.url,
        COUNCIL_FINANCE_API_TOKEN: "council-finance-demo",
        COUNCIL_FINANCE_COUNCIL: "manchester",
        COUNCIL_FINANCE_PAGE_SIZE: String(pageSize)
      }
      const first = startWorker(env, "worker-1")
      const producer = yield* Producer.Producer
      const queue = JobQueue.pull("council-finance")
      const added = yield* producer.add(queue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "crash-test" })
      const records = yield* RecordRepo.RecordRepo
      // Kill it once a good part, but not all, of the stream is committed.
      const progress = yield* records.count("council-spend-line", { plugin: "council-finance" }).pipe(
        Effect.repeat({ until: (n) => n >= sourceRows / 4, schedule: Schedule.spaced("100 millis") }),
        Effect.timeout("120 seconds")
      )
      process.kill(first.pid!, "SIGKILL")
      yield* exited(first)
      expect(first.signalCode).toBe("SIGKILL")
      const atCrash = yield* records.count("council-spend-line", { plugin: "council-finance" })
      expect(progress).toBeLessThan(sourceRows)
      expect(atCrash).toBeLessThan(sourceRows)
      const cursorAtCrash = yield* IngestRepo.IngestRepo.use((r) => r.cursor({ plugin: "council-finance", stream: "spend" }))
      expect(rowOf(cursorAtCrash), `cursor ${String(cursorAtCrash)}`).toBeLessThan(sourceRows)

      const second = startWorker(env, "worker-2")
      const job = yield* producer.getJob(queue, added.id).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("200 millis") }),
        Effect.timeout("180 seconds")
      )
      expect(job?.state).toBe("completed")
      process.kill(second.pid!, "SIGTERM")
      yield* exited(second)
      expect(second.exitCode).toBe(0)

      const source = yield* served(simulator.url)
      expect(source.count).toBe(sourceRows)
      const stored = yield* records.list("council-spend-line", { plugin: "council-finance", limit: sourceRows + 1000 })
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "council-finance", limit: 100_000 }))
      expect(stored.length + held.length).toBe(source.count)
      expect(new Set(stored.map((r) => `${r.source}|${r.transactionNumber}|${r.line}`)).size).toBe(stored.length)
      expect(held).toHaveLength(0)
      expect(stored.reduce((sum, r) => sum + r.amount, 0)).toBe(source.pence)
      expect(rowOf(yield* IngestRepo.IngestRepo.use((r) => r.cursor({ plugin: "council-finance", stream: "spend" })))).toBe(sourceRows)
      expect(readFileSync(join(folder, "worker-2.log"), "utf8")).not.toContain("council-finance-demo")
    }), 300_000)
})

describe("the same crash on the embedded database (PGlite, the default)", () => {
  const dataDir = join(folder, "pglite-data")
  const prefix = `{${TestHub.freshName("hubcrashpg")}}`
  const queues = EffectTest.layer(TestHub.queueLayer(prefix))

  /** Pages the worker has committed so far, from its debug log. */
  const pagesLogged = (name: string): number => {
    try {
      return readFileSync(join(folder, `${name}.log`), "utf8").split("\n").filter((l) => l.includes("ingested a page")).length
    } catch {
      return 0
    }
  }

  queues.effect("after a restart on the same data folder exactly the source rows are stored", () =>
    Effect.gen(function*() {
      const simulator = yield* Server.startServer(CouncilFinanceApp.make({ spendRows: sourceRows }).app)
      const env = {
        HUB_DATA_DIR: dataDir,
        REDIS_URL: TestHub.testRedisUrl(),
        HUB_QUEUE_PREFIX: prefix,
        HUB_ALLOW_LOOPBACK: "true",
        HUB_SCHEDULES: "none",
        HUB_LOG_LEVEL: "Debug",
        HUB_WORKER_LOCK_MS: "3000",
        HUB_WORKER_STALLED_INTERVAL_MS: "1000",
        COUNCIL_FINANCE_BASE_URL: simulator.url,
        COUNCIL_FINANCE_API_TOKEN: "council-finance-demo",
        COUNCIL_FINANCE_COUNCIL: "manchester",
        COUNCIL_FINANCE_PAGE_SIZE: String(pageSize)
      }
      const first = startWorker(env, "pglite-worker-1")
      const producer = yield* Producer.Producer
      const queue = JobQueue.pull("council-finance")
      const added = yield* producer.add(queue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "crash-test-pglite" })
      const pages = sourceRows / pageSize
      const logged = yield* Effect.sync(() => pagesLogged("pglite-worker-1")).pipe(
        Effect.repeat({ until: (n) => n >= pages / 4, schedule: Schedule.spaced("50 millis") }),
        Effect.timeout("180 seconds")
      )
      process.kill(first.pid!, "SIGKILL")
      yield* exited(first)
      expect(logged).toBeLessThan(pages)

      const second = startWorker(env, "pglite-worker-2")
      const job = yield* producer.getJob(queue, added.id).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("200 millis") }),
        Effect.timeout("240 seconds")
      )
      expect(job?.state, readFileSync(join(folder, "pglite-worker-2.log"), "utf8").slice(-2000)).toBe("completed")
      process.kill(second.pid!, "SIGTERM")
      yield* exited(second)
      expect(second.exitCode).toBe(0)

      const source = yield* served(simulator.url)
      // The worker has closed the data folder: the test may open it now.
      const check = Effect.gen(function*() {
        const stored = yield* RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "council-finance", limit: sourceRows + 1000 }))
        const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: "council-finance", limit: 100_000 }))
        const cursor = yield* IngestRepo.IngestRepo.use((r) => r.cursor({ plugin: "council-finance", stream: "spend" }))
        return { stored, held, cursor }
      }).pipe(Effect.provide(Store.layerPglite({ dataDir: join(dataDir, "db") })))
      const { stored, held, cursor } = yield* check
      expect(stored.length + held.length).toBe(source.count)
      expect(held).toHaveLength(0)
      expect(new Set(stored.map((r) => `${r.source}|${r.transactionNumber}|${r.line}`)).size).toBe(stored.length)
      expect(stored.reduce((sum, r) => sum + r.amount, 0)).toBe(source.pence)
      expect(rowOf(cursor)).toBe(sourceRows)
    }), 400_000)
})
