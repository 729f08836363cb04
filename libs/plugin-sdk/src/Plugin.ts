/**
 * The plugin contract: a manifest plus three operations. `check` says whether the system can be reached with a
 * configuration, `pull` reads one page of a stream from a cursor, `push` sends a submission under an idempotency
 * key and returns the system's receipt. The host decodes the configuration (secrets as `Redacted`) and provides
 * the HTTP client; a plugin never reads the environment or opens its own connections.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema } from "effect"
import type { HttpClient } from "./HttpClient.ts"
import * as Manifest from "./Manifest.ts"
import type { Cursor, Page } from "./Page.ts"
import { BadConfiguration, type PluginError, Rejected } from "./PluginError.ts"
import type { SubmissionAcknowledgement } from "./records/SubmissionAcknowledgement.ts"
import { decoderFor } from "./RowMapping.ts"

/**
 * A plugin for one external system. `Config` is the decoded configuration (`configSchema`'s type).
 *
 * @category models
 * @since 0.1.0
 */
export interface Plugin<Config> {
  readonly manifest: Manifest.Manifest
  /** Decodes the configuration the host holds (JSON, secrets as plain strings) into `Config`, secrets `Redacted`. */
  readonly configSchema: Schema.Decoder<Config>
  /** Whether the system answers and accepts the credentials (`Unauthorized`, `Unreachable`... otherwise). */
  readonly check: (config: Config) => Effect.Effect<void, PluginError, HttpClient>
  /** One page of `stream` after `cursor` (`null`: from the start). Bad rows are rejections, never a failure. */
  readonly pull: (config: Config, stream: string, cursor: Cursor) => Effect.Effect<Page, PluginError, HttpClient>
  /** Sends `payload` (of the kind's payload type) once per `idempotencyKey`; a repeat gets the same receipt. */
  readonly push: (
    config: Config,
    kind: string,
    payload: unknown,
    idempotencyKey: string
  ) => Effect.Effect<SubmissionAcknowledgement, PluginError, HttpClient>
}

/**
 * Defines a plugin, validating its manifest. An invalid manifest is a bug in the plugin and throws at
 * registration with every problem listed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <Config>(plugin: Plugin<Config>): Plugin<Config> => {
  const checked = Manifest.validate(plugin.manifest)
  if (Result.isFailure(checked)) throw new Error(`invalid manifest for plugin ${plugin.manifest.id}: ${checked.failure}`)
  return plugin
}

/**
 * Decodes configuration for a plugin, reporting every bad field as `BadConfiguration`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const decodeConfig = <Config>(plugin: Plugin<Config>, input: unknown): Effect.Effect<Config, BadConfiguration> => {
  const result = decoderFor(plugin.configSchema)(input)
  return Result.isSuccess(result)
    ? Effect.succeed(result.success)
    : Effect.fail(
      new BadConfiguration({
        reason: `${plugin.manifest.id}: ${result.failure.map((p) => `${p.field}: ${p.reason}`).join("; ")}`
      })
    )
}

/**
 * Fails with `BadConfiguration` unless the manifest declares the stream.
 *
 * @category guards
 * @since 0.1.0
 */
export const requireStream = (
  manifest: Manifest.Manifest,
  stream: string
): Effect.Effect<Manifest.StreamDescriptor, BadConfiguration> => {
  const found = Manifest.stream(manifest, stream)
  return found === undefined
    ? Effect.fail(new BadConfiguration({ reason: `${manifest.id} has no stream ${JSON.stringify(stream)}` }))
    : Effect.succeed(found)
}

/**
 * Fails with `Rejected` unless the manifest declares the push kind.
 *
 * @category guards
 * @since 0.1.0
 */
export const requirePushKind = (
  manifest: Manifest.Manifest,
  kind: string
): Effect.Effect<Manifest.PushDescriptor, Rejected> => {
  const found = Manifest.push(manifest, kind)
  return found === undefined
    ? Effect.fail(new Rejected({ kind, reasons: [`${manifest.id} has no push kind ${JSON.stringify(kind)}`] }))
    : Effect.succeed(found)
}

/**
 * Decodes a push payload against its schema, failing with `Rejected` naming every bad field, before anything is
 * sent.
 *
 * @category combinators
 * @since 0.1.0
 */
export const decodePayload = <S extends Schema.Decoder<unknown>>(
  kind: string,
  schema: S,
  payload: unknown
): Effect.Effect<S["Type"], Rejected> => {
  const result = decoderFor(schema)(payload)
  return Result.isSuccess(result)
    ? Effect.succeed(result.success)
    : Effect.fail(new Rejected({ kind, reasons: result.failure.map((p) => `${p.field}: ${p.reason}`) }))
}

/**
 * The host patterns an HTTP client for this plugin may contact: the manifest's, plus the configured base URL's
 * host when the operator points the plugin at a system of their own (a simulator, a council's server).
 *
 * @category accessors
 * @since 0.1.0
 */
export const allowedHosts = (manifest: Manifest.Manifest, configuredUrls: ReadonlyArray<string> = []): ReadonlyArray<string> => [
  ...manifest.hosts,
  ...configuredUrls.filter((u) => URL.canParse(u)).map((u) => new URL(u).hostname)
]
