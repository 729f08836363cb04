/**
 * The gateway's port to readiness: can the process serve traffic now, i.e. are the database and Redis
 * reachable. Each dependency is a named check; `/readyz` runs them all concurrently with a deadline. The store
 * is checked with `SELECT 1` (`StoreReadiness`) and Redis with `PING` (`QueueReadiness`); `tcpCheck` remains for
 * dependencies that offer nothing better than an open port.
 *
 * @since 0.1.0
 */
import { Context, Duration, Effect, Layer, Schema } from "effect"
import { connect } from "node:net"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * The outcome of one check. `detail` is a short reason for a failed check, never a connection string.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CheckResult = Schema.Struct({
  name: Schema.String,
  status: Schema.Literals(["up", "down"]),
  detail: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type CheckResult = typeof CheckResult.Type

/**
 * A named check: succeeds when the dependency can serve requests. Its failure value is not shown to clients.
 *
 * @category models
 * @since 0.1.0
 */
export interface Check {
  readonly name: string
  readonly run: Effect.Effect<void, unknown>
}

/**
 * @category models
 * @since 0.1.0
 */
export interface Shape {
  /** Every check's result, in the order the checks were given. */
  readonly check: Effect.Effect<ReadonlyArray<CheckResult>>
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * Runs checks concurrently, each within `timeoutMs` (a check that takes longer is `down`, "timed out").
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromChecks = (checks: ReadonlyArray<Check>, options: { readonly timeoutMs?: number } = {}): Shape => {
  const timeout = Duration.millis(options.timeoutMs ?? 1000)
  const one = (c: Check): Effect.Effect<CheckResult> =>
    c.run.pipe(
      Effect.timeoutOption(timeout),
      Effect.map((done): CheckResult =>
        done._tag === "Some" ? { name: c.name, status: "up" } : { name: c.name, status: "down", detail: "timed out" }
      ),
      Effect.catchCause(() => Effect.succeed<CheckResult>({ name: c.name, status: "down", detail: "unreachable" }))
    )
  return { check: Effect.forEach(checks, one, { concurrency: "unbounded" }) }
}

/**
 * A check that succeeds when a TCP connection to `host:port` opens: the interim check of the database and
 * Redis until libs/store and libs/queue provide real pings.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tcpCheck = (name: string, host: string, port: number): Check => ({
  name,
  run: Effect.callback<void, Error>((resume) => {
    const socket = connect({ host, port })
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (error) => {
      socket.destroy()
      resume(Effect.fail(error))
    })
    return Effect.sync(() => socket.destroy())
  })
})

// ---------------------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------------------

/**
 * The readiness port.
 *
 * @category services
 * @since 0.1.0
 */
export class Readiness extends Context.Service<Readiness, Shape>()("@hub/http-api/Readiness") {
  /** Readiness from named checks. */
  static readonly layer = (checks: ReadonlyArray<Check>, options?: { readonly timeoutMs?: number }): Layer.Layer<Readiness> =>
    Layer.succeed(Readiness, fromChecks(checks, options))
}
