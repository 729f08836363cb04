/**
 * `/v1/syncs`: start a pull of a plugin's stream (202 with the job id), and read a pull job's status.
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
import * as SyncQueries from "./SyncQueries.ts"

/**
 * The sync routes (mounted at `/v1/syncs`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .post(
      "/",
      describeRoute({
        tags: ["syncs"],
        summary: "Start a pull of one stream of an enabled plugin",
        description:
          "Enqueues a pull job on the plugin's pull queue and answers 202 at once; follow `statusUrl` for its progress. 404 for an unknown plugin, 409 for one this hub does not run, 422 for a stream the plugin does not have, 503 when the queue (Redis) is down.",
        responses: {
          202: {
            description: "The pull is enqueued",
            headers: { Location: { description: "The job's status URL", schema: { type: "string" } } },
            content: { "application/json": { schema: documented(SyncQueries.Started) } }
          },
          ...problems(400, 404, 409, 413, 415, 422, 503)
        }
      }),
      requireScope("write"),
      requireJson(),
      validate("json", SyncQueries.StartBody),
      async (c) => {
        const key = c.get("apiKey")
        const started = await run(SyncQueries.start(c.req.valid("json"), `api-key:${key?.id ?? "unknown"}`))
        return c.json(started, 202, { Location: started.statusUrl })
      }
    )
    .get(
      "/:jobId",
      describeRoute({
        tags: ["syncs"],
        summary: "A pull job's state, progress, counts and failure reason",
        description:
          "`counts` (accepted = stored + quarantined) appear once the pull completed; `failureReason` when a run failed (a failed job, or one waiting to be retried).",
        responses: { ...ok("The job's status", SyncQueries.Status), ...problems(400, 404, 503) }
      }),
      requireScope("read"),
      validate("param", SyncQueries.JobParam),
      async (c) => c.json(await run(SyncQueries.status(c.req.valid("param").jobId)))
    )
