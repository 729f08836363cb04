/**
 * The one-command start (`npm start` → scripts/start.sh → `start.ts`): in ONE process, because the embedded
 * database belongs to one process, it opens the store (PGlite in the data folder, or `DATABASE_URL`), starts
 * the three simulators (default profile) and points every plugin not configured otherwise at them, loads the
 * bundled reference data on first run, installs the schedules, starts the workers, serves the status endpoint
 * and, on the embedded database, the gateway over the same store, runs a first sync of every stream and prints
 * where to look. Interrupting it (Ctrl-C) closes everything: servers and workers first, then the store and Redis.
 *
 * @since 0.1.0
 */
import { PluginRegistry, Positions, ReferenceDataImport } from "@hub/hub"
import { Config, Effect, Option } from "effect"
import * as Gateway from "./EmbeddedGateway.ts"
import * as FirstSync from "./FirstSync.ts"
import * as Reconcile from "./Reconcile.ts"
import * as Simulators from "./Simulators.ts"
import * as StatusServer from "./StatusServer.ts"
import * as WorkerConfig from "./WorkerConfig.ts"
import * as WorkerRuntime from "./WorkerRuntime.ts"

/**
 * The start's own settings.
 *
 * @category config
 * @since 0.1.0
 */
export const startConfig = Config.all({
  simulators: Config.Boolean("HUB_SIMULATORS").pipe(Config.withDefault(true)),
  councilFinancePort: Config.Port("HUB_SIMULATOR_COUNCIL_FINANCE_PORT").pipe(Config.withDefault(8091)),
  londonCbsPort: Config.Port("HUB_SIMULATOR_LONDON_CBS_PORT").pipe(Config.withDefault(8092)),
  nhsEnglandPort: Config.Port("HUB_SIMULATOR_NHS_ENGLAND_RETURNS_PORT").pipe(Config.withDefault(8093)),
  statusPort: Config.Port("HUB_STATUS_PORT").pipe(Config.withDefault(8090)),
  firstSync: Config.Literals(["auto", "always", "never"], "HUB_FIRST_SYNC").pipe(Config.withDefault("auto" as const)),
  firstSyncTimeoutMs: Config.Int("HUB_FIRST_SYNC_TIMEOUT_MS").pipe(Config.withDefault(600_000)),
  gateway: Config.Boolean("HUB_GATEWAY").pipe(Config.withDefault(true)),
  gatewayUrl: Config.option(Config.String("HUB_GATEWAY_URL"))
})

/**
 * How the hub process serves the gateway (`EmbeddedGateway.ts`). It is used only on the embedded
 * database with `HUB_GATEWAY` not `false`: PGlite's data folder belongs to one process, so the gateway must share
 * the hub's store; with `DATABASE_URL` the gateway runs as a process of its own (scripts/start.sh) and
 * `HUB_GATEWAY_URL` says where.
 *
 * @category models
 * @since 0.1.0
 */
export type EmbeddedGateway = Gateway.Serve

/**
 * The lines of the start summary that say where the gateway answers.
 *
 * @category formatting
 * @since 0.1.0
 */
export const gatewayLines = (url: string): ReadonlyArray<string> => [
  `  gateway (API):  ${url}/v1/...   (keys: GATEWAY_API_KEYS, or npx hub keys create, with the hub stopped on the embedded database)`,
  `  API docs:       ${url}/docs`,
  `  queues:         ${url}/admin/queues   (sign in with an ops key)`,
  `  metrics:        ${url}/metrics`
]

const say = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stdout.write(`${text}\n`))

const describeResult = (sync: FirstSync.StreamSync): string => {
  const r = sync.result as { readonly stored?: number; readonly quarantined?: number; readonly pages?: number } | undefined
  return sync.state === "completed" && r !== undefined
    ? `${r.stored ?? 0} stored, ${r.quarantined ?? 0} quarantined in ${r.pages ?? 0} pages`
    : `${sync.state}${sync.failedReason === undefined ? "" : `: ${sync.failedReason}`}`
}

/**
 * The whole start, until interrupted.
 *
 * @category programs
 * @since 0.1.0
 */
export const run = (options: { readonly embeddedGateway?: EmbeddedGateway | undefined } = {}): Effect.Effect<never, unknown> =>
  Effect.gen(function*() {
    const base = yield* WorkerConfig.config
    const start = yield* startConfig
    const simulators = start.simulators
      ? yield* Simulators.start({
        ports: { councilFinance: start.councilFinancePort, londonCbs: start.londonCbsPort, nhsEnglandReturns: start.nhsEnglandPort }
      })
      : undefined
    // A plugin configured in the environment wins; the simulators stand in for the others.
    const configured = new Set(base.plugins.map((p) => p.entry.id))
    const plugins = [...base.plugins, ...(simulators?.plugins ?? []).filter((p) => !configured.has(p.entry.id))]
    const config = { ...base, plugins, allowLoopback: base.allowLoopback || simulators !== undefined }
    yield* say(`hub starting: ${WorkerRuntime.describe(config)}`)
    if (simulators !== undefined) {
      yield* say(
        `simulators: council finance ${simulators.councilFinance}, London CBS ${simulators.londonCbs}, NHS England returns ${simulators.nhsEnglandReturns}`
      )
    }
    return yield* Effect.gen(function*() {
      const reference = yield* ReferenceDataImport.loadBundled()
      yield* say(
        reference.alreadyLoaded
          ? "reference data: already in the store"
          : `reference data: loaded the bundled registry (${reference.bodies} bodies, ${reference.relationships} relationships, ${reference.successions} successions)${
            reference.geography === undefined ? "" : ` and geography (${reference.geography.areas} areas, ${reference.geography.coverage} coverage rows)`
          }`
      )
      // Catches up positions a process killed between a page's commit and its recompute left behind.
      const positions = yield* Positions.recomputeAll()
      if (positions.written + positions.removed > 0) yield* say(`budget positions: ${positions.written} recomputed, ${positions.removed} removed`)
      const workers = yield* WorkerRuntime.startWorkers(config)
      yield* say(`workers: ${workers.join(", ")}`)
      const status = yield* StatusServer.start({ port: start.statusPort })
      const embedded = options.embeddedGateway !== undefined && start.gateway && Option.isNone(config.databaseUrl)
      const gateway = embedded && options.embeddedGateway !== undefined
        ? yield* options.embeddedGateway(yield* Effect.context<WorkerRuntime.Services>(), {
          logFile: `${config.dataDir.replace(/\/+$/u, "")}/gateway.log`,
          plugins: config.plugins
        })
        : undefined
      if (gateway !== undefined) yield* say(`gateway: ${gateway.url} (in this process, over the same store; log: ${config.dataDir}/gateway.log)`)
      const gatewayUrl = gateway === undefined ? Option.getOrUndefined(start.gatewayUrl) : gateway.url
      const statusUrl = `http://127.0.0.1:${status.port}/status`
      const runFirstSync = start.firstSync === "always" || (start.firstSync === "auto" && !reference.alreadyLoaded)
      if (runFirstSync) {
        yield* say("first sync: pulling every stream once ...")
        const registry = yield* PluginRegistry.PluginRegistry
        const results = yield* FirstSync.run(registry, { timeoutMs: start.firstSyncTimeoutMs })
        for (const r of results) yield* say(`  ${r.plugin}/${r.stream}: ${describeResult(r)}`)
        yield* say("first sync: done")
      }
      // After the first sync: a new interval scheduler fires at once, and would race it for the same pages.
      const schedules = yield* WorkerRuntime.syncSchedules(config)
      yield* say(
        `schedules: ${[...schedules.upserted, ...schedules.unchanged].join(", ") || "none"}${
          schedules.removed.length > 0 ? ` (removed ${schedules.removed.join(", ")})` : ""
        }`
      )
      // Redis losing its data (jobs, schedulers) is repaired from the store's cursors and outbox: see Reconcile.ts.
      yield* Reconcile.watch(config)
      yield* say(
        [
          "",
          "The hub is running. Where to look:",
          `  status (JSON):  ${statusUrl}   or   npx hub status`,
          `  request a pull: curl -X POST -H 'content-type: application/json' -d '{"plugin":"london-cbs","stream":"activity"}' http://127.0.0.1:${status.port}/sync`,
          ...(gatewayUrl === undefined ? [] : gatewayLines(gatewayUrl)),
          `  data folder:    ${config.dataDir}`,
          "Press Ctrl-C to stop everything.",
          ""
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(
      // The servers and workers live in this scope, closed before the layers below (store, Redis) are released.
      Effect.scoped,
      Effect.provide(WorkerRuntime.layer(config)),
      Effect.provide(WorkerRuntime.logging(Option.getOrElse(config.logLevel, () => "Warn" as const)))
    )
  }).pipe(Effect.scoped)

/**
 * The start as `start.ts` runs it: on the embedded database the hub process serves the gateway too.
 *
 * @category programs
 * @since 0.1.0
 */
export const program: Effect.Effect<never, unknown> = run({ embeddedGateway: Gateway.serve })
