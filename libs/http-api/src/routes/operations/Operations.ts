/**
 * The public operational endpoints: `/healthz` (the process is up), `/readyz` (the database and Redis are
 * reachable, through the Readiness port) and `/metrics` (Prometheus text).
 * Use cases are `Effect.fnUntraced`: `Effect.fn` captures a stack trace on every call, a measurable cost per
 * request.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { describeRoute } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { ok, problems } from "../../http/Responses.ts"
import type { UseCaseRunner } from "../../http/UseCaseRunner.ts"
import type { GatewayMetrics } from "../../middleware/metrics/GatewayMetrics.ts"
import { CheckResult, Readiness } from "../../ports/Readiness.ts"
import { DependencyUnavailable } from "../../problems/GatewayErrors.ts"

/**
 * The body of `/healthz`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Health = Schema.Struct({ status: Schema.Literal("ok") })

/**
 * The body of a ready `/readyz`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ready = Schema.Struct({ status: Schema.Literal("ready"), checks: Schema.Array(CheckResult) })

/**
 * @category models
 * @since 0.1.0
 */
export type Ready = typeof Ready.Type

/**
 * Every check; fails with `DependencyUnavailable` naming those down.
 *
 * @category queries
 * @since 0.1.0
 */
export const ready = Effect.fnUntraced(function* () {
  const readiness = yield* Readiness
  const checks = yield* readiness.check
  const down = checks.filter((c) => c.status === "down").map((c) => c.name)
  if (down.length > 0) return yield* new DependencyUnavailable({ dependencies: down })
  const answer: Ready = { status: "ready", checks }
  return answer
})

/**
 * The operational routes (mounted at the root).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner, metrics: GatewayMetrics) =>
  new Hono<GatewayEnv>()
    .get(
      "/healthz",
      describeRoute({ tags: ["operations"], summary: "The process is up", responses: ok("Up", Health) }),
      (c) => c.json({ status: "ok" as const })
    )
    .get(
      "/readyz",
      describeRoute({
        tags: ["operations"],
        summary: "The database and Redis are reachable",
        responses: { ...ok("Ready to serve", Ready), ...problems(503) }
      }),
      async (c) => c.json(await run(ready()))
    )
    .get(
      "/metrics",
      describeRoute({
        tags: ["operations"],
        summary: "Prometheus metrics",
        responses: { 200: { description: "Metrics in the Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } } }
      }),
      async (c) => c.body(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType })
    )
