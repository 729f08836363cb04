/**
 * The worker's side of the shipped plugins: the catalog itself lives in libs/plugin-catalog (shared with the
 * gateway); here an enabled plugin is registered with the hub's `PluginRegistry`, its secrets unwrapped straight
 * into the plugin's decoder, which makes them `Redacted` again.
 *
 * @since 0.1.0
 */
import { PluginRegistry } from "@hub/hub"
import { PluginCatalog } from "@hub/plugin-catalog"
import type { PluginError } from "@hub/plugin-sdk"
import type { Effect } from "effect"

/**
 * @category models
 * @since 0.1.0
 */
export type Setting = PluginCatalog.Setting

/**
 * @category models
 * @since 0.1.0
 */
export type CatalogEntry = PluginCatalog.CatalogEntry

/**
 * @category models
 * @since 0.1.0
 */
export type RawSettings = PluginCatalog.RawSettings

/**
 * The shipped plugins (see libs/plugin-catalog).
 *
 * @category catalog
 * @since 0.1.0
 */
export const catalog = PluginCatalog.catalog

/**
 * Reads the settings of every shipped plugin whose `<PREFIX>_BASE_URL` is set.
 *
 * @category config
 * @since 0.1.0
 */
export const fromEnvironment = PluginCatalog.fromEnvironment

/**
 * The catalog entry of a plugin id.
 *
 * @category accessors
 * @since 0.1.0
 */
export const byId = PluginCatalog.byId

/**
 * Registers a plugin with its settings. Every bad setting is named (`BadConfiguration`), never its value.
 *
 * @category constructors
 * @since 0.1.0
 */
export const register = (
  plugin: CatalogEntry,
  settings: RawSettings,
  network: PluginRegistry.NetworkPolicy
): Effect.Effect<PluginRegistry.Entry, PluginError.BadConfiguration> =>
  plugin.withPlugin((p) => PluginRegistry.register({ plugin: p, config: PluginCatalog.configOf(settings), network }))
