/**
 * How the contract kit drives a simulator: the faults it asks for, and the adapter a plugin's test supplies to
 * start the simulator, arm faults and count submissions. `simulatorKitControl` is the adapter half for
 * simulators built on `@hub/simulator-kit` (its `/_sim` admin API).
 *
 * @since 0.1.0
 */
import type { RunningSimulator } from "./SimulatorProcess.ts"

/**
 * A fault to arm for the next matching request to the simulator (`Latency` delays every request until reset).
 *
 * @category models
 * @since 0.1.0
 */
export type Fault =
  | { readonly _tag: "ServerError"; readonly status: number }
  | { readonly _tag: "RateLimited"; readonly retryAfterSeconds: number }
  | { readonly _tag: "Hang"; readonly ms: number }
  | { readonly _tag: "Latency"; readonly ms: number }
  | { readonly _tag: "Truncate" }
  | { readonly _tag: "MalformedRows" }
  | { readonly _tag: "DuplicateRows" }

/**
 * Arming faults and counting submissions on a running simulator.
 *
 * @category models
 * @since 0.1.0
 */
export interface SimulatorControl {
  /** Arms one fault for the next matching request (replacing any armed before). */
  readonly injectFault: (simulator: RunningSimulator, fault: Fault) => Promise<void>
  /** Disarms every fault. */
  readonly resetFaults: (simulator: RunningSimulator) => Promise<void>
  /** How many submissions of a push kind the simulator accepted (repeats of one idempotency key count once). */
  readonly countSubmissions: (simulator: RunningSimulator, kind: string) => Promise<number>
}

/**
 * The adapter a plugin's contract test gives the kit.
 *
 * @category models
 * @since 0.1.0
 */
export interface SimulatorAdapter extends SimulatorControl {
  /** Starts the simulator on a free loopback port. */
  readonly start: () => Promise<RunningSimulator>
}

const send = async (url: string, init: RequestInit): Promise<Response> => {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status}: ${await response.text()}`)
  return response
}

/**
 * The fault plan (`POST /_sim/faults` body of `@hub/simulator-kit`) for a fault, limited to the simulator's
 * paths under `pathPrefix` when given.
 *
 * @category constructors
 * @since 0.1.0
 */
export const kitFaultPlan = (fault: Fault, pathPrefix?: string): Record<string, unknown> => {
  const scope = pathPrefix === undefined ? {} : { pathPrefix }
  switch (fault._tag) {
    case "ServerError":
      return { ...scope, status5xx: { count: 1, status: fault.status } }
    case "RateLimited":
      return { ...scope, rateLimit: { count: 1, retryAfterSeconds: fault.retryAfterSeconds } }
    case "Hang":
      return { ...scope, hang: { count: 1, ms: fault.ms } }
    case "Latency":
      return { ...scope, latencyMs: fault.ms }
    case "Truncate":
      return { ...scope, truncate: { count: 1 } }
    case "MalformedRows":
      return { ...scope, malformedRows: { count: 1 } }
    case "DuplicateRows":
      return { ...scope, duplicateRows: { count: 1 } }
  }
}

/**
 * The control half of an adapter for simulators built on `@hub/simulator-kit`: faults through
 * `POST/DELETE /_sim/faults`, counts through `GET /_sim/submissions?kind=`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const simulatorKitControl = (options: { readonly pathPrefix?: string } = {}): SimulatorControl => ({
  injectFault: async (simulator, fault) => {
    await send(`${simulator.url}/_sim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(kitFaultPlan(fault, options.pathPrefix))
    })
  },
  resetFaults: async (simulator) => {
    await send(`${simulator.url}/_sim/faults`, { method: "DELETE" })
  },
  countSubmissions: async (simulator, kind) => {
    const response = await send(`${simulator.url}/_sim/submissions?kind=${encodeURIComponent(kind)}`, { method: "GET" })
    const body = (await response.json()) as { readonly count?: unknown }
    if (typeof body.count !== "number") throw new Error(`${simulator.url}/_sim/submissions gave no count`)
    return body.count
  }
})
