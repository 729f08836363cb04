/**
 * The plugins this hub runs, by registry id, each bound to its decoded configuration and to an HTTP client that
 * reaches only the hosts it may contact. Apps build it from their configuration; use cases look plugins up here
 * and never see a plugin's configuration or secrets.
 *
 * @since 0.1.0
 */
import { HttpClient, type Manifest, type Page, Plugin, type PluginError, type SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Context, Effect, Layer, Schema } from "effect"

/**
 * A registry id or plugin that is not registered (a job naming a plugin this process was not configured with).
 * Not retryable: ops must configure the plugin or remove the job.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnknownPlugin extends Schema.TaggedError<UnknownPlugin>()("UnknownPlugin", {
  plugin: Schema.String,
  registered: Schema.Array(Schema.String)
}) {
  readonly retryable = false as const
  override get message(): string {
    return `plugin ${JSON.stringify(this.plugin)} is not configured in this hub (configured: ${this.registered.join(", ") || "none"})`
  }
}

/**
 * How a registered plugin may use the network: the host's HTTP client policy.
 *
 * @category models
 * @since 0.1.0
 */
export interface NetworkPolicy {
  /** Allow loopback addresses (the bundled simulators, tests). Default false. */
  readonly allowLoopback?: boolean | undefined
  /** Allow private addresses (a council's server on the internal network). Default false. */
  readonly allowPrivate?: boolean | undefined
  /** Deadline of one HTTP exchange in ms (default 30 000). */
  readonly timeoutMs?: number | undefined
  /** Size cap of one response body in bytes (default `HttpClient.defaultMaxResponseBytes`, 64 MiB). */
  readonly maxResponseBytes?: number | undefined
}

/**
 * A plugin bound to its configuration and HTTP client: the operations take no configuration and need nothing
 * from the caller's context.
 *
 * @category models
 * @since 0.1.0
 */
export interface Entry {
  /** The registry id: queue names and the store's `plugin` column use it (usually the manifest id). */
  readonly id: string
  readonly manifest: Manifest.Manifest
  /** The hosts its HTTP client may contact. */
  readonly allowedHosts: ReadonlyArray<string>
  readonly check: () => Effect.Effect<void, PluginError.PluginError>
  readonly pull: (stream: string, cursor: Page.Cursor) => Effect.Effect<Page.Page, PluginError.PluginError>
  readonly push: (
    kind: string,
    payload: unknown,
    idempotencyKey: string
  ) => Effect.Effect<SubmissionAcknowledgement.SubmissionAcknowledgement, PluginError.PluginError>
}

/**
 * What an app hands over for one plugin: the plugin, its configuration as stored (JSON, secrets as plain
 * strings: they are decoded to `Redacted` here), optionally another registry id, and the network policy.
 *
 * @category models
 * @since 0.1.0
 */
export interface Registration<Config> {
  readonly plugin: Plugin.Plugin<Config>
  readonly config: unknown
  readonly id?: string | undefined
  readonly network?: NetworkPolicy | undefined
}

const baseUrlOf = (config: unknown): ReadonlyArray<string> =>
  typeof config === "object" && config !== null && "baseUrl" in config && typeof config.baseUrl === "string"
    ? [config.baseUrl]
    : []

/**
 * Decodes a plugin's configuration (every bad field named, as `BadConfiguration`) and binds it with an HTTP
 * client limited to the manifest's hosts plus the configured base URL's host.
 *
 * @category constructors
 * @since 0.1.0
 */
export const register = <Config>(
  registration: Registration<Config>
): Effect.Effect<Entry, PluginError.BadConfiguration> =>
  Effect.gen(function*() {
    const { plugin } = registration
    const config = yield* Plugin.decodeConfig(plugin, registration.config)
    const allowedHosts = Plugin.allowedHosts(plugin.manifest, baseUrlOf(registration.config))
    const client = HttpClient.makeHttpClient({
      allowedHosts,
      allowLoopback: registration.network?.allowLoopback ?? false,
      allowPrivate: registration.network?.allowPrivate ?? false,
      timeoutMs: registration.network?.timeoutMs ?? 30_000,
      maxResponseBytes: registration.network?.maxResponseBytes ?? HttpClient.defaultMaxResponseBytes
    })
    const withClient = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) =>
      Effect.provideService(effect, HttpClient.HttpClient, client)
    return {
      id: registration.id ?? plugin.manifest.id,
      manifest: plugin.manifest,
      allowedHosts,
      check: () => withClient(plugin.check(config)),
      pull: (stream, cursor) => withClient(plugin.pull(config, stream, cursor)),
      push: (kind, payload, key) => withClient(plugin.push(config, kind, payload, key))
    }
  })

/**
 * The registered plugins.
 *
 * @category services
 * @since 0.1.0
 */
export class PluginRegistry extends Context.Service<PluginRegistry, {
  /** Every entry, in registration order. */
  readonly entries: ReadonlyArray<Entry>
  /** The entry with this registry id. */
  readonly get: (id: string) => Effect.Effect<Entry, UnknownPlugin>
}>()("@hub/hub/PluginRegistry") {
  /** A registry of already registered entries (duplicate ids are a bug in the app and throw). */
  static readonly fromEntries = (entries: ReadonlyArray<Entry>): Layer.Layer<PluginRegistry> =>
    Layer.succeed(PluginRegistry, make(entries))

  /** Registers each plugin (decoding its configuration, see {@link register}) and provides the registry. */
  static readonly layer = (
    registrations: ReadonlyArray<Effect.Effect<Entry, PluginError.BadConfiguration>>
  ): Layer.Layer<PluginRegistry, PluginError.BadConfiguration> =>
    Layer.effect(PluginRegistry, Effect.all(registrations).pipe(Effect.map(make)))
}

/**
 * The registry's service value over entries; duplicate ids throw (a wiring bug).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (entries: ReadonlyArray<Entry>): PluginRegistry["Service"] => {
  const byId = new Map<string, Entry>()
  for (const entry of entries) {
    if (byId.has(entry.id)) throw new Error(`PluginRegistry: plugin id ${JSON.stringify(entry.id)} is registered twice`)
    byId.set(entry.id, entry)
  }
  const ids = [...byId.keys()]
  return {
    entries,
    get: (id) => {
      const entry = byId.get(id)
      return entry === undefined ? Effect.fail(new UnknownPlugin({ plugin: id, registered: ids })) : Effect.succeed(entry)
    }
  }
}
