/**
 * The gateway's port to the installed plugins: what each one is (its manifest: streams, push kinds, hosts),
 * whether this hub is configured to run it, the status of each configuration field (never its value), and its
 * `check` against the configured system. The gateway cannot import plugins; the apps build this port from
 * libs/plugin-catalog and hand it over.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Layer, Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * `set`: a value is configured; `unset`: a required field has none; `default`: an optional field has none, so
 * the plugin's default applies.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SettingStatus = Schema.Literals(["set", "unset", "default"])

/**
 * One configuration field: what it is, whether it is a secret, the variable that sets it, and its status. It
 * never carries the value.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Setting = Schema.Struct({
  name: Schema.String,
  description: Schema.String,
  secret: Schema.Boolean,
  required: Schema.Boolean,
  env: Schema.optionalKey(Schema.String.annotate({ description: "The environment variable that sets it." })),
  status: SettingStatus
}).annotate({ identifier: "PluginSetting" })

/**
 * A stream a plugin pulls.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Stream = Schema.Struct({
  name: Schema.String,
  recordType: Schema.String,
  cursor: Schema.String,
  description: Schema.String
}).annotate({ identifier: "PluginStream" })

/**
 * A kind of submission a plugin pushes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Push = Schema.Struct({
  kind: Schema.String,
  payloadType: Schema.String,
  description: Schema.String
}).annotate({ identifier: "PluginPush" })

/**
 * A plugin as the API shows it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Description = Schema.Struct({
  id: Schema.String,
  version: Schema.String,
  displayName: Schema.String,
  externalSystem: Schema.String,
  description: Schema.String,
  enabled: Schema.Boolean.annotate({ description: "Whether this hub is configured to run the plugin." }),
  streams: Schema.Array(Stream),
  pushes: Schema.Array(Push),
  hosts: Schema.Array(Schema.String),
  settings: Schema.Array(Setting)
}).annotate({ identifier: "Plugin" })

/**
 * @category models
 * @since 0.1.0
 */
export type Description = typeof Description.Type

// ---------------------------------------------------------------------------------------------------------
// the port
// ---------------------------------------------------------------------------------------------------------

/**
 * Why a check failed, as a plugin error says it (`Unreachable`, `Unauthorized`, ...), and whether trying again
 * may help. Plugin errors have this shape; their messages never hold a secret.
 *
 * @category models
 * @since 0.1.0
 */
export interface CheckFailure {
  readonly _tag: string
  readonly message: string
  readonly retryable?: boolean
}

/**
 * An installed plugin: its description, and its check when the hub is configured to run it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Installed {
  readonly description: Description
  /** Can the plugin reach its system with its configuration; `undefined` when the plugin is not enabled. */
  readonly check?: (() => Effect.Effect<void, CheckFailure>) | undefined
}

/**
 * The installed plugins, in catalog order.
 *
 * @category services
 * @since 0.1.0
 */
export class Plugins extends Context.Service<Plugins, {
  readonly installed: ReadonlyArray<Installed>
}>()("@hub/http-api/Plugins") {
  /** The port over a fixed list (ids must be unique: a duplicate is a wiring bug and throws). */
  static readonly layer = (installed: ReadonlyArray<Installed>): Layer.Layer<Plugins> => {
    const ids = installed.map((p) => p.description.id)
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
    if (duplicate !== undefined) throw new Error(`Plugins: plugin id ${JSON.stringify(duplicate)} is installed twice`)
    return Layer.succeed(Plugins, { installed })
  }
}
