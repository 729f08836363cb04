/**
 * `/v1/coterminosity`: how health bodies' boundaries relate to councils' on a date (DOMAIN.md §2).
 *
 * @since 0.1.0
 */
import { Hono } from "hono"
import { describeRoute } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import * as JsonAnswer from "../../http/JsonAnswer.ts"
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
export const routes = (run: UseCaseRunner) => {
  // One body's relation is a pure function of the reference data and the query: encoded once, answered from the memo.
  const answers = JsonAnswer.memo()
  return new Hono<GatewayEnv>()
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
        description: "Answers with an `ETag`; a request whose `If-None-Match` names it gets a 304 without a body.",
        responses: {
          ...ok("The body's relation and shares", CoterminosityQueries.RelationAnswer),
          304: { description: "Not modified: the `If-None-Match` names the current `ETag`" },
          ...problems(400, 404)
        }
      }),
      requireScope("read"),
      validate("param", CoterminosityQueries.CodeParam),
      validate("query", CoterminosityQueries.OneQuery),
      async (c) => {
        const query = c.req.valid("query")
        const read = CoterminosityQueries.relationAnswer(answers, c.req.valid("param").code, query.asOf, query.tolerance)
        return JsonAnswer.send(c, await run.read(read))
      }
    )
}
