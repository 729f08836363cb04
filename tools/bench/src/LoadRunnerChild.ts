/**
 * The child process of `LoadRunner`: receives one autocannon configuration per IPC message, runs it and replies
 * with the figures. Forked by `LoadRunner.start` only; it exits when its parent disconnects or sends SIGTERM.
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"
import type { Figures, Load } from "./LoadRunner.ts"

interface Histogram {
  readonly average: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

interface AutocannonResult {
  readonly requests: Histogram & { readonly total: number }
  readonly latency: Histogram
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly "2xx": number
  readonly duration: number
}

// autocannon ships no type declarations (and none are installed): this is the typed boundary, the callback form
// of its documented `autocannon(options, callback)` API, with only the result fields read here.
type Autocannon = (options: Record<string, unknown>, done: (error: unknown, result: AutocannonResult) => void) => unknown
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon

const runLoad = (load: Load): Promise<Figures> =>
  new Promise((resolve, reject) => {
    autocannon(
      {
        url: load.url,
        headers: load.headers,
        connections: load.connections,
        amount: load.amount,
        // autocannon notices the end of a fixed amount only on its sampling tick (default every 1,000 ms): a short
        // tick makes the run's wall time that of its requests, not a whole number of seconds.
        sampleInt: 5,
        ...(load.overallRate === undefined ? {} : { overallRate: load.overallRate })
      },
      (error, result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)))
          return
        }
        resolve({
          requests: result.requests.total,
          ok: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          durationSeconds: result.duration,
          requestsPerSecond: result.requests.total / result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max
        })
      }
    )
  })

process.on("message", (message) => {
  runLoad(message as Load).then(
    (figures) => process.send?.({ ok: true, figures }),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) })
  )
})
process.on("disconnect", () => process.exit(0))
process.send?.("ready")
