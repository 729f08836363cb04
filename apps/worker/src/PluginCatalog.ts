/**
 * The plugins this hub ships, and how each one's configuration is read from the environment: a plugin is
 * enabled when its `<PREFIX>_BASE_URL` is set; secrets are read as `Config.Redacted` and only unwrapped into the
 * configuration handed to the plugin, never logged. Adding a plugin = one entry here.
 *
 * @since 0.1.0
 */
import { PluginRegistry } from "@hub/hub"
import { CouncilFinancePlugin } from "@hub/plugin-council-finance"
import { plugin as londonCbs } from "@hub/plugin-london-cbs"
import { plugin as nhsEnglandReturns } from "@hub/plugin-nhs-england-returns"
import type { Plugin, PluginError } from "@hub/plugin-sdk"
import { Config, Effect, Option, Redacted } from "effect"

/**
 * One setting of a plugin: its configuration key, the environment variable suffix, and how to read it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Setting {
  readonly key: string
  readonly env: string
  readonly type: "string" | "secret" | "int"
}

/**
 * A shipped plugin: its plugin value (bound to its own config type inside `register`), the environment prefix
 * and its settings.
 *
 * @category models
 * @since 0.1.0
 */
export interface CatalogEntry {
  readonly id: string
  readonly envPrefix: string
  readonly settings: ReadonlyArray<Setting>
  readonly register: (
    config: Readonly<Record<string, unknown>>,
    network: PluginRegistry.NetworkPolicy
  ) => Effect.Effect<PluginRegistry.Entry, PluginError.BadConfiguration>
}

const entry = <C>(plugin: Plugin.Plugin<C>, envPrefix: string, settings: ReadonlyArray<Setting>): CatalogEntry => ({
  id: plugin.manifest.id,
  envPrefix,
  settings,
  register: (config, network) => PluginRegistry.register({ plugin, config, network })
})

/**
 * The shipped plugins and their environment variables.
 *
 * @category catalog
 * @since 0.1.0
 */
export const catalog: ReadonlyArray<CatalogEntry> = [
  entry(CouncilFinancePlugin.plugin, "COUNCIL_FINANCE", [
    { key: "baseUrl", env: "BASE_URL", type: "string" },
    { key: "apiToken", env: "API_TOKEN", type: "secret" },
    { key: "council", env: "COUNCIL", type: "string" },
    { key: "pageSize", env: "PAGE_SIZE", type: "int" }
  ]),
  entry(londonCbs, "LONDON_CBS", [
    { key: "baseUrl", env: "BASE_URL", type: "string" },
    { key: "apiKey", env: "API_KEY", type: "secret" },
    { key: "pageSize", env: "PAGE_SIZE", type: "int" },
    { key: "financialYear", env: "FINANCIAL_YEAR", type: "string" }
  ]),
  entry(nhsEnglandReturns, "NHS_ENGLAND_RETURNS", [
    { key: "baseUrl", env: "BASE_URL", type: "string" },
    { key: "token", env: "TOKEN", type: "secret" },
    { key: "pageSize", env: "PAGE_SIZE", type: "int" },
    { key: "financialYear", env: "FINANCIAL_YEAR", type: "string" }
  ])
]

/**
 * A plugin's settings as read from the environment: secrets stay `Redacted` until the plugin decodes them.
 *
 * @category models
 * @since 0.1.0
 */
export type RawSettings = Readonly<Record<string, string | number | Redacted.Redacted<string>>>

const settingConfig = (prefix: string, setting: Setting): Config.Config<Option.Option<string | number | Redacted.Redacted<string>>> => {
  const name = `${prefix}_${setting.env}`
  switch (setting.type) {
    case "secret":
      return Config.option(Config.Redacted(name))
    case "int":
      return Config.option(Config.Int(name))
    case "string":
      return Config.option(Config.String(name))
  }
}

/**
 * Reads the settings of every shipped plugin whose `<PREFIX>_BASE_URL` is set.
 *
 * @category config
 * @since 0.1.0
 */
export const fromEnvironment: Config.Config<ReadonlyArray<{ readonly entry: CatalogEntry; readonly settings: RawSettings }>> =
  Config.all(
    catalog.map((c) =>
      Config.all(c.settings.map((s) => settingConfig(c.envPrefix, s))).pipe(
        Config.map((values) => {
          const settings: Record<string, string | number | Redacted.Redacted<string>> = {}
          c.settings.forEach((s, i) => {
            const value = values[i]
            if (value !== undefined && Option.isSome(value)) settings[s.key] = value.value
          })
          return { entry: c, settings }
        })
      )
    )
  ).pipe(Config.map((all) => all.filter((p) => p.settings["baseUrl"] !== undefined)))

/**
 * Registers a plugin with its settings: secrets are unwrapped here, straight into the plugin's decoder, which
 * makes them `Redacted` again. Every bad setting is named (`BadConfiguration`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const register = (
  plugin: CatalogEntry,
  settings: RawSettings,
  network: PluginRegistry.NetworkPolicy
): Effect.Effect<PluginRegistry.Entry, PluginError.BadConfiguration> => {
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(settings)) config[key] = Redacted.isRedacted(value) ? Redacted.value(value) : value
  return plugin.register(config, network)
}

/**
 * The catalog entry of a plugin id.
 *
 * @category accessors
 * @since 0.1.0
 */
export const byId = (id: string): CatalogEntry | undefined => catalog.find((c) => c.id === id)
