/**
 * The plugins this hub ships, and how each one's configuration is read from the environment: a plugin is
 * enabled when its `<PREFIX>_BASE_URL` is set; secrets are read as `Config.Redacted` and only unwrapped into the
 * configuration handed to the plugin, never logged. Adding a plugin = one entry here. Both apps read it: the
 * worker registers the enabled plugins, the gateway describes them (manifests and configuration status).
 *
 * @since 0.1.0
 */
import { CouncilFinancePlugin } from "@hub/plugin-council-finance"
import { plugin as londonCbs } from "@hub/plugin-london-cbs"
import { plugin as nhsEnglandReturns } from "@hub/plugin-nhs-england-returns"
import type { Manifest, Plugin } from "@hub/plugin-sdk"
import { Config, Option, Redacted } from "effect"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

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
 * Hands the entry's plugin to `use` with its own configuration type (each plugin has a different one, so the
 * catalog holds them behind this function rather than as `Plugin<unknown>`).
 *
 * @category models
 * @since 0.1.0
 */
export type WithPlugin = <R>(use: <C>(plugin: Plugin.Plugin<C>) => R) => R

/**
 * A shipped plugin: its manifest, the environment prefix, its settings and the plugin itself.
 *
 * @category models
 * @since 0.1.0
 */
export interface CatalogEntry {
  readonly id: string
  readonly manifest: Manifest.Manifest
  readonly envPrefix: string
  readonly settings: ReadonlyArray<Setting>
  readonly withPlugin: WithPlugin
}

/**
 * A plugin's settings as read from the environment: secrets stay `Redacted` until the plugin decodes them.
 *
 * @category models
 * @since 0.1.0
 */
export type RawSettings = Readonly<Record<string, string | number | Redacted.Redacted<string>>>

/**
 * An enabled plugin with its settings.
 *
 * @category models
 * @since 0.1.0
 */
export interface Configured {
  readonly entry: CatalogEntry
  readonly settings: RawSettings
}

// ---------------------------------------------------------------------------------------------------------
// the catalog
// ---------------------------------------------------------------------------------------------------------

const entry = <C>(plugin: Plugin.Plugin<C>, envPrefix: string, settings: ReadonlyArray<Setting>): CatalogEntry => ({
  id: plugin.manifest.id,
  manifest: plugin.manifest,
  envPrefix,
  settings,
  withPlugin: (use) => use(plugin)
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
 * The catalog entry of a plugin id.
 *
 * @category accessors
 * @since 0.1.0
 */
export const byId = (id: string): CatalogEntry | undefined => catalog.find((c) => c.id === id)

// ---------------------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------------------

/**
 * The environment variable a setting is read from (`LONDON_CBS_API_KEY`).
 *
 * @category accessors
 * @since 0.1.0
 */
export const variableOf = (plugin: Pick<CatalogEntry, "envPrefix">, setting: Setting): string => `${plugin.envPrefix}_${setting.env}`

const settingConfig = (plugin: CatalogEntry, setting: Setting): Config.Config<Option.Option<string | number | Redacted.Redacted<string>>> => {
  const name = variableOf(plugin, setting)
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
export const fromEnvironment: Config.Config<ReadonlyArray<Configured>> = Config.all(
  catalog.map((c) =>
    Config.all(c.settings.map((s) => settingConfig(c, s))).pipe(
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
 * The configuration handed to the plugin's decoder: secrets are unwrapped here, and only here (the plugin's
 * configuration schema makes them `Redacted` again).
 *
 * @category conversions
 * @since 0.1.0
 */
export const configOf = (settings: RawSettings): Readonly<Record<string, unknown>> => {
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(settings)) config[key] = Redacted.isRedacted(value) ? Redacted.value(value) : value
  return config
}
