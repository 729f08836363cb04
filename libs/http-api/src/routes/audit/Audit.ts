/**
 * `/v1/audit`: who changed what and when.
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
import * as AuditQueries from "./AuditQueries.ts"

/**
 * The audit routes (mounted at `/v1/audit`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>().get(
    "/",
    describeRoute({
      tags: ["audit"],
      summary: "List the audit log",
      description:
        "Every write made through the store: who (actor), what (action, entity type and key, a before/after summary) and when, oldest first. Filter by `entityType` and `entityKey`; paged with `limit` (at most 200) and `nextCursor`.",
      responses: { ...ok("A page of audit entries", AuditQueries.AuditPage), ...problems(400, 503) }
    }),
    requireScope("read"),
    validate("query", AuditQueries.ListQuery),
    async (c) => c.json(await run(AuditQueries.list(c.req.valid("query"))))
  )
