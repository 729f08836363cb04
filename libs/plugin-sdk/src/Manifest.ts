/**
 * A plugin's description of itself (n8n/Airbyte style): what system it speaks to, which streams it can pull
 * (record type, cursor kind), which kinds it can push (payload and receipt types), which configuration it needs
 * (secrets marked) and which hosts it may contact. Validated by a Schema when the plugin is registered.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { RecordTypeName } from "./RecordType.ts"

const slug = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u
const semver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/u
const hostPattern = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/u

/**
 * A lower-case id made of words joined by hyphens (`council-finance`, `pooled-contributions`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Slug = Schema.String.pipe(
  Schema.check(Schema.isPattern(slug, { expected: "a lower-case id such as council-finance" }))
)

/**
 * How a stream's cursor is made: a row number, a byte offset into a file, a timestamp, or something only the
 * plugin understands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CursorKind = Schema.Literals(["row", "byte-offset", "timestamp", "opaque"])

/**
 * A stream the plugin can pull.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StreamDescriptor = Schema.Struct({
  name: Slug,
  recordType: RecordTypeName,
  cursor: CursorKind,
  description: Schema.String
})

/**
 * @category models
 * @since 0.1.0
 */
export type StreamDescriptor = typeof StreamDescriptor.Type

/**
 * A kind of submission the plugin can push.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PushDescriptor = Schema.Struct({
  kind: Slug,
  payloadType: RecordTypeName,
  receiptType: Schema.Literal("submission-acknowledgement"),
  description: Schema.String
})

/**
 * @category models
 * @since 0.1.0
 */
export type PushDescriptor = typeof PushDescriptor.Type

/**
 * One configuration setting as a person sees it. `secret: true` settings decode to `Redacted` in the plugin's
 * configuration schema, are never logged, and are supplied by the host from its secret store.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ConfigurationField = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z][A-Za-z0-9]*$/u, { expected: "a camelCase name" }))),
  description: Schema.String,
  secret: Schema.Boolean,
  required: Schema.Boolean
})

/**
 * @category models
 * @since 0.1.0
 */
export type ConfigurationField = typeof ConfigurationField.Type

const unique = (what: string, key: (m: ManifestFields) => ReadonlyArray<string>) =>
  Schema.makeFilter((m: ManifestFields) => {
    const names = key(m)
    const dup = names.find((n, i) => names.indexOf(n) !== i)
    return dup === undefined ? undefined : `duplicate ${what} ${JSON.stringify(dup)}`
  })

interface ManifestFields {
  readonly streams: ReadonlyArray<{ readonly name: string }>
  readonly pushes: ReadonlyArray<{ readonly kind: string }>
  readonly configuration: ReadonlyArray<{ readonly name: string }>
}

/**
 * The manifest. `version` is semver: a behaviour change ships as a new version beside the old one. `hosts` are
 * host patterns (exact names, IPs or `*.example.gov.uk`) the host's HTTP client will allow for this plugin.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Manifest = Schema.Struct({
  id: Slug,
  version: Schema.String.pipe(Schema.check(Schema.isPattern(semver, { expected: "a semantic version such as 1.2.0" }))),
  displayName: Schema.NonEmptyString,
  externalSystem: Schema.NonEmptyString,
  description: Schema.String,
  streams: Schema.Array(StreamDescriptor),
  pushes: Schema.Array(PushDescriptor),
  configuration: Schema.Array(ConfigurationField),
  hosts: Schema.Array(
    Schema.String.pipe(Schema.check(Schema.isPattern(hostPattern, { expected: "a host name, IP or *.domain pattern" })))
  )
}).pipe(
  Schema.check(
    unique("stream", (m) => m.streams.map((s) => s.name)),
    unique("push kind", (m) => m.pushes.map((p) => p.kind)),
    unique("configuration field", (m) => m.configuration.map((c) => c.name))
  )
)

/**
 * @category models
 * @since 0.1.0
 */
export type Manifest = typeof Manifest.Type

/**
 * Validates a manifest, reporting every problem (not only the first).
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (input: unknown): Result.Result<Manifest, string> =>
  Result.mapError(Schema.decodeUnknownResult(Manifest)(input, { errors: "all" }), (e) => e.message)

/**
 * The stream of a manifest by name.
 *
 * @category accessors
 * @since 0.1.0
 */
export const stream = (manifest: Manifest, name: string): StreamDescriptor | undefined =>
  manifest.streams.find((s) => s.name === name)

/**
 * The push kind of a manifest by name.
 *
 * @category accessors
 * @since 0.1.0
 */
export const push = (manifest: Manifest, kind: string): PushDescriptor | undefined =>
  manifest.pushes.find((p) => p.kind === kind)
