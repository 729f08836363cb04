/**
 * The hub under fault: the council-finance simulator and hub workers as child processes (`node --import tsx`),
 * a private redis-server, a schema of their own in PostgreSQL, and the invariants every fault test checks
 * afterwards against the simulator's data read directly (plain fetch and csv-parse, not the plugin).
 *
 * A test file declares a {@link fixture} in its `describe` (temporary folder, fresh schema, both cleaned up
 * afterwards), starts the whole hub with {@link start}, injects its fault, and checks {@link expectExact}.
 *
 * @since 0.1.0
 */
import { Money } from "@hub/domain"
import { type BullQueues, JobQueue, Producer, type QueueConnection, QueueLayer, type Schedules } from "@hub/queue"
import { IngestRepo, type RecordKinds, RecordRepo, Store } from "@hub/store"
import { parse } from "csv-parse/sync"
import { Effect, type Layer, Option, Schedule, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect } from "vitest"
import * as Env from "./Env.ts"
import * as PrivateRedis from "./PrivateRedis.ts"
import * as Processes from "./Processes.ts"
import * as RecordingProxy from "./RecordingProxy.ts"

const simulatorMain = join(Processes.repositoryRoot, "tools/simulators/council-finance/src/main.ts")
const workerMain = join(Processes.repositoryRoot, "apps/worker/src/main.ts")

/** The simulator's demo token and council. */
export const token = "council-finance-demo"
/** The council the generated volume data set belongs to. */
export const council = "manchester"
/** The queue the council-finance pulls go to. */
export const pullQueue = JobQueue.pull("council-finance")

/**
 * A simulator started as a process.
 *
 * @category models
 * @since 0.1.0
 */
export interface Simulator {
  readonly url: string
  readonly process: Processes.Started
}

/**
 * Starts the council-finance simulator on a free port (`--port 0`) with extra arguments such as
 * `--spend-rows N` or `--council-file id=path`, and reads its URL from stdout.
 *
 * @category constructors
 * @since 0.1.0
 */
export const startSimulator = (logDir: string, args: ReadonlyArray<string>): Effect.Effect<Simulator, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const started = yield* Processes.start({
      name: "simulator-council-finance",
      command: process.execPath,
      args: ["--import", "tsx", simulatorMain, "--port", "0", ...args],
      env: {},
      logDir
    })
    const url = yield* Processes.awaitLine(started, /listening on (http:\/\/127\.0\.0\.1:\d+)/u, 60_000)
    return { url, process: started }
  })

/**
 * Where the worker finds its database, Redis and system.
 *
 * @category models
 * @since 0.1.0
 */
export interface WorkerSetup {
  readonly databaseUrl: string
  readonly schema: string
  readonly redisUrl: string
  readonly prefix: string
  readonly simulatorUrl: string
  readonly council?: string
  readonly pageSize?: number
  /** More `HUB_*` variables (they win). */
  readonly extra?: Readonly<Record<string, string>>
}

/**
 * The worker's environment for a setup: no schedules, loopback allowed, short locks so stalled jobs come back fast.
 *
 * @category constructors
 * @since 0.1.0
 */
export const workerEnv = (setup: WorkerSetup): Record<string, string> => ({
  DATABASE_URL: setup.databaseUrl,
  HUB_DATABASE_SCHEMA: setup.schema,
  REDIS_URL: setup.redisUrl,
  HUB_QUEUE_PREFIX: setup.prefix,
  HUB_ALLOW_LOOPBACK: "true",
  HUB_SCHEDULES: "none",
  HUB_LOG_LEVEL: "Debug",
  HUB_WORKER_LOCK_MS: "5000",
  HUB_WORKER_STALLED_INTERVAL_MS: "1000",
  HUB_JOB_BACKOFF_MS: "200",
  COUNCIL_FINANCE_BASE_URL: setup.simulatorUrl,
  COUNCIL_FINANCE_API_TOKEN: token,
  COUNCIL_FINANCE_COUNCIL: setup.council ?? council,
  COUNCIL_FINANCE_PAGE_SIZE: String(setup.pageSize ?? 250),
  ...setup.extra
})

/**
 * The queues on the setup's Redis with the job defaults the worker gives its own jobs (`HUB_JOB_ATTEMPTS`,
 * `HUB_JOB_BACKOFF_MS` of {@link workerEnv}): jobs the test adds behave like scheduled ones.
 *
 * @category layers
 * @since 0.1.0
 */
export const queueLayer = (
  setup: WorkerSetup
): Layer.Layer<QueueConnection.QueueConnection | BullQueues.BullQueues | Producer.Producer | Schedules.Schedules> => {
  const env = workerEnv(setup)
  return QueueLayer.layer({
    url: setup.redisUrl,
    prefix: setup.prefix,
    jobDefaults: { attempts: Number(env["HUB_JOB_ATTEMPTS"] ?? 5), backoffDelayMs: Number(env["HUB_JOB_BACKOFF_MS"]) }
  })
}

/**
 * Starts a worker process (`node --import tsx apps/worker/src/main.ts`); SIGTERM by pid when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const startWorker = (logDir: string, name: string, setup: WorkerSetup): Effect.Effect<Processes.Started, never, Scope.Scope> =>
  Processes.start({ name, command: process.execPath, args: ["--import", "tsx", workerMain], env: workerEnv(setup), logDir })

/**
 * Waits until a worker's log says its workers are consuming ("workers started on …"), failing with the log's
 * tail after `timeoutMs` (generous: on a loaded 2-core machine `node --import tsx` alone has taken over a minute).
 *
 * @category combinators
 * @since 0.1.0
 */
export const awaitStarted = (worker: Processes.Started, timeoutMs = 180_000): Effect.Effect<void, Error> =>
  Effect.sync(() => Processes.logOf(worker).includes("workers started on")).pipe(
    Effect.repeat({ until: (started) => started || Processes.hasExited(worker.child), schedule: Schedule.spaced("100 millis") }),
    Effect.timeoutOption(timeoutMs),
    Effect.flatMap((started) =>
      Option.getOrElse(started, () => false) && !Processes.hasExited(worker.child)
        ? Effect.void
        : Effect.fail(new Error(`${worker.name} did not start its workers: ${Processes.logOf(worker).slice(-3000)}`))
    )
  )

/**
 * How many times a worker's log says it started (a worker that recovered in place started once).
 *
 * @category accessors
 * @since 0.1.0
 */
export const starts = (worker: Processes.Started): number =>
  Processes.logOf(worker).split("\n").filter((line) => line.includes("hub worker starting")).length

/**
 * What the simulator serves for a council's spend: row count and pence total.
 *
 * @category models
 * @since 0.1.0
 */
export interface Served {
  readonly count: number
  readonly pence: number
}

/**
 * Every spend row the simulator serves for `councilId`, read with plain fetch and csv-parse; rows whose amount
 * does not parse are counted but add nothing to `pence`.
 *
 * @category accessors
 * @since 0.1.0
 */
export const served = (url: string, councilId: string = council): Effect.Effect<Served> =>
  Effect.promise(async () => {
    let cursor = "0"
    let count = 0
    let pence = 0
    for (;;) {
      const response = await fetch(`${url}/v1/councils/${councilId}/datasets/spend?cursor=${cursor}&limit=5000`, {
        headers: { authorization: `Bearer ${token}` }
      })
      if (!response.ok) throw new Error(`simulator answered ${response.status} for ${councilId} spend at ${cursor}`)
      const rows = parse((await response.text()).replaceAll("\r\n", "\n"), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>
      count += rows.length
      for (const row of rows) pence += Money.parsePounds(row["Net Amount"] ?? "") ?? 0
      if (response.headers.get("x-done") === "true") return { count, pence }
      cursor = response.headers.get("x-next-cursor") ?? ""
    }
  })

/**
 * What the store holds after a run.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoreState {
  readonly stored: number
  readonly distinctKeys: number
  readonly pence: number
  readonly quarantined: ReadonlyArray<IngestRepo.QuarantinedRow>
  readonly cursor: string | null
  /** Outbox rows not yet in a terminal status (`prepared`, `sent`). */
  readonly openOutbox: number
}

/**
 * Reads the council-finance spend rows, quarantine, cursor and open outbox rows of `schema`.
 *
 * @category accessors
 * @since 0.1.0
 */
export const storeState = (databaseUrl: string, schema: string): Effect.Effect<StoreState, unknown> =>
  Effect.gen(function*() {
    const records = yield* RecordRepo.RecordRepo
    const ingest = yield* IngestRepo.IngestRepo
    const sql = yield* SqlClient.SqlClient
    const rows = yield* records.list("council-spend-line", { plugin: "council-finance", limit: 1_000_000 })
    const quarantined = yield* ingest.quarantined({ plugin: "council-finance", limit: 100_000 })
    const cursor = yield* ingest.cursor({ plugin: "council-finance", stream: "spend" })
    const [open] = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM submission_outbox WHERE status IN ('prepared', 'sent')`
    return {
      stored: rows.length,
      distinctKeys: new Set(rows.map((r) => `${r.source}|${r.transactionNumber}|${r.line}`)).size,
      pence: rows.reduce((sum, r) => sum + r.amount, 0),
      quarantined,
      cursor,
      openOutbox: open?.n ?? 0
    }
  }).pipe(Effect.provide(Store.layerPostgres({ url: databaseUrl, schema, maxConnections: 2 })))

/**
 * The council-finance spend rows `schema` holds, by file line.
 *
 * @category accessors
 * @since 0.1.0
 */
export const storedByLine = (
  databaseUrl: string,
  schema: string
): Effect.Effect<ReadonlyMap<number, RecordKinds.Rows["council-spend-line"]>, unknown> =>
  RecordRepo.RecordRepo.use((r) => r.list("council-spend-line", { plugin: "council-finance", limit: 1_000_000 })).pipe(
    Effect.map((rows) => new Map(rows.map((row) => [row.line, row]))),
    Effect.provide(Store.layerPostgres({ url: databaseUrl, schema, maxConnections: 1 }))
  )

/**
 * How many council-finance spend rows `schema` holds (cheap enough to poll).
 *
 * @category accessors
 * @since 0.1.0
 */
export const storedCount = (databaseUrl: string, schema: string): Effect.Effect<number, unknown> =>
  RecordRepo.RecordRepo.use((r) => r.count("council-spend-line", { plugin: "council-finance" })).pipe(
    Effect.provide(Store.layerPostgres({ url: databaseUrl, schema, maxConnections: 1 }))
  )

/**
 * Drops `schema` (with everything in it).
 *
 * @category destructors
 * @since 0.1.0
 */
export const dropSchema = (databaseUrl: string, schema: string): Effect.Effect<void> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
  }).pipe(Effect.provide(Store.layerPostgresClient({ url: databaseUrl, maxConnections: 1 })), Effect.orDie)

/**
 * A job as it is now (`undefined` when there is none); of the council finance pull queue unless `queue` says.
 *
 * @category accessors
 * @since 0.1.0
 */
export const job = (id: string, queue: JobQueue.QueueRef = pullQueue): Effect.Effect<Producer.JobSnapshot | undefined, unknown, Producer.Producer> =>
  Producer.Producer.use((p) => p.getJob(queue, id)).pipe(Effect.map(Option.getOrUndefined))

/**
 * Waits until a job is `completed` or `failed` (or `timeoutMs` passes) and returns its last snapshot. Reading
 * errors (Redis briefly away) are retried.
 *
 * @category combinators
 * @since 0.1.0
 */
export const awaitFinished = (
  id: string,
  timeoutMs: number,
  queue: JobQueue.QueueRef = pullQueue
): Effect.Effect<Producer.JobSnapshot | undefined, never, Producer.Producer> =>
  job(id, queue).pipe(
    Effect.catch(() => Effect.succeed(undefined)),
    Effect.repeat({ until: (j) => j?.state === "completed" || j?.state === "failed", schedule: Schedule.spaced("200 millis") }),
    Effect.timeoutOption(timeoutMs),
    Effect.flatMap((found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : job(id, queue).pipe(Effect.orElseSucceed(() => undefined))
    )
  )

/**
 * Jobs of a queue not yet finished (waiting, prioritized, active, delayed).
 *
 * @category accessors
 * @since 0.1.0
 */
export const unfinishedIn = (queue: JobQueue.QueueRef): Effect.Effect<number, unknown, Producer.Producer> =>
  Producer.Producer.use((p) => p.counts(queue)).pipe(Effect.map((c) => c.waiting + c.prioritized + c.active + c.delayed))

/**
 * Jobs of the council finance pull queue not yet finished.
 *
 * @category accessors
 * @since 0.1.0
 */
export const unfinished: Effect.Effect<number, unknown, Producer.Producer> = unfinishedIn(pullQueue)

// ---------------------------------------------------------------------------------------------------------
// the wiring every fault test shares
// ---------------------------------------------------------------------------------------------------------

/**
 * What one fault test owns: a temporary folder (every process log), a fresh schema in `databaseUrl`, and
 * `pass()` to call at the end of a passing test.
 *
 * @category models
 * @since 0.1.0
 */
export interface Fixture {
  readonly folder: string
  readonly schema: string
  readonly databaseUrl: string
  /** Marks the test passed: its folder is removed afterwards (a failing test keeps it for inspection). */
  readonly pass: () => void
}

/**
 * Declares a fault test's fixture; call it inside `describe`. After the file's tests the schema is dropped,
 * and the folder removed if `pass()` was called.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fixture = (name: string): Fixture => {
  const folder = mkdtempSync(join(tmpdir(), `hub-fault-${name}-`))
  const schema = Env.freshName(`hub_fault_${name.replaceAll(/[^a-z0-9]/gu, "")}`)
  const databaseUrl = Env.testDatabaseUrl()
  const outcome = { passed: false }
  afterAll(async () => {
    await Effect.runPromise(dropSchema(databaseUrl, schema))
    if (outcome.passed) rmSync(folder, { recursive: true, force: true })
  })
  return { folder, schema, databaseUrl, pass: () => void (outcome.passed = true) }
}

/**
 * How to start the hub for a test.
 *
 * @category models
 * @since 0.1.0
 */
export interface HubOptions {
  /** Arguments of the council-finance simulator (`--spend-rows N`, `--council-file id=path`, ...). */
  readonly simulatorArgs: ReadonlyArray<string>
  /** How many worker processes (default 1), named `worker-1`, `worker-2`, ... */
  readonly workers?: number
  /** Put a {@link RecordingProxy} between the workers and the simulator (default false). */
  readonly record?: boolean
  /** Called with the simulator before the workers start (to arm faults). */
  readonly beforeWorkers?: (simulator: Simulator) => Effect.Effect<void, Error>
  /** The database the workers connect to (default: the fixture's; a test's own proxy in front of it). */
  readonly workerDatabaseUrl?: string
  readonly pageSize?: number
  readonly extra?: Readonly<Record<string, string>>
}

/**
 * A running hub: its private Redis, the simulator (and the recording proxy in front of it, if asked for),
 * the workers' setup, and the worker processes (each has logged "workers started on").
 *
 * @category models
 * @since 0.1.0
 */
export interface Hub {
  readonly redis: PrivateRedis.PrivateRedis
  readonly simulator: Simulator
  readonly proxy: RecordingProxy.RecordingProxy | undefined
  readonly setup: WorkerSetup
  readonly workers: ReadonlyArray<Processes.Started>
}

/**
 * Starts a private redis-server, the simulator, optionally a recording proxy, and the workers, and waits until
 * every worker consumes. Everything is stopped by pid when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (fx: Fixture, options: HubOptions): Effect.Effect<Hub, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const redis = yield* PrivateRedis.start(fx.folder)
    const simulator = yield* startSimulator(fx.folder, options.simulatorArgs)
    const proxy = options.record === true ? yield* RecordingProxy.start(simulator.url) : undefined
    if (options.beforeWorkers !== undefined) yield* options.beforeWorkers(simulator)
    const setup: WorkerSetup = {
      databaseUrl: options.workerDatabaseUrl ?? fx.databaseUrl,
      schema: fx.schema,
      redisUrl: redis.url,
      prefix: "{hubfault}",
      simulatorUrl: proxy?.url ?? simulator.url,
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      ...(options.extra === undefined ? {} : { extra: options.extra })
    }
    const workers: Array<Processes.Started> = []
    for (let i = 1; i <= (options.workers ?? 1); i++) workers.push(yield* startWorker(fx.folder, `worker-${i}`, setup))
    for (const w of workers) yield* awaitStarted(w)
    return { redis, simulator, proxy, setup, workers }
  })

/**
 * Arms a fault plan on the simulator through its admin API (`POST /_sim/faults`, never through a proxy).
 *
 * @category combinators
 * @since 0.1.0
 */
export const arm = (simulatorUrl: string, plan: unknown): Effect.Effect<void, Error> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(`${simulatorUrl}/_sim/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(plan)
      })
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`)
    },
    catch: (cause) => new Error(`arming ${JSON.stringify(plan)} on ${simulatorUrl}: ${String(cause)}`)
  })

/**
 * Asks for a pull of the council-finance spend stream as job `jobId`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const requestPull = (jobId: string): Effect.Effect<void, unknown, Producer.Producer> =>
  Producer.Producer.use((p) => p.add(pullQueue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId }))

/**
 * The requests the workers made for council data, as a recording proxy saw them.
 *
 * @category accessors
 * @since 0.1.0
 */
export const dataRequests = (proxy: RecordingProxy.RecordingProxy | undefined): ReadonlyArray<RecordingProxy.Exchange> =>
  (proxy?.exchanges() ?? []).filter((e) => e.path.startsWith("/v1/councils/"))

/**
 * Checks every worker is still the process it was (never exited, started once).
 *
 * @category assertions
 * @since 0.1.0
 */
export const expectWorkersAlive = (hub: Hub): void => {
  for (const w of hub.workers) {
    expect(Processes.hasExited(w.child), `${w.name} exited (${w.child.exitCode ?? w.child.signalCode}): ${Processes.logOf(w).slice(-4000)}`).toBe(false)
    expect(starts(w), `${w.name} started once`).toBe(1)
  }
}

/**
 * Stops every worker with SIGTERM by pid and checks each exits 0.
 *
 * @category destructors
 * @since 0.1.0
 */
export const stopWorkers = (hub: Hub): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (const w of hub.workers) {
      yield* Processes.stop(w)
      expect(w.child.exitCode, `${w.name} exit code: ${Processes.logOf(w).slice(-2000)}`).toBe(0)
    }
  })

/**
 * The invariants of a clean source: every served row stored exactly once (none quarantined, natural keys
 * unique, pence equal), the cursor at the end when `rows` is given, no open outbox row.
 *
 * @category assertions
 * @since 0.1.0
 */
export const expectExact = (state: StoreState, source: Served, options: { readonly rows?: number } = {}): void => {
  if (options.rows !== undefined) expect(source.count, "rows the simulator serves").toBe(options.rows)
  expect(state.stored + state.quarantined.length, "stored + quarantined = source rows").toBe(source.count)
  expect(state.quarantined, "nothing quarantined").toHaveLength(0)
  expect(state.distinctKeys, "natural keys unique").toBe(state.stored)
  expect(state.pence, "pence checksum source = target").toBe(source.pence)
  if (options.rows !== undefined) expect(state.cursor, "cursor at the end of the source").toMatch(new RegExp(`(^|#)${options.rows}$`, "u"))
  expect(state.openOutbox, "every outbox row terminal").toBe(0)
}
