/**
 * The hub's push path end to end against a plain loop posting the same payloads. Ours: for each of N monthly
 * financial returns, `FinancialReturnPreparation.prepare` (reads the ingested allocations, computes the figures,
 * writes the outbox row under its business idempotency key) then `Push.send` (reads the outbox row, sends it
 * through the NHS England returns plugin with its key, stores the receipt), one after another, against
 * PostgreSQL in a fresh schema. Anchor: a plain `fetch` loop posting the exact request bodies the simulator
 * recorded from our run, with the same headers and keys. The NHS England returns simulator runs as a child
 * process; it is reset before every measurement, so every side's posts are new submissions, and after every
 * measurement the benchmark checks that the simulator applied exactly N submissions. Goal: our returns/s at least
 * 0.5 of the loop's.
 *
 * @since 0.1.0
 */
import { FinancialReturnPreparation, Ingest, PluginRegistry, Push } from "@hub/hub"
import { NhsEnglandReturnsPlugin } from "@hub/plugin-nhs-england-returns"
import { RecordRepo, Store } from "@hub/store"
import { Effect, Layer, ManagedRuntime, References } from "effect"
import { SqlClient } from "effect/sql"
import { randomUUID } from "node:crypto"
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
  /** Returns prepared and pushed per measurement in a full run (default 1,000). */
  readonly returns?: number | undefined
  /** Measured rounds per side in a full run (default 3; the untimed pass that records the bodies warms up). */
  readonly rounds?: number | undefined
}

/**
 * The goal: the hub prepares and pushes at least this share of the returns per second the plain loop posts.
 *
 * @category constants
 * @since 0.1.0
 */
export const throughputGoal: Harness.Goal = { kind: "throughput", atLeast: 0.5 }

const plugin = "nhs-england-returns"
/** Returns in flight at once in the concurrent comparison (as many as the store pool has connections; no goal: the goal's figure is the sequential one). */
const concurrentSends = 4
const token = "nhse-dev-token"
const simulatorMain = fileURLToPath(new URL("../../simulators/nhs-england-returns/src/main.ts", import.meta.url))

/**
 * Starts the NHS England returns simulator as a child process on a free port. Submissions are processed only an
 * hour after receipt (never, during a run): processing is the simulator's work, the same for both sides, and
 * would only add noise.
 */
const startSimulator = (): Promise<SimulatorProcess.SimulatorProcess> =>
  SimulatorProcess.start(simulatorMain, ["--process-after-ms", "3600000"])

/** One submission as the simulator recorded it (`GET /_sim/submissions`). */
interface Recorded {
  readonly idempotencyKey?: string
  readonly body: unknown
  readonly status: number
}

const recorded = async (url: string): Promise<ReadonlyArray<Recorded>> => {
  const response = await fetch(`${url}/_sim/submissions?kind=financial-return`)
  if (!response.ok) throw new Error(`push benchmark: GET /_sim/submissions answered ${response.status}`)
  return ((await response.json()) as { readonly submissions: ReadonlyArray<Recorded> }).submissions
}

const resetSimulator = async (url: string): Promise<void> => {
  const response = await fetch(`${url}/_sim/reset`, { method: "POST" })
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`push benchmark: POST /_sim/reset answered ${response.status}`)
}

/** Checks the simulator applied exactly `count` submissions, one per key. */
const expectApplied = async (url: string, count: number, side: string): Promise<void> => {
  const submissions = await recorded(url)
  const keys = new Set(submissions.map((s) => s.idempotencyKey))
  if (submissions.length !== count || keys.size !== count) {
    throw new Error(`push benchmark (${side}): the simulator applied ${submissions.length} submissions under ${keys.size} keys, not ${count}`)
  }
}

const quoted = (name: string): string => `"${name.replaceAll("\"", "\"\"")}"`

/**
 * The push benchmark.
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchmark = (config: Config): Benchmark => ({
  name: "push",
  description:
    "Monthly financial returns prepared into the outbox (FinancialReturnPreparation.prepare over ingested allocations, PostgreSQL in a fresh schema) and pushed with their idempotency keys (Push.send through the NHS England returns plugin) to the NHS England returns simulator in a child process, one after another, vs a plain fetch loop posting the same request bodies with the same headers and keys.",
  run: async (settings: Settings) => {
    const smoke = settings.mode === "smoke"
    const count = config.returns ?? (smoke ? 20 : 1000)
    const schema = `bench_push_${randomUUID().replaceAll("-", "").slice(0, 12)}`
    const store = Store.layerPostgres({ url: config.databaseUrl, schema, maxConnections: 4, applicationName: "hub-bench" })
    const simulator = await startSimulator()
    const registry = PluginRegistry.PluginRegistry.layer([
      PluginRegistry.register({
        plugin: NhsEnglandReturnsPlugin.plugin,
        config: { baseUrl: simulator.url, token, pageSize: 1000 },
        network: { allowLoopback: true, timeoutMs: 30_000 }
      })
    ])
    // Each prepare and send logs one info line; they are not printed.
    const runtime = ManagedRuntime.make(Layer.mergeAll(store, registry, Layer.succeed(References.MinimumLogLevel, "Warn")))
    const sql = <A>(f: (client: SqlClient.SqlClient) => Effect.Effect<A, unknown>): Promise<A> =>
      runtime.runPromise(Effect.gen(function*() {
        return yield* f(yield* SqlClient.SqlClient)
      }))
    try {
      // Untimed set-up: the published allocations, and a return per commissioner, year and month that has them.
      await runtime.runPromise(Ingest.runToEnd({ plugin, stream: "allocations" }))
      const allocations = await runtime.runPromise(RecordRepo.RecordRepo.use((r) => r.list("allocation-line", { plugin, limit: 100_000 })))
      const periods = [...new Set(allocations.map((a) => `${a.organisationCode}|${a.financialYear}`))].sort()
      const requests: Array<FinancialReturnPreparation.Request> = periods
        .flatMap((p) => Array.from({ length: 12 }, (_, i) => ({ p, month: i + 1 })))
        .slice(0, count)
        .map(({ month, p }) => {
          const [commissioner, financialYear] = p.split("|") as [string, string]
          return { plugin, commissioner, financialYear, month, sources: { allocations: plugin, activity: "london-cbs" } }
        })
      if (requests.length !== count) throw new Error(`push benchmark: only ${requests.length} returns can be prepared from the allocations, not ${count}`)

      const reset = async (): Promise<void> => {
        await sql((s) => s`TRUNCATE submission_outbox, audit_log`)
        await resetSimulator(simulator.url)
      }
      const pushAll = async (concurrency = 1): Promise<void> => {
        const sent = await runtime.runPromise(Effect.forEach(requests, (request) =>
          Effect.gen(function*() {
            const prepared = yield* FinancialReturnPreparation.prepare(request)
            return yield* Push.send(prepared.entry.idempotencyKey)
          }), { concurrency }))
        const notSent = sent.filter((s) => s.action !== "sent")
        if (notSent.length > 0) throw new Error(`push benchmark: ${notSent.length} returns were not sent (${notSent[0]?.idempotencyKey} ${notSent[0]?.action})`)
      }

      // One untimed pass of ours records the exact request bodies the plugin sends: the anchor posts those.
      await reset()
      await pushAll()
      const bodies = (await recorded(simulator.url)).map((s) => ({ key: s.idempotencyKey ?? "", body: JSON.stringify(s.body) }))
      if (bodies.length !== count || bodies.some((b) => b.key === "")) throw new Error(`push benchmark: the simulator recorded ${bodies.length} keyed submissions, not ${count}`)
      const postAll = async (concurrency = 1): Promise<void> => {
        let next = 0
        const loop = async (): Promise<void> => {
          while (next < bodies.length) {
            const { body, key } = bodies[next++]!
            const response = await fetch(`${simulator.url}/v1/financial-returns`, {
              method: "POST",
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json", "idempotency-key": key },
              body
            })
            const text = await response.text()
            if (response.status !== 202) throw new Error(`push benchmark: the loop's POST of ${key} answered ${response.status} ${text.slice(0, 200)}`)
          }
        }
        await Promise.all(Array.from({ length: concurrency }, loop))
      }

      const ours: Harness.Side<void> = {
        label: "FinancialReturnPreparation.prepare + Push.send (outbox in PostgreSQL, NHS England returns plugin)",
        prepare: reset,
        measure: () => pushAll(),
        cleanup: () => expectApplied(simulator.url, count, "ours")
      }
      const anchor: Harness.Side<void> = {
        label: "plain fetch loop POSTing the same bodies, headers and keys",
        prepare: () => resetSimulator(simulator.url),
        measure: () => postAll(),
        cleanup: () => expectApplied(simulator.url, count, "anchor")
      }
      const sequential = await Harness.compare({
          name: "push.returns",
          description: `${count} monthly financial returns: prepare into the outbox and push through the plugin, one after another, vs a plain fetch loop posting the same bodies`,
          ours,
          anchor,
          rounds: smoke ? 1 : (config.rounds ?? 3),
          warmup: 0,
          work: { count, unit: "returns" },
          goal: throughputGoal,
          enforceGoal: !smoke,
          params: { returns: count, commissionerYears: Math.ceil(count / 12), simulator: "child process, --process-after-ms 3600000", activitySource: "none ingested", smoke },
          log: settings.log
        })
      // The same work with several returns in flight on both sides, as the push worker runs with its concurrency
      // setting (HUB_WORKER_CONCURRENCY) and as a client would post in parallel: reported beside the goal's figure.
      const concurrent = await Harness.compare({
        name: `push.returns.c${concurrentSends}`,
        description: `${count} monthly financial returns, ${concurrentSends} at a time: prepare into the outbox and push through the plugin vs ${concurrentSends} plain fetch loops posting the same bodies`,
        ours: { ...ours, measure: () => pushAll(concurrentSends) },
        anchor: { ...anchor, measure: () => postAll(concurrentSends) },
        rounds: smoke ? 1 : (config.rounds ?? 3),
        warmup: 0,
        work: { count, unit: "returns" },
        enforceGoal: false,
        params: { returns: count, concurrency: concurrentSends, simulator: "child process, --process-after-ms 3600000", smoke },
        log: settings.log
      })
      return [sequential, concurrent]
    } finally {
      await sql((s) => s.unsafe(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`)).catch((error: unknown) => settings.log(`push benchmark: ${String(error)}`))
      await runtime.dispose()
      await simulator.stop()
    }
  }
})
