/**
 * The gateway application: the middleware stack, the resource sub-apps composed with `app.route`, and the one
 * error handler that turns every failure into problem+json. `createApp` builds it over a runtime without
 * starting a server, so tests call `app.request(...)` directly.
 *
 * @since 0.1.0
 */
import type { Queue } from "bullmq"
import { Cause } from "effect"
import { type Context, Hono } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import type { Logger } from "pino"
import type { GatewayEnv, GatewayRuntime } from "./http/GatewayEnv.ts"
import * as UseCaseRunner from "./http/UseCaseRunner.ts"
import { registerEffectVendor } from "./http/Validation.ts"
import { authenticate, keyLookups } from "./middleware/auth/ApiKeyAuth.ts"
import { requestEnvelope } from "./middleware/envelope/RequestEnvelope.ts"
import * as GatewayMetrics from "./middleware/metrics/GatewayMetrics.ts"
import { makeKeyLimit } from "./middleware/rateLimit/RateLimit.ts"
import { header as requestIdHeader } from "./middleware/requestId/RequestId.ts"
import * as Sessions from "./middleware/session/Sessions.ts"
import { MethodNotAllowed, NotFound } from "./problems/GatewayErrors.ts"
import * as ProblemDetails from "./problems/ProblemDetails.ts"
import * as Admin from "./routes/admin/Admin.ts"
import * as QueueBoards from "./routes/admin/QueueBoards.ts"
import * as Audit from "./routes/audit/Audit.ts"
import * as Budgets from "./routes/budgets/Budgets.ts"
import * as Coterminosity from "./routes/coterminosity/Coterminosity.ts"
import * as Delegations from "./routes/delegations/Delegations.ts"
import * as Docs from "./routes/docs/Docs.ts"
import * as Operations from "./routes/operations/Operations.ts"
import * as Organisations from "./routes/organisations/Organisations.ts"
import * as Plugins from "./routes/plugins/Plugins.ts"
import * as Quarantine from "./routes/quarantine/Quarantine.ts"
import * as Submissions from "./routes/submissions/Submissions.ts"
import * as Syncs from "./routes/syncs/Syncs.ts"

// ---------------------------------------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------------------------------------

/**
 * Limits, with their defaults in {@link defaultLimits}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Limits {
  /** The largest request body, in bytes. */
  readonly bodyBytes: number
  /** The burst of requests one key may send. */
  readonly rateCapacity: number
  /** The sustained requests per second one key may send (per process). */
  readonly ratePerSecond: number
  /** How long API key lookups are cached, in milliseconds. */
  readonly authCacheTtlMs: number
  /** How long a dashboard session lasts after sign-in, in milliseconds. */
  readonly sessionTtlMs: number
}

/**
 * @category constants
 * @since 0.1.0
 */
export const defaultLimits: Limits = {
  bodyBytes: 1024 * 1024,
  rateCapacity: 100,
  ratePerSecond: 50,
  authCacheTtlMs: 30_000,
  sessionTtlMs: 8 * 3_600_000
}

/**
 * What the app is built from.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppOptions {
  /** The one runtime every handler runs its use case on. */
  readonly runtime: GatewayRuntime
  /** Where access and error logs go. */
  readonly logger: Logger
  /** The metrics registry; a fresh one when absent. */
  readonly metrics?: GatewayMetrics.GatewayMetrics
  readonly limits?: Partial<Limits>
  /** The version shown in the OpenAPI document. */
  readonly version?: string
  /** A millisecond clock for the rate limiter, the auth cache and sessions (tests pass their own). */
  readonly now?: () => number
  /** The BullMQ queues the dashboard shows (libs/queue's `BullQueues.get` of each hub queue); none when absent. */
  readonly dashboardQueues?: ReadonlyArray<Queue>
}

/**
 * The paths that need no API key. Everything else lives under `/v1` or is the queue dashboard, and requires one.
 *
 * @category constants
 * @since 0.1.0
 */
export const publicPaths: ReadonlyArray<string> = [
  "/healthz",
  "/readyz",
  "/metrics",
  Docs.specPath,
  "/docs",
  "/docs/assets/:file",
  Admin.signInPath,
  Admin.signOutPath
]

// ---------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------

const respond = (c: Context<GatewayEnv>, error: unknown): Response => {
  const requestId = c.get("requestId")
  const problem = ProblemDetails.fromError(error, { requestId, instance: c.req.path })
  return c.body(JSON.stringify(problem.body), problem.status as ContentfulStatusCode, {
    ...problem.headers,
    [requestIdHeader]: requestId
  })
}

/** What the log says about an unexpected failure: its cause, for operators; clients only see the request id. */
const describeFailure = (error: unknown): string =>
  error instanceof UseCaseRunner.UnexpectedFailure
    ? Cause.pretty(error.failure)
    : error instanceof Error
    ? (error.stack ?? error.message)
    : String(error)

// ---------------------------------------------------------------------------------------------------------
// the app
// ---------------------------------------------------------------------------------------------------------

/**
 * Builds the gateway over a runtime: request ids, metrics and access logs, security headers, 405s, body
 * limits, API-key auth and per-key rate limits on `/v1`, the resource routes, the docs, and problem+json for
 * every failure.
 *
 * @category constructors
 * @since 0.1.0
 */
export const createApp = (options: AppOptions) => {
  registerEffectVendor()
  const limits: Limits = { ...defaultLimits, ...options.limits }
  const metrics = options.metrics ?? GatewayMetrics.make()
  const run = UseCaseRunner.make(options.runtime)
  const clock = options.now === undefined ? {} : { now: options.now }
  const logger = options.logger

  const answerError = (error: Error, c: Context<GatewayEnv>): Response => {
    const response = respond(c, error)
    if (response.status === 500) {
      logger.error({ requestId: c.get("requestId"), failure: describeFailure(error) }, "unexpected failure")
    }
    return response
  }

  const app = new Hono<GatewayEnv>()
  // Request id, security headers (built once; see SecureHeaders.ts), body limit, 405s, metrics and the access
  // log, in one middleware (see RequestEnvelope.ts for why).
  app.use(
    requestEnvelope({
      app,
      logger,
      metrics,
      bodyBytes: limits.bodyBytes,
      onError: answerError,
      onMethodNotAllowed: (c, allow) => respond(c, new MethodNotAllowed({ method: c.req.method, allow }))
    })
  )
  const keys = keyLookups({ run, cacheTtlMs: limits.authCacheTtlMs, ...clock })
  const find = keys.byHash
  const keyLimit = makeKeyLimit({ capacity: limits.rateCapacity, refillPerSecond: limits.ratePerSecond, ...clock })
  const limit = keyLimit.middleware
  // Authentication and the per-key rate limit in one step; the dashboard shares the cache and the buckets.
  app.use("/v1/*", authenticate(keys, keyLimit.check))

  app.route("/", Operations.routes(run, metrics))
  app.route("/", Docs.routes(app, options.version ?? "0.1.0"))
  app.route("/v1/organisations", Organisations.routes(run))
  app.route("/v1/coterminosity", Coterminosity.routes(run))
  app.route("/v1/delegations", Delegations.routes(run))
  app.route("/v1/quarantine", Quarantine.routes(run))
  app.route("/v1/audit", Audit.routes(run))
  app.route("/v1/budgets", Budgets.routes(run))
  app.route("/v1/submissions", Submissions.routes(run))
  app.route("/v1/plugins", Plugins.routes(run))
  app.route("/v1/syncs", Syncs.routes(run))
  app.route(
    "/",
    Admin.routes({
      find,
      limit,
      sessions: Sessions.make({ ttlMs: limits.sessionTtlMs, ...clock }),
      boards: QueueBoards.make(options.dashboardQueues ?? [])
    })
  )

  app.notFound((c) => respond(c, new NotFound({ entity: "route", key: c.req.path })))
  app.onError(answerError)
  return app
}

/**
 * The type of the app `createApp` builds.
 *
 * @category models
 * @since 0.1.0
 */
export type GatewayApp = ReturnType<typeof createApp>
