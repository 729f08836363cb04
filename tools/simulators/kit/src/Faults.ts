/**
 * Fault injection for simulators: a test or the demo arms faults through `POST /_sim/faults` (or per request
 * with `x-sim-fault` headers) and the Hono middleware plays them out: latency, hangs, 429 with Retry-After,
 * 5xx, truncated bodies, slow (drip-fed) bodies, and, through {@link FaultInjector.rowFaults}, malformed and
 * duplicated rows in list responses. Counted faults happen N times, then the simulator recovers; a `sequence`
 * plays different faults in a given order (500, then 429, then a hang, ...).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type { Context, MiddlewareHandler } from "hono"
import * as BodyValidation from "./BodyValidation.ts"
import * as Problem from "./Problem.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const Counted = Schema.Struct({ count: NonNegativeInt })

/**
 * One step of a fault {@link FaultPlan} `sequence`: answer `status` (a 4xx or 5xx, with `Retry-After:
 * retryAfterSeconds` when given), or hang for `hangMs` (then 504; with `handled`, the request is handled first
 * and its real answer sent late: the work is done though the client may have given up). A step with neither is
 * a pass: the request is handled normally.
 *
 * @category models
 * @since 0.1.0
 */
export const FaultStep = Schema.Struct({
  status: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 400, maximum: 599 }))),
  retryAfterSeconds: Schema.optionalKey(NonNegativeInt),
  hangMs: Schema.optionalKey(NonNegativeInt),
  handled: Schema.optionalKey(Schema.Boolean)
})

/**
 * @category models
 * @since 0.1.0
 */
export type FaultStep = typeof FaultStep.Type

/**
 * The JSON body of `POST /_sim/faults`. Every member is optional; `count` says how many matching requests
 * (or, for row faults, list responses) the fault affects before the simulator recovers.
 *
 * @category models
 * @since 0.1.0
 */
export const FaultPlan = Schema.Struct({
  /** Only requests whose path starts with this are affected (default: every non-`/_sim` request). */
  pathPrefix: Schema.optionalKey(Schema.String),
  /** Added delay before every matching request is handled, until reset. */
  latencyMs: Schema.optionalKey(NonNegativeInt),
  /** The next `count` requests answer `status` (default 503) with a problem body. */
  status5xx: Schema.optionalKey(
    Schema.Struct({ count: NonNegativeInt, status: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 500, maximum: 599 }))) })
  ),
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit: Schema.optionalKey(Schema.Struct({ count: NonNegativeInt, retryAfterSeconds: NonNegativeInt })),
  /** The next `count` successful responses send half their body, then the connection is cut. */
  truncate: Schema.optionalKey(Counted),
  /** The next `count` list responses carry one malformed row (see the simulator's doc for which field). */
  malformedRows: Schema.optionalKey(Counted),
  /** The next `count` list responses repeat one row. */
  duplicateRows: Schema.optionalKey(Counted),
  /** Successful response bodies are sent at this rate, until reset. */
  dripBytesPerSecond: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  /** The next `count` requests get no answer for `ms` milliseconds (then 504): for client timeouts. */
  hang: Schema.optionalKey(Schema.Struct({ count: NonNegativeInt, ms: NonNegativeInt })),
  /** Faults in order, one per matching request, before any other armed fault; then the other faults apply. */
  sequence: Schema.optionalKey(Schema.Array(FaultStep))
})

/**
 * @category models
 * @since 0.1.0
 */
export type FaultPlan = typeof FaultPlan.Type

/**
 * The row faults a list handler must apply to the page it is about to send.
 *
 * @category models
 * @since 0.1.0
 */
export interface RowFaults {
  readonly malformed: boolean
  readonly duplicate: boolean
}

/**
 * The per-request header naming faults (comma-separated): `503` (any 5xx), `429`, `truncate`,
 * `malformed-rows`, `duplicate-rows`, `hang`. Companions: `x-sim-latency-ms`, `x-sim-hang-ms`
 * (default 30000), `x-sim-retry-after` (default 1).
 *
 * @category headers
 * @since 0.1.0
 */
export const faultHeader = "x-sim-fault"

/**
 * Arms, plays out and reports faults for one simulator.
 *
 * @category models
 * @since 0.1.0
 */
export interface FaultInjector {
  /** Replaces the armed faults. */
  readonly set: (plan: FaultPlan) => void
  /** Disarms everything. */
  readonly reset: () => void
  /** The faults still armed (counts decrease as they fire). */
  readonly snapshot: () => FaultPlan
  /** The middleware playing out request-level faults; install it before the routes. */
  readonly middleware: MiddlewareHandler
  /** For list handlers: whether this response must carry a malformed and/or duplicated row (consumes counts). */
  readonly rowFaults: (c: Context) => RowFaults
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/** Paths under this prefix (the simulator's own admin API) are never faulted. */
const adminPrefix = "/_sim"

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve()
    // unref: a hanging request must not keep a stopping process alive.
    const timer = setTimeout(done, ms)
    timer.unref()
    signal.addEventListener("abort", done, { once: true })
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
  })

const headerFaults = (c: Context): ReadonlySet<string> =>
  new Set(
    (c.req.header(faultHeader) ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== "")
  )

const intHeader = (c: Context, name: string, fallback: number): number => {
  const n = Number(c.req.header(name))
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback
}

/**
 * Sends the first half of the body with the full Content-Length, then cuts the connection: under
 * @hono/node-server by destroying the response's socket (quietly), elsewhere by erroring the stream.
 */
const truncated = (c: Context, bytes: Uint8Array): Response => {
  const res = c.res
  const half = bytes.subarray(0, Math.floor(bytes.length / 2))
  // The node adaptor passes its ServerResponse as `c.env.outgoing`; in-process `app.request` has none.
  const outgoing = (c.env as { readonly outgoing?: { readonly destroy: () => void } } | undefined)?.outgoing
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(half)
    },
    async pull(controller) {
      // Wait a moment first: the node adaptor reads ahead without blocking before it sends the headers, and a
      // cut before that would become a 500 instead of a cut-off 200.
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (outgoing === undefined) return controller.error(new Error("simulated truncation"))
      outgoing.destroy()
      controller.close()
    }
  })
  const headers = new Headers(res.headers)
  headers.set("content-length", String(bytes.length))
  return new Response(body, { status: res.status, headers })
}

/** Feeds the body in small chunks at about `bytesPerSecond`. */
const dripped = (res: Response, bytes: Uint8Array, bytesPerSecond: number, signal: AbortSignal): Response => {
  const tickMs = 100
  const chunk = Math.max(1, Math.floor((bytesPerSecond * tickMs) / 1000))
  let offset = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= bytes.length) return controller.close()
      await sleep(tickMs, signal)
      controller.enqueue(bytes.slice(offset, offset + chunk))
      offset += chunk
    }
  })
  const headers = new Headers(res.headers)
  headers.set("content-length", String(bytes.length))
  return new Response(body, { status: res.status, headers })
}

/**
 * A fault injector with nothing armed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (): FaultInjector => {
  let plan: FaultPlan = {}

  const matches = (c: Context): boolean =>
    !c.req.path.startsWith(adminPrefix) && (plan.pathPrefix === undefined || c.req.path.startsWith(plan.pathPrefix))

  /** Takes one from a counted fault, replacing the plan (the plan's objects are immutable). */
  const take = (key: "status5xx" | "rateLimit" | "truncate" | "malformedRows" | "duplicateRows" | "hang"): boolean => {
    const fault = plan[key]
    if (fault === undefined || fault.count <= 0) return false
    plan = { ...plan, [key]: { ...fault, count: fault.count - 1 } }
    return true
  }

  /** Takes the next step of the sequence, if any is left. */
  const takeStep = (): FaultStep | undefined => {
    const [step, ...rest] = plan.sequence ?? []
    if (step === undefined) return undefined
    plan = { ...plan, sequence: rest }
    return step
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    if (!matches(c)) return next()
    const signal = c.req.raw.signal
    const step = takeStep()
    if (step !== undefined && step.hangMs !== undefined) {
      if (step.handled !== true) {
        await sleep(step.hangMs, signal)
        return Problem.response(504, "Gateway Timeout", "simulated hang")
      }
      await next()
      await sleep(step.hangMs, signal)
      return
    }
    if (step !== undefined && step.status !== undefined) {
      const retryAfter = step.retryAfterSeconds === undefined ? {} : { "retry-after": String(step.retryAfterSeconds) }
      return Problem.response(step.status, step.status === 429 ? "Too Many Requests" : "Simulated Error", `simulated ${step.status}`, {}, retryAfter)
    }
    if (step !== undefined) return next()
    const requested = headerFaults(c)
    const latency = Math.max(plan.latencyMs ?? 0, intHeader(c, "x-sim-latency-ms", 0))
    if (requested.has("hang") || take("hang")) {
      await sleep(requested.has("hang") ? intHeader(c, "x-sim-hang-ms", 30_000) : (plan.hang?.ms ?? 0), signal)
      return Problem.response(504, "Gateway Timeout", "simulated hang")
    }
    await sleep(latency, signal)
    if (requested.has("429") || take("rateLimit")) {
      const retryAfter = requested.has("429") ? intHeader(c, "x-sim-retry-after", 1) : (plan.rateLimit?.retryAfterSeconds ?? 1)
      return Problem.response(429, "Too Many Requests", "simulated rate limit", {}, { "retry-after": String(retryAfter) })
    }
    const status5xx = [...requested].map(Number).find((n) => n >= 500 && n <= 599)
    if (status5xx !== undefined || take("status5xx")) {
      const status = status5xx ?? plan.status5xx?.status ?? 503
      return Problem.response(status, "Simulated Server Error", `simulated ${status}`)
    }
    await next()
    const doTruncate = c.res.ok && (requested.has("truncate") || take("truncate"))
    const drip = c.res.ok ? plan.dripBytesPerSecond : undefined
    if (!doTruncate && drip === undefined) return
    const bytes = new Uint8Array(await c.res.arrayBuffer())
    c.res = doTruncate ? truncated(c, bytes) : dripped(c.res, bytes, drip ?? 1, signal)
  }

  const rowFaults = (c: Context): RowFaults => {
    if (!matches(c)) return { malformed: false, duplicate: false }
    const requested = headerFaults(c)
    return {
      malformed: requested.has("malformed-rows") || take("malformedRows"),
      duplicate: requested.has("duplicate-rows") || take("duplicateRows")
    }
  }

  return {
    set: (next) => {
      plan = next
    },
    reset: () => {
      plan = {}
    },
    snapshot: () => plan,
    middleware,
    rowFaults
  }
}

/**
 * Decodes a fault plan from a JSON value, naming each bad field.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodePlan = (input: unknown): Result.Result<FaultPlan, ReadonlyArray<BodyValidation.FieldError>> =>
  BodyValidation.validate(FaultPlan, input, { exact: true })

// ---------------------------------------------------------------------------------------------------------
// combinators
// ---------------------------------------------------------------------------------------------------------

/**
 * Applies row faults to a page: a malformed row replaces the middle row with `corrupt(row)` (the source data
 * is bad, so the good version is not sent on that page); a duplicate repeats the first row right after itself.
 * Pure; the page's length grows by one with a duplicate.
 *
 * @category combinators
 * @since 0.1.0
 */
export const applyRowFaults = <Row, Out>(
  rows: ReadonlyArray<Row>,
  faults: RowFaults,
  corrupt: (row: Row) => Out
): Array<Row | Out> => {
  const out: Array<Row | Out> = [...rows]
  if (rows.length === 0) return out
  if (faults.malformed) {
    const middle = Math.floor(rows.length / 2)
    out[middle] = corrupt(rows[middle] as Row)
  }
  if (faults.duplicate) out.splice(1, 0, out[0] as Row | Out)
  return out
}
