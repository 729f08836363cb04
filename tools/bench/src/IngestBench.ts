/**
 * The hub's ingest of council spend lines end to end (`Ingest.runToEnd` from @hub/hub: pull pages from the
 * council finance simulator over loopback HTTP through the council-finance plugin, parse, validate, commit each
 * page to PostgreSQL with `IngestRepo.commitPage`) against two anchors on the same data: a plain csv-parse of the
 * same CSV bytes, and PostgreSQL `COPY` (psql `\copy` from a temporary file) of the same stored rows into an
 * equivalent table. The simulator runs as a child process (`--spend-rows N`, resampling the real files' rows).
 * Goals: our rows/s at least half the slower anchor's; peak RSS at the large size at most 1.2 × the small size's.
 *
 * @since 0.1.0
 */
import { Ingest, PluginRegistry } from "@hub/hub"
import { CouncilFinancePlugin } from "@hub/plugin-council-finance"
import { IngestRepo, Store } from "@hub/store"
import { parse } from "csv-parse"
import { Effect, Layer, ManagedRuntime, References } from "effect"
import { SqlClient } from "effect/sql"
import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import { createReadStream, createWriteStream } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Benchmark, Settings } from "./Benchmark.ts"
import * as SimulatorProcess from "./SimulatorProcess.ts"
import * as Harness from "./Harness.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Config {
  /** The PostgreSQL server (loopback); each run makes a fresh schema and drops it at the end. */
  readonly databaseUrl: string
  /** Rows of the small and the large run in a full run (default 100,000 and 1,000,000). */
  readonly sizes?: { readonly small: number; readonly large: number } | undefined
}

/**
 * The throughput goal against the slower anchor.
 *
 * @category constants
 * @since 0.1.0
 */
export const throughputGoal: Harness.Goal = { kind: "throughput", atLeast: 0.5 }

/**
 * The memory goal: peak RSS of the ingest at the large size at most this multiple of that at the small size.
 *
 * @category constants
 * @since 0.1.0
 */
export const rssGrowthAtMost = 1.2

const council = "manchester"
const token = "council-finance-demo"
const pageSize = 5000
const plugin = "council-finance"
const stream = "spend"

/** The store's columns of a spend line that the anchor's COPY writes (all but the timestamps). */
const copyColumns = [
  "council",
  "source",
  "transaction_number",
  "line",
  "payment_date",
  "amount_pence",
  "supplier",
  "body_name",
  "service",
  "expense_type",
  "category",
  "capital_or_revenue",
  "description",
  "markers",
  "plugin",
  "stream"
].join(", ")

const simulatorMain = fileURLToPath(new URL("../../simulators/council-finance/src/main.ts", import.meta.url))

/** Starts the council finance simulator as a child process serving `rows` resampled spend rows. */
const startSimulator = (rows: number): Promise<SimulatorProcess.SimulatorProcess> =>
  SimulatorProcess.start(simulatorMain, ["--spend-rows", String(rows)])

/**
 * Downloads every page of the spend dataset as the plugin pulls it (same page size) into one CSV file: the header
 * once, then every page's records. Returns the number of records.
 */
const downloadCsv = async (baseUrl: string, file: string): Promise<number> => {
  const out = createWriteStream(file)
  let cursor = 0
  let records = 0
  try {
    for (let first = true; ; first = false) {
      const response = await fetch(`${baseUrl}/v1/councils/${council}/datasets/spend?cursor=${cursor}&limit=${pageSize}`, {
        headers: { authorization: `Bearer ${token}` }
      })
      const body = await response.text()
      if (response.status !== 200) throw new Error(`simulator page at cursor ${cursor}: ${response.status} ${body.slice(0, 200)}`)
      const text = first ? body : body.slice(body.indexOf("\n") + 1)
      if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()))
      records += Number(response.headers.get("x-row-count") ?? "0")
      if (response.headers.get("x-done") === "true") break
      cursor = Number(response.headers.get("x-next-cursor"))
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
  return records
}

/**
 * The anchor: csv-parse's streaming parser with the plugin's tolerance options (plugins/council-finance
 * CouncilCsv.ts; the real files have stray quotes and ragged rows) but without its per-record callbacks and raw
 * text, records counted.
 */
const parseFile = async (file: string): Promise<number> => {
  let records = 0
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true })
  for await (const _record of createReadStream(file).pipe(parser)) records++
  return records - 1
}

/** Runs psql with one meta-command; resolves with its output. */
const psql = (databaseUrl: string, command: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile("psql", [databaseUrl, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command], { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`psql ${command}: ${stderr || error.message}`))
      else resolve(stdout)
    })
  })

const quoted = (name: string): string => `"${name.replaceAll("\"", "\"\"")}"`

/** The figures one size produced. */
interface SizeRun {
  readonly results: ReadonlyArray<Harness.Result>
  /** Peak RSS of the ingest side over both comparisons. */
  readonly peakRssMb: number
}

/**
 * The ingest benchmark.
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchmark = (config: Config): Benchmark => ({
  name: "ingest",
  description:
    "Council spend lines end to end (Ingest.runToEnd: pull from the council finance simulator in a child process over loopback HTTP, parse, validate, commit pages to PostgreSQL in a fresh schema) vs a plain csv-parse of the same CSV bytes and vs psql \\copy of the same stored rows into an equivalent table, at a small and a large size of rows resampled from the real files.",
  run: async (settings: Settings) => {
    const smoke = settings.mode === "smoke"
    const sizes = smoke ? { small: 2000, large: 5000 } : (config.sizes ?? { small: 100_000, large: 1_000_000 })
    const schema = `bench_ingest_${randomUUID().replaceAll("-", "").slice(0, 12)}`
    const dir = await mkdtemp(path.join(tmpdir(), "hub-bench-ingest-"))
    const store = Store.layerPostgres({ url: config.databaseUrl, schema, maxConnections: 4, applicationName: "hub-bench" })
    let simulator: SimulatorProcess.SimulatorProcess | undefined
    let runtime: ManagedRuntime.ManagedRuntime<Store.Services | PluginRegistry.PluginRegistry, unknown> | undefined
    const sql = <A>(f: (client: SqlClient.SqlClient) => Effect.Effect<A, unknown>): Promise<A> => {
      if (runtime === undefined) return Promise.reject(new Error("ingest benchmark: no store runtime"))
      return runtime.runPromise(Effect.gen(function*() {
        return yield* f(yield* SqlClient.SqlClient)
      }))
    }
    const runSize = async (label: "small" | "large", rows: number): Promise<SizeRun> => {
      simulator = await startSimulator(rows)
      const registry = PluginRegistry.PluginRegistry.layer([
        PluginRegistry.register({
          plugin: CouncilFinancePlugin.plugin,
          config: { baseUrl: simulator.url, apiToken: token, council, pageSize },
          network: { allowLoopback: true, timeoutMs: 120_000 }
        })
      ])
      // The run's one info line ("ingested a stream") is not printed (per-page lines are debug, off by default).
      runtime = ManagedRuntime.make(Layer.mergeAll(store, registry, Layer.succeed(References.MinimumLogLevel, "Warn")))
      const rt = runtime
      const csvFile = path.join(dir, `spend-${rows}.csv`)
      const copyFile = path.join(dir, `rows-${rows}.csv`)
      const served = await downloadCsv(simulator.url, csvFile)
      if (served !== rows) throw new Error(`ingest benchmark: the simulator served ${served} rows, not ${rows}`)
      const reset = async (): Promise<void> => {
        await sql((s) => s`TRUNCATE council_spend_lines, quarantined_rows`)
        await rt.runPromise(
          IngestRepo.IngestRepo.use((repo) => repo.commitPage({ plugin, stream, kind: "council-spend-line", records: [], rejections: [], nextCursor: null }))
        )
      }
      let last: Ingest.RunOutcome | undefined
      const ingest = async () => {
        const outcome = await rt.runPromise(Ingest.runToEnd({ plugin, stream }))
        if (outcome.accepted !== rows || outcome.stored + outcome.quarantined !== rows || outcome.written !== outcome.stored) {
          throw new Error(`ingest benchmark: ingest of ${rows} rows accepted ${outcome.accepted}, stored ${outcome.stored}, quarantined ${outcome.quarantined}, wrote ${outcome.written}`)
        }
        last = outcome
        return outcome
      }
      const stored = (): Ingest.RunOutcome => {
        if (last === undefined) throw new Error("ingest benchmark: no ingest ran")
        return last
      }
      globalThis.gc?.()
      const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 ** 2 * 10) / 10
      const anchorTable = `${quoted(schema)}.copy_anchor`
      const copy = () => psql(config.databaseUrl, `\\copy ${anchorTable} (${copyColumns}) FROM '${copyFile}' WITH (FORMAT csv)`)
      // The large size runs once per side: at about 10 s per 100,000 rows on these machines a round of 1M rows
      // takes minutes, and the small size (run first, same process) has already warmed the path.
      const rounds = smoke || label === "large" ? 1 : 3
      const warmup = smoke || label === "large" ? 0 : 1
      const params = { rows, pageSize, simulator: `child process, --spend-rows ${rows}`, rssBeforeMb, smoke }
      const ours: Harness.Side<void> = { label: "Ingest.runToEnd (HTTP pull, parse, validate, PostgreSQL)", prepare: reset, measure: ingest }
      const parseResult = await Harness.compare({
        name: `ingest.${label}.parse`,
        description: `${rows} spend rows: hub ingest end to end vs csv-parse of the same CSV bytes (${pageSize}-row pages joined, from a file)`,
        ours,
        anchor: { label: "csv-parse stream of the same CSV bytes (plugin's relax options)", measure: () => parseFile(csvFile) },
        rounds,
        warmup,
        work: { count: rows, unit: "rows" },
        params,
        log: settings.log
      })
      // The rows the last ingest stored are the COPY anchor's input (the same rows, as the store holds them).
      const outcome = stored()
      await sql((s) => s.unsafe(`CREATE TABLE IF NOT EXISTS copy_anchor (LIKE council_spend_lines INCLUDING ALL)`))
      await psql(config.databaseUrl, `\\copy (SELECT ${copyColumns} FROM ${quoted(schema)}.council_spend_lines) TO '${copyFile}' WITH (FORMAT csv)`)
      const counts = { stored: outcome.stored, quarantined: outcome.quarantined, pages: outcome.pages }
      const copyResult = await Harness.compare({
        name: `ingest.${label}.copy`,
        description: `${rows} spend rows: hub ingest end to end vs psql \\copy of the same stored rows (CSV file) into an equivalent table (LIKE council_spend_lines INCLUDING ALL)`,
        ours,
        anchor: {
          label: "psql \\copy FROM file into an equivalent table",
          prepare: () => sql((s) => s.unsafe(`TRUNCATE copy_anchor`)).then(() => undefined),
          measure: copy,
          cleanup: async () => {
            const counted = (await sql((s) => s`SELECT count(*)::text AS n FROM copy_anchor`)) as ReadonlyArray<{ readonly n: string }>
            if (Number(counted[0]?.n) !== outcome.stored) throw new Error(`ingest benchmark: COPY loaded ${counted[0]?.n} rows, not ${outcome.stored}`)
          }
        },
        rounds,
        warmup,
        work: { count: rows, unit: "rows" },
        params: { ...params, ...counts, copyVia: "psql \\copy from a temporary file (@effect/sql-pg has no COPY FROM STDIN)" },
        log: settings.log
      })
      // The goal is judged against the slower anchor (at smoke size the figures mean nothing; COPY is taken).
      const parseSlower = !smoke && (parseResult.anchor.perSecond ?? 0) < (copyResult.anchor.perSecond ?? 0)
      const withGoal = (result: Harness.Result): Harness.Result => ({
        ...result,
        goal: Harness.judge(throughputGoal, { time: result.timeRatio, throughput: result.throughputRatio }, !smoke)
      })
      await runtime.dispose()
      runtime = undefined
      await simulator.stop()
      simulator = undefined
      return {
        results: (parseSlower ? [withGoal(parseResult), copyResult] : [parseResult, withGoal(copyResult)]).map((r) => ({ ...r, params: { ...r.params, ...counts } })),
        peakRssMb: Math.max(parseResult.ours.peakRssMb, copyResult.ours.peakRssMb)
      }
    }
    try {
      const small = await runSize("small", sizes.small)
      const large = await runSize("large", sizes.large)
      const growth = large.peakRssMb / small.peakRssMb
      const memory = {
        peakRssSmallMb: small.peakRssMb,
        peakRssLargeMb: large.peakRssMb,
        peakRssGrowth: Math.round(growth * 1000) / 1000,
        peakRssGoal: `large <= ${rssGrowthAtMost} x small`,
        peakRssVerdict: smoke ? "not-enforced" : growth <= rssGrowthAtMost ? "pass" : "miss"
      }
      return [...small.results, ...large.results.map((r) => ({ ...r, params: { ...r.params, ...memory } }))]
    } finally {
      await simulator?.stop()
      // The schema is dropped over a fresh connection (the store's runtime may be gone after a failure).
      await runtime?.dispose()
      await psql(config.databaseUrl, `DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`).catch((error: unknown) => settings.log(`ingest benchmark: ${String(error)}`))
      await rm(dir, { recursive: true, force: true })
    }
  }
})
