/**
 * `/v1/delegations`: listing and recording delegations, resolving who exercises a commissioning function, and
 * checking proposed delegations.
 *
 * @since 0.1.0
 */
import { Hono } from "hono"
import { describeRoute } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { ok, problems } from "../../http/Responses.ts"
import type { UseCaseRunner } from "../../http/UseCaseRunner.ts"
import { documented, validate } from "../../http/Validation.ts"
import { requireScope } from "../../middleware/auth/ApiKeyAuth.ts"
import { requireJson } from "../../middleware/mediaType/RequireJson.ts"
import * as DelegationQueries from "./DelegationQueries.ts"
import * as DelegationRecords from "./DelegationRecords.ts"

/**
 * Where a recorded delegation is read (the `Location` of a 201).
 *
 * @category paths
 * @since 0.1.0
 */
export const location = (id: string): string => `/v1/delegations/${encodeURIComponent(id)}`

/**
 * The delegation routes (mounted at `/v1/delegations`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .get(
      "/",
      describeRoute({
        tags: ["delegations"],
        summary: "List recorded delegations",
        description:
          "Delegations recorded through this API, in the order they were recorded (the board papers' own are reference data, see `/resolve`). Filter by `function`, `delegator`, `delegate`, `body` (any role), `date` (in force on it) and `status`; paged with `limit` (at most 200) and the `nextCursor` of the previous page.",
        responses: { ...ok("A page of recorded delegations", DelegationRecords.DelegationPage), ...problems(400, 503) }
      }),
      requireScope("read"),
      validate("query", DelegationRecords.ListQuery),
      async (c) => c.json(await run(DelegationRecords.list(c.req.valid("query"))))
    )
    .post(
      "/",
      describeRoute({
        tags: ["delegations"],
        summary: "Record a delegation",
        description:
          "Checks the delegation with every known one (the board papers' and those recorded) against every delegation rule: 422 with every violation it brings (rule, bodies, dates, source paper), 409 when its id is taken, otherwise it is recorded, with an audit entry naming the API key, and answered 201 with its `Location`.",
        responses: {
          201: {
            description: "Recorded",
            headers: { Location: { description: "Where the recorded delegation is read", schema: { type: "string" } } },
            content: { "application/json": { schema: documented(DelegationRecords.RecordedDelegation) } }
          },
          ...problems(400, 409, 413, 415, 422, 503)
        }
      }),
      requireScope("write"),
      requireJson(),
      validate("json", DelegationRecords.CreateBody),
      async (c) => {
        // requireScope has let the request through, so a key is set; the audit log names it.
        const actor = `api-key:${c.get("apiKey")?.id ?? "unknown"}`
        const recorded = await run(DelegationRecords.create(c.req.valid("json"), actor))
        return c.json(recorded, 201, { Location: location(recorded.id) })
      }
    )
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
    // After the fixed paths, so `/resolve` is never read as an id.
    .get(
      "/:id",
      describeRoute({
        tags: ["delegations"],
        summary: "One recorded delegation",
        description: "A delegation recorded through this API, by its id.",
        responses: { ...ok("The recorded delegation", DelegationRecords.RecordedDelegation), ...problems(400, 404, 503) }
      }),
      requireScope("read"),
      validate("param", DelegationRecords.IdParam),
      async (c) => c.json(await run(DelegationRecords.find(c.req.valid("param").id)))
    )
