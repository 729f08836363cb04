/**
 * What may be shown about a shipped plugin: its manifest (streams, push kinds, hosts) and, for each
 * configuration field, whether it is set, unset or left to the plugin's default, with the environment variable
 * that sets it. Values are never part of a description, so a secret cannot leak through one.
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import type { CatalogEntry, Configured, RawSettings } from "./PluginCatalog.ts"
import { catalog, variableOf } from "./PluginCatalog.ts"

/**
 * `set`: a value is configured; `unset`: a required field has no value; `default`: an optional field has no
 * value, so the plugin's default applies.
 *
 * @category models
 * @since 0.1.0
 */
export type SettingStatus = "set" | "unset" | "default"

/**
 * One configuration field and its status.
 *
 * @category models
 * @since 0.1.0
 */
export interface SettingDescription {
  readonly name: string
  readonly description: string
  readonly secret: boolean
  readonly required: boolean
  /** The environment variable that sets it (absent when the catalog reads no variable for it). */
  readonly env?: string
  readonly status: SettingStatus
}

/**
 * A plugin as ops and downstream apps see it.
 *
 * @category models
 * @since 0.1.0
 */
export interface PluginDescription {
  readonly id: string
  readonly version: string
  readonly displayName: string
  readonly externalSystem: string
  readonly description: string
  /** Whether this hub is configured to run it (its `<PREFIX>_BASE_URL` is set). */
  readonly enabled: boolean
  readonly streams: ReadonlyArray<{ readonly name: string; readonly recordType: string; readonly cursor: string; readonly description: string }>
  readonly pushes: ReadonlyArray<{ readonly kind: string; readonly payloadType: string; readonly description: string }>
  readonly hosts: ReadonlyArray<string>
  readonly settings: ReadonlyArray<SettingDescription>
}

/**
 * Describes a catalog entry with the settings it is configured with (`undefined`: not enabled).
 *
 * @category constructors
 * @since 0.1.0
 */
export const describe = (entry: CatalogEntry, settings: RawSettings | undefined): PluginDescription => {
  const { manifest } = entry
  return {
    id: entry.id,
    version: manifest.version,
    displayName: manifest.displayName,
    externalSystem: manifest.externalSystem,
    description: manifest.description,
    enabled: settings !== undefined,
    streams: manifest.streams.map((s) => ({ name: s.name, recordType: s.recordType, cursor: s.cursor, description: s.description })),
    pushes: manifest.pushes.map((p) => ({ kind: p.kind, payloadType: p.payloadType, description: p.description })),
    hosts: manifest.hosts,
    settings: manifest.configuration.map((field) => {
      const setting = entry.settings.find((s) => s.key === field.name)
      const status: SettingStatus = settings?.[field.name] !== undefined ? "set" : field.required ? "unset" : "default"
      return {
        name: field.name,
        description: field.description,
        secret: field.secret || setting?.type === "secret",
        required: field.required,
        ...(setting === undefined ? {} : { env: variableOf(entry, setting) }),
        status
      }
    })
  }
}

/**
 * A shipped plugin described, with its check when the hub runs it (the shape of the gateway's Plugins port).
 *
 * @category models
 * @since 0.1.0
 */
export interface Described<E> {
  readonly description: PluginDescription
  readonly check?: () => Effect.Effect<void, E>
}

/**
 * Every shipped plugin, described with the settings of the enabled ones, and the check `checkOf` gives for each
 * enabled plugin (apps bind it to the plugin registered with its configuration).
 *
 * @category constructors
 * @since 0.1.0
 */
export const describeAll = <E>(
  configured: ReadonlyArray<Configured>,
  checkOf: (id: string) => (() => Effect.Effect<void, E>) | undefined
): ReadonlyArray<Described<E>> =>
  catalog.map((entry) => {
    const settings = configured.find((p) => p.entry.id === entry.id)?.settings
    const check = settings === undefined ? undefined : checkOf(entry.id)
    return { description: describe(entry, settings), ...(check === undefined ? {} : { check }) }
  })
