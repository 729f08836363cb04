/**
 * `/v1/budgets`: budgets by holder and year, the allocations published by the centre, and the budget positions
 * the hub recomputes after each ingest.
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
import * as BudgetQueries from "./BudgetQueries.ts"

/**
 * The budget routes (mounted at `/v1/budgets`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .get(
      "/",
      describeRoute({
        tags: ["budgets"],
        summary: "List budgets",
        description: "Budgets by `holder` (body code) and `year` (financial year, 2015/16), with the administration cap where one applies; amounts in pence.",
        responses: { ...ok("The budgets", BudgetQueries.Budgets), ...problems(400, 503) }
      }),
      requireScope("read"),
      validate("query", BudgetQueries.BudgetQuery),
      async (c) => c.json(await run(BudgetQueries.budgets(c.req.valid("query"))))
    )
    .get(
      "/allocations",
      describeRoute({
        tags: ["budgets"],
        summary: "List allocations published by the centre",
        description: "Allocations by `organisation` (ODS code) and `year` (financial year, 2015/16); amounts in pence.",
        responses: { ...ok("The allocations", BudgetQueries.Allocations), ...problems(400, 503) }
      }),
      requireScope("read"),
      validate("query", BudgetQueries.AllocationQuery),
      async (c) => c.json(await run(BudgetQueries.allocations(c.req.valid("query"))))
    )
    .get(
      "/positions",
      describeRoute({
        tags: ["budgets"],
        summary: "List budget positions",
        description: "Positions at the end of each month with actuals, recomputed after every ingest, by `body`, `year` and `basis`; amounts in pence.",
        responses: { ...ok("The positions", BudgetQueries.Positions), ...problems(400, 503) }
      }),
      requireScope("read"),
      validate("query", BudgetQueries.PositionQuery),
      async (c) => c.json(await run(BudgetQueries.positions(c.req.valid("query"))))
    )
