/**
 * `/v1/quarantine`: the rows the ingest rejected, for ops to inspect.
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
import * as QuarantineQueries from "./QuarantineQueries.ts"

/**
 * The quarantine routes (mounted at `/v1/quarantine`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>().get(
    "/",
    describeRoute({
      tags: ["ingest"],
      summary: "List quarantined rows",
      description:
        "Rows the ingest rejected, oldest first: plugin and stream, the line in the source, the raw row and every reason. Filter by `plugin` and `stream`; paged with `limit` (at most 200) and the `nextCursor` of the previous page.",
      responses: { ...ok("A page of quarantined rows", QuarantineQueries.QuarantinePage), ...problems(400, 503) }
    }),
    requireScope("read"),
    validate("query", QuarantineQueries.ListQuery),
    async (c) => c.json(await run(QuarantineQueries.list(c.req.valid("query"))))
  )
