/**
 * The NHS England returns simulator as a process for the push fault tests, and what it recorded, read directly
 * from its admin API (`GET /_sim/submissions`), not through the plugin.
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import { join } from "node:path"
import * as Processes from "../support/Processes.ts"

const simulatorMain = join(Processes.repositoryRoot, "tools/simulators/nhs-england-returns/src/main.ts")

/** The simulator's bearer token with the `read` and `submit` scopes. */
export const token = "nhse-dev-token"

/**
 * @category models
 * @since 0.1.0
 */
export interface ReturnsSimulator {
  readonly url: string
  readonly process: Processes.Started
}

/**
 * One submission the simulator applied (a replay of a key is not one).
 *
 * @category models
 * @since 0.1.0
 */
export interface Applied {
  readonly sequence: number
  readonly kind: string
  readonly idempotencyKey?: string
  readonly body: {
    readonly version?: number
    readonly lines: ReadonlyArray<{ readonly category: string; readonly plan: string; readonly actualYearToDate: string; readonly forecastOutturn: string }>
    readonly totals: { readonly plan: string; readonly actualYearToDate: string; readonly forecastOutturn: string }
  }
  readonly status: number
}

/**
 * Starts the simulator on a free port; submissions are processed only on `POST /_sim/process` (or an hour after
 * receipt). Stopped by pid when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (logDir: string): Effect.Effect<ReturnsSimulator, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const started = yield* Processes.start({
      name: "simulator-nhs-england-returns",
      command: process.execPath,
      args: ["--import", "tsx", simulatorMain, "--port", "0", "--process-after-ms", "3600000"],
      env: {},
      logDir
    })
    const url = yield* Processes.awaitLine(started, /listening on (http:\/\/127\.0\.0\.1:\d+)/u, 60_000)
    return { url, process: started }
  })

/**
 * The financial returns the simulator applied, oldest first.
 *
 * @category accessors
 * @since 0.1.0
 */
export const applied = (url: string): Effect.Effect<ReadonlyArray<Applied>, Error> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(`${url}/_sim/submissions?kind=financial-return`)
      if (!response.ok) throw new Error(`GET /_sim/submissions answered ${response.status}`)
      return ((await response.json()) as { readonly submissions: ReadonlyArray<Applied> }).submissions
    },
    catch: (cause) => new Error(`reading the submissions of ${url}: ${String(cause)}`)
  })

/**
 * Processes every pending submission now; returns their ids.
 *
 * @category combinators
 * @since 0.1.0
 */
export const processPending = (url: string): Effect.Effect<ReadonlyArray<string>, Error> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(`${url}/_sim/process`, { method: "POST" })
      if (!response.ok) throw new Error(`POST /_sim/process answered ${response.status}`)
      return ((await response.json()) as { readonly processed: ReadonlyArray<string> }).processed
    },
    catch: (cause) => new Error(`processing the submissions of ${url}: ${String(cause)}`)
  })
