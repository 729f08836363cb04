/**
 * `/v1/delegations`: resolving who exercises a commissioning function, and checking proposed delegations.
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
import { requireJson } from "../../middleware/mediaType/RequireJson.ts"
import * as DelegationQueries from "./DelegationQueries.ts"

/**
 * The delegation routes (mounted at `/v1/delegations`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .get(
      "/resolve",
      describeRoute({
        tags: ["delegations"],
        summary: "Who is accountable for, and who exercises, a function for a body on a date",
        description: "Accountability stays with the chain's root (southwark-2015 §14); `chain` lists the delegations followed.",
        responses: { ...ok("The resolution", DelegationQueries.Resolution), ...problems(400, 404) }
      }),
      requireScope("read"),
      validate("query", DelegationQueries.ResolveQuery),
      async (c) => c.json(await run(DelegationQueries.resolve(c.req.valid("query"))))
    )
    .post(
      "/check",
      describeRoute({
        tags: ["delegations"],
        summary: "Check proposed delegations against every delegation rule",
        description: "Answers 200 when every rule holds, or 422 with every violation (rule, bodies, dates, source paper).",
        responses: { ...ok("Every rule holds", DelegationQueries.CheckAnswer), ...problems(400, 413, 415, 422) }
      }),
      requireScope("read"),
      requireJson(),
      validate("json", DelegationQueries.CheckBody),
      async (c) => c.json(await run(DelegationQueries.check(c.req.valid("json"))))
    )
