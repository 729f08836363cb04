/**
 * `/v1/coterminosity`: how health bodies' boundaries relate to councils' on a date (DOMAIN.md §2).
 *
 * @since 0.1.0
 */
import { Hono } from "hono"
import { describeRoute } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { ok, problems } from "../../http/Responses.ts"
import type { UseCaseRunner } from "../../http/UseCaseRunner.ts"
import { validate } from "../../http/Validation.ts"
import { requireScope } from "../../middleware/auth/ApiKeyAuth.ts"
import * as CoterminosityQueries from "./CoterminosityQueries.ts"

/**
 * The coterminosity routes (mounted at `/v1/coterminosity`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .get(
      "/",
      describeRoute({
        tags: ["coterminosity"],
        summary: "Coterminosity report for a set of health bodies, or all",
        description: "Each body is coterminous, a union, within or crossing its councils; `missing` lists codes asked for that hold no areas on the date.",
        responses: { ...ok("The report", CoterminosityQueries.ReportAnswer), ...problems(400) }
      }),
      requireScope("read"),
      validate("query", CoterminosityQueries.ReportQuery),
      async (c) => c.json(await run(CoterminosityQueries.report(c.req.valid("query"))))
    )
    .get(
      "/:code",
      describeRoute({
        tags: ["coterminosity"],
        summary: "How one health body's boundary relates to its councils",
        responses: { ...ok("The body's relation and shares", CoterminosityQueries.RelationAnswer), ...problems(400, 404) }
      }),
      requireScope("read"),
      validate("param", CoterminosityQueries.CodeParam),
      validate("query", CoterminosityQueries.OneQuery),
      async (c) => {
        const query = c.req.valid("query")
        return c.json(await run(CoterminosityQueries.relationOf(c.req.valid("param").code, query.asOf, query.tolerance)))
      }
    )
