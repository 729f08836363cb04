/**
 * `/v1/submissions`: prepare a monthly financial return, submit it under an `Idempotency-Key` (a repeat gets the
 * stored answer, a concurrent repeat 409, the key reused for another request 422), and read submissions with
 * their receipts, acknowledgements and rejection reasons.
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
import * as Idempotency from "../../middleware/idempotency/Idempotency.ts"
import { requireJson } from "../../middleware/mediaType/RequireJson.ts"
import { Unauthorized } from "../../problems/GatewayErrors.ts"
import * as SubmissionCommands from "./SubmissionCommands.ts"
import * as SubmissionQueries from "./SubmissionQueries.ts"

/**
 * How the submit route keeps Idempotency-Key records (defaults in the middleware).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly leaseMs?: number
  readonly retainMs?: number
}

const idempotencyKeyParameter = {
  name: Idempotency.header,
  in: "header" as const,
  required: true,
  description:
    "A unique key per submission (a UUID, say), repeated on retries: a repeat with the same body gets the stored response (`Idempotent-Replayed: true`), a repeat while the first is running 409, the key with another body 422.",
  schema: { type: "string" as const, minLength: 1, maxLength: Idempotency.maxKeyLength }
}

/**
 * The submission routes (mounted at `/v1/submissions`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner, options: Options = {}) =>
  new Hono<GatewayEnv>()
    .post(
      "/prepare",
      describeRoute({
        tags: ["submissions"],
        summary: "Prepare a monthly financial return",
        description:
          "Computes the return of `commissioner` for `financialYear` and `month` from the ingested allocations, contract activity and (optionally) partner councils' spend, with the position and the kernel's flags, and writes it to the outbox: 201 with a new version when the figures changed (superseding the previous one), 200 with the stored one when they did not. Amounts in pence.",
        responses: {
          201: { description: "A new version was prepared", content: { "application/json": { schema: documented(SubmissionCommands.Prepared) } } },
          ...ok("The stored version already has these figures", SubmissionCommands.Prepared),
          ...problems(400, 413, 415, 422, 503)
        }
      }),
      requireScope("write"),
      requireJson(),
      validate("json", SubmissionCommands.PrepareBody),
      async (c) => {
        const key = c.get("apiKey")
        if (key === undefined) throw new Unauthorized()
        const prepared = await run(SubmissionCommands.prepare(c.req.valid("json"), SubmissionCommands.actorOf(key.id)))
        return c.json(prepared, prepared.created ? 201 : 200)
      }
    )
    .post(
      "/:id/submit",
      describeRoute({
        tags: ["submissions"],
        summary: "Submit a prepared submission",
        description:
          "Enqueues the push of the prepared submission `id` (the latest version of its series) and answers 202 with the push job; the worker sends it with its business idempotency key. Requires an `Idempotency-Key` header. The optional JSON body's `note` is kept in the audit log.",
        parameters: [idempotencyKeyParameter],
        responses: {
          202: { description: "The push is enqueued", content: { "application/json": { schema: documented(SubmissionCommands.Submitted) } } },
          ...problems(400, 404, 409, 413, 422, 503)
        }
      }),
      requireScope("write"),
      validate("param", SubmissionQueries.IdParam),
      Idempotency.idempotency({ run, ...options }),
      validate("json", SubmissionCommands.SubmitBody),
      async (c) => {
        const key = c.get("apiKey")
        if (key === undefined) throw new Unauthorized()
        const submitted = await run(
          SubmissionCommands.submit(Number(c.req.valid("param").id), c.req.valid("json"), SubmissionCommands.actorOf(key.id))
        )
        return c.json(submitted, 202)
      }
    )
    .get(
      "/",
      describeRoute({
        tags: ["submissions"],
        summary: "List submissions",
        description:
          "Submissions oldest first with their state, receipt, acknowledgement and rejection reasons. Filter by `plugin` and `state`; paged with `limit` (at most 200) and the `nextCursor` of the previous page.",
        responses: { ...ok("A page of submissions", SubmissionQueries.SubmissionPage), ...problems(400, 503) }
      }),
      requireScope("read"),
      validate("query", SubmissionQueries.ListQuery),
      async (c) => c.json(await run(SubmissionQueries.list(c.req.valid("query"))))
    )
    .get(
      "/:id",
      describeRoute({
        tags: ["submissions"],
        summary: "A submission with its payload, receipt and acknowledgement",
        description: "The submission `id` as prepared (its payload), and what the outside system said: receipt, acknowledgement or rejection reasons.",
        responses: { ...ok("The submission", SubmissionQueries.SubmissionDetail), ...problems(400, 404, 503) }
      }),
      requireScope("read"),
      validate("param", SubmissionQueries.IdParam),
      async (c) => c.json(await run(SubmissionQueries.find(Number(c.req.valid("param").id))))
    )
