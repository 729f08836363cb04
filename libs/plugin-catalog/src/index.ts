/**
 * The plugins this hub ships: how each is configured from the environment, and what may be shown about it.
 *
 * @since 0.1.0
 */
export * as PluginCatalog from "./PluginCatalog.ts"
export * as PluginDescription from "./PluginDescription.ts"
