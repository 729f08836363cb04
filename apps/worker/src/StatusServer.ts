/**
 * A small loopback HTTP endpoint of the hub process: `GET /status` answers the status snapshot as JSON and
 * `POST /sync` (`{ plugin, stream }`) enqueues a pull. It exists because the embedded database belongs to one
 * process: `hub status` asks the running hub instead of opening the database itself.
 *
 * @since 0.1.0
 */
import { serve } from "@hono/node-server"
import { PluginRegistry, Status } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { Cause, Context, Effect, Exit, type Scope } from "effect"
import { Hono } from "hono"
import type { AddressInfo } from "node:net"
import type * as WorkerRuntime from "./WorkerRuntime.ts"

/**
 * Serves the endpoint on `host:port` (loopback by default) for the life of the scope.
 *
 * @category servers
 * @since 0.1.0
 */
export const start = (options: { readonly port: number; readonly host?: string }): Effect.Effect<
  AddressInfo,
  Error,
  Scope.Scope | WorkerRuntime.Services
> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<WorkerRuntime.Services>()
    const run = <A, E>(effect: Effect.Effect<A, E, WorkerRuntime.Services>) => Effect.runPromiseExit(Effect.provideContext(effect, context))
    const registry = Context.get(context, PluginRegistry.PluginRegistry)
    const app = new Hono()
    app.get("/status", async (c) => {
      const exit = await run(Status.snapshot({ failedLimit: 10 }))
      return Exit.isSuccess(exit) ? c.json(exit.value) : c.json({ error: Cause.pretty(exit.cause) }, 503)
    })
    app.post("/sync", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { readonly plugin?: unknown; readonly stream?: unknown }
      const plugin = typeof body.plugin === "string" ? body.plugin : ""
      const stream = typeof body.stream === "string" ? body.stream : ""
      const entry = registry.entries.find((e) => e.id === plugin)
      if (entry === undefined || !entry.manifest.streams.some((s) => s.name === stream)) {
        return c.json({ error: `unknown plugin/stream ${plugin}/${stream}` }, 400)
      }
      const exit = await run(
        Producer.Producer.use((p) => p.add(JobQueue.pull(plugin), { plugin, stream, reason: "request", requestedBy: "hub-cli" }))
      )
      return Exit.isSuccess(exit) ? c.json(exit.value, 202) : c.json({ error: Cause.pretty(exit.cause) }, 503)
    })
    const host = options.host ?? "127.0.0.1"
    return yield* Effect.acquireRelease(
      Effect.callback<{ readonly server: ReturnType<typeof serve>; readonly address: AddressInfo }, Error>((resume) => {
        const server = serve({ fetch: app.fetch, port: options.port, hostname: host }, (info) =>
          resume(Effect.succeed({ server, address: info })))
        server.once("error", (error) => resume(Effect.fail(new Error(`cannot serve the hub status on ${host}:${options.port}: ${error.message}`))))
      }),
      ({ server }) => Effect.callback<void>((resume) => {
        server.close(() => resume(Effect.void))
        // Drops idle keep-alive connections so closing does not wait for them.
        if ("closeAllConnections" in server && typeof server.closeAllConnections === "function") server.closeAllConnections()
      })
    ).pipe(Effect.map(({ address }) => address))
  })
