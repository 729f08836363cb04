/**
 * The installed plugins as the gateway process describes them (libs/http-api's Plugins port): every shipped
 * plugin from libs/plugin-catalog, and for each enabled one a check bound to its configuration and to an HTTP
 * client limited to its hosts, exactly as the worker registers it. A plugin whose configuration does not decode
 * does not stop the gateway: its check answers with the `BadConfiguration` naming every bad field.
 *
 * @since 0.1.0
 */
import type { Plugins } from "@hub/http-api"
import { PluginRegistry } from "@hub/hub"
import { PluginCatalog, PluginDescription } from "@hub/plugin-catalog"
import { Effect, Result } from "effect"

/**
 * The installed plugins of a configuration.
 *
 * @category constructors
 * @since 0.1.0
 */
export const installed = (
  configured: ReadonlyArray<PluginCatalog.Configured>,
  network: PluginRegistry.NetworkPolicy
): Effect.Effect<ReadonlyArray<Plugins.Installed>> =>
  Effect.gen(function*() {
    const checks = new Map<string, Plugins.Installed["check"]>()
    for (const plugin of configured) {
      const registered = yield* Effect.result(
        plugin.entry.withPlugin((p) => PluginRegistry.register({ plugin: p, config: PluginCatalog.configOf(plugin.settings), network }))
      )
      checks.set(plugin.entry.id, Result.isSuccess(registered) ? registered.success.check : () => Effect.fail(registered.failure))
    }
    return PluginDescription.describeAll(configured, (id) => checks.get(id))
  })
