/**
 * `/v1/plugins`: the installed plugins' manifests and configuration status (never a setting's value), and
 * running a plugin's check against its configured system (ops).
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
import { Description } from "../../ports/Plugins.ts"
import * as PluginQueries from "./PluginQueries.ts"

/**
 * The plugin routes (mounted at `/v1/plugins`).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (run: UseCaseRunner) =>
  new Hono<GatewayEnv>()
    .get(
      "/",
      describeRoute({
        tags: ["plugins"],
        summary: "The installed plugins: manifests, whether each is enabled, and the status of its settings",
        description: "Sorted by id and paged with `limit` and `cursor`. Settings show `set`, `unset` or `default`, never a value.",
        responses: { ...ok("A page of plugins", PluginQueries.PluginPage), ...problems(400) }
      }),
      requireScope("read"),
      validate("query", PluginQueries.ListQuery),
      async (c) => c.json(await run(PluginQueries.list(c.req.valid("query"))))
    )
    .get(
      "/:id",
      describeRoute({
        tags: ["plugins"],
        summary: "One plugin: its streams, push kinds, hosts and configuration status",
        responses: { ...ok("The plugin", Description), ...problems(400, 404) }
      }),
      requireScope("read"),
      validate("param", PluginQueries.IdParam),
      async (c) => c.json(await run(PluginQueries.get(c.req.valid("param").id)))
    )
    .post(
      "/:id/check",
      describeRoute({
        tags: ["plugins"],
        summary: "Run the plugin's check against its configured system",
        description:
          "Answers 200 with `ok: true`, or `ok: false` with the plugin's reason (its error tag, message and whether a retry may help). 409 when the plugin is not enabled in this hub.",
        responses: { ...ok("What the check found", PluginQueries.CheckResult), ...problems(400, 404, 409) }
      }),
      requireScope("ops"),
      validate("param", PluginQueries.IdParam),
      async (c) => c.json(await run(PluginQueries.check(c.req.valid("param").id)))
    )
