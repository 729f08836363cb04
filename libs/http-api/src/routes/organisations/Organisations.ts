/**
 * `/v1/organisations`: the bodies of the registry as at a date, and one body with its relationships.
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
import * as OrganisationQueries from "./OrganisationQueries.ts"

/**
 * The organisation routes (mounted at `/v1/organisations`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) => {
  // One body is a pure function of the registry and the query: encoded once, answered from the memo.
  const answers = JsonAnswer.memo()
  return new Hono<GatewayEnv>()
    .get(
      "/",
      describeRoute({
        tags: ["organisations"],
        summary: "List the bodies operational on a date",
        description:
          "Filters by kind, group membership and text; sorted by code; paged with `limit` (at most 200) and the `nextCursor` of the previous page.",
        responses: { ...ok("A page of bodies", OrganisationQueries.OrganisationPage), ...problems(400, 404) }
      }),
      requireScope("read"),
      validate("query", OrganisationQueries.ListQuery),
      async (c) => c.json(await run(OrganisationQueries.list(c.req.valid("query"))))
    )
    .get(
      "/:code",
      describeRoute({
        tags: ["organisations"],
        summary: "One body as at a date",
        description:
          "Looks the code up as a hub, ODS or GSS code; answers with its groups, hosts, successors and predecessors, and an `ETag`: a request whose `If-None-Match` names it gets a 304 without a body.",
        responses: {
          ...ok("The body and its relationships", OrganisationQueries.OrganisationDetail),
          304: { description: "Not modified: the `If-None-Match` names the current `ETag`" },
          ...problems(400, 404)
        }
      }),
      requireScope("read"),
      validate("param", OrganisationQueries.CodeParam),
      validate("query", OrganisationQueries.DetailQuery),
      async (c) => {
        const read = OrganisationQueries.detailAnswer(answers, c.req.valid("param").code, c.req.valid("query").asOf)
        return JsonAnswer.send(c, await run.read(read))
      }
    )
}
