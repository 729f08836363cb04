/**
 * `hub keys create|list|revoke`: the gateway's API keys in libs/store's `api_keys` table. `create` prints the new
 * key's secret once (it is stored only as `ApiKeyRepo.hashToken` of it, the hash the gateway looks keys up by);
 * `list` never shows a secret or a hash. The database is the one the gateway and worker use: PostgreSQL at
 * `DATABASE_URL`, else the embedded PGlite database in `$HUB_DATA_DIR/db` (default `.hub-data/db`).
 *
 * @since 0.1.0
 */
import { ApiKeyRepo, AuditLog, Store, type StoreError } from "@hub/store"
import { Cause, Config, Console, Effect, Layer, Option } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { randomBytes } from "node:crypto"
import { BadInput } from "../BadInput.ts"
import * as Command from "../Command.ts"
import * as TextTable from "../TextTable.ts"

// ---------------------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------------------

/**
 * Where the keys live, read from the environment (the same variables and defaults as the gateway and worker).
 *
 * @category config
 * @since 0.1.0
 */
export const storeConfig = Config.all({
  databaseUrl: Config.option(Config.Redacted("DATABASE_URL")),
  schema: Config.option(Config.String("HUB_DATABASE_SCHEMA")),
  dataDir: Config.String("HUB_DATA_DIR").pipe(Config.withDefault(".hub-data"))
})

/**
 * The store layer for that configuration: PostgreSQL when `DATABASE_URL` is set, else PGlite in `<dataDir>/db`.
 *
 * @category layers
 * @since 0.1.0
 */
export const storeLayer = (
  config: Config.Success<typeof storeConfig>
): Layer.Layer<Store.Services, SqlError | StoreError.MigrationError | StoreError.DataFolderLocked> =>
  Store.layer({
    databaseUrl: Option.getOrUndefined(config.databaseUrl),
    schema: Option.getOrUndefined(config.schema),
    dataDir: `${config.dataDir.replace(/\/+$/u, "")}/db`,
    applicationName: "hub-cli",
    maxConnections: 1
  })

// ---------------------------------------------------------------------------------------------------------
// secrets and input
// ---------------------------------------------------------------------------------------------------------

/**
 * What every secret starts with, so a leaked one is recognisable (secret scanners, logs, chat).
 *
 * @category constants
 * @since 0.1.0
 */
export const tokenPrefix = "hub_"

/**
 * A new secret: the prefix and 32 random bytes in base64url (43 characters).
 *
 * @category constructors
 * @since 0.1.0
 */
export const newToken = (): string => `${tokenPrefix}${randomBytes(32).toString("base64url")}`

/**
 * A new key id: `key_` and 12 random hex digits (shown in lists, logs and the audit log; not a secret).
 *
 * @category constructors
 * @since 0.1.0
 */
export const newKeyId = (): string => `key_${randomBytes(6).toString("hex")}`

const scopes: ReadonlyArray<ApiKeyRepo.Scope> = ["read", "write", "ops", "admin"]

/**
 * Reads `--scopes read,ops`: a non-empty comma-separated subset of read, write, ops, admin (duplicates dropped).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseScopes = (text: string | undefined): Effect.Effect<ReadonlyArray<ApiKeyRepo.Scope>, BadInput> => {
  if (text === undefined) return Effect.fail(new BadInput({ reason: `keys create: missing --scopes (some of ${scopes.join(",")})` }))
  const given = text.split(",").map((s) => s.trim()).filter((s) => s !== "")
  const unknown = given.filter((s) => !(scopes as ReadonlyArray<string>).includes(s))
  if (unknown.length > 0) {
    return Effect.fail(new BadInput({ reason: `keys create: unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")} in --scopes; expected some of ${scopes.join(",")}` }))
  }
  if (given.length === 0) return Effect.fail(new BadInput({ reason: `keys create: --scopes is empty; expected some of ${scopes.join(",")}` }))
  return Effect.succeed(scopes.filter((s) => given.includes(s)))
}

/**
 * Reads `--name`: 1 to 100 printable characters (it is shown in lists and the audit log).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseName = (name: string | undefined): Effect.Effect<string, BadInput> => {
  const trimmed = name?.trim() ?? ""
  if (trimmed === "") return Effect.fail(new BadInput({ reason: "keys create: missing --name <name>" }))
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (trimmed.length > 100 || /[\u0000-\u001f\u007f]/u.test(trimmed)) {
    return Effect.fail(new BadInput({ reason: "keys create: --name must be 1 to 100 printable characters" }))
  }
  return Effect.succeed(trimmed)
}

// ---------------------------------------------------------------------------------------------------------
// output
// ---------------------------------------------------------------------------------------------------------

/**
 * A key as `list` and `revoke` print it: never its secret nor its hash.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyJson {
  readonly id: string
  readonly name: string
  readonly scopes: ReadonlyArray<ApiKeyRepo.Scope>
  readonly createdAt: string
  readonly revokedAt: string | null
}

const keyJson = (key: ApiKeyRepo.ApiKey): KeyJson => ({
  id: key.id,
  name: key.name,
  scopes: key.scopes,
  createdAt: key.createdAt,
  revokedAt: key.revokedAt ?? null
})

const table = (keys: ReadonlyArray<KeyJson>): string =>
  keys.length === 0
    ? "no API keys"
    : TextTable.render(
      [{ heading: "id" }, { heading: "name" }, { heading: "scopes" }, { heading: "created" }, { heading: "revoked" }],
      keys.map((k) => [k.id, k.name, k.scopes.join(","), k.createdAt, k.revokedAt ?? ""])
    )

const print = (format: Command.Format, json: unknown, text: string) => Console.log(format === "json" ? JSON.stringify(json, null, 2) : text)

// ---------------------------------------------------------------------------------------------------------
// the command
// ---------------------------------------------------------------------------------------------------------

const usage = `Usage:
  hub keys create --name <name> --scopes <read,write,ops,admin> [--format json|table]
  hub keys list [--format json|table]
  hub keys revoke <id> [--format json|table]

API keys of the gateway, in the hub's database: PostgreSQL at DATABASE_URL (schema HUB_DATABASE_SCHEMA), else
the embedded database in $HUB_DATA_DIR/db (default .hub-data/db; stop the hub first: one process at a time may
open it). create prints the key's secret ONCE (a "hub_" token); only its SHA-256 hash is stored. Use it as
"Authorization: Bearer <token>", or to sign in to the queue dashboard at /admin/sign-in.`

const options = { name: { type: "string" }, scopes: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } } as const

/** Runs a program over the configured store, as the CLI (the audit log's actor). */
const withStore = <A, E>(program: Effect.Effect<A, E, ApiKeyRepo.ApiKeyRepo>): Effect.Effect<A, E | BadInput> =>
  Effect.gen(function* () {
    const config = yield* Effect.mapError(storeConfig, (error) => new BadInput({ reason: `keys: ${error.message}` }))
    // Failing to open or migrate the database is the user's setup (a wrong URL, a data folder in use), reported
    // with its reason as bad input; failures of the program itself stay its own.
    const services = yield* Layer.build(storeLayer(config)).pipe(
      Effect.catchCause((cause) => {
        const error = Cause.squash(cause)
        return Effect.fail(new BadInput({ reason: `keys: cannot open the database: ${error instanceof Error ? error.message : String(error)}` }))
      })
    )
    return yield* program.pipe(Effect.provideService(AuditLog.Actor, "cli"), Effect.provide(services))
  }).pipe(Effect.scoped)

const create = (values: Command.Parsed<typeof options>["values"], format: Command.Format) =>
  Effect.gen(function* () {
    const name = yield* parseName(values.name)
    const keyScopes = yield* parseScopes(values.scopes)
    const token = newToken()
    const key = yield* withStore(
      ApiKeyRepo.ApiKeyRepo.use((repo) =>
        repo.create({ id: newKeyId(), name, hash: ApiKeyRepo.hashToken(token), scopes: keyScopes })
      )
    )
    yield* print(
      format,
      { ...keyJson(key), token },
      `${table([keyJson(key)])}\n\ntoken: ${token}`
    )
    yield* Console.error("hub: store this token now: it is shown only once (the database keeps only its hash)")
  })

/**
 * `hub keys`.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name: "keys",
  summary: "Create, list and revoke the gateway's API keys",
  usage,
  run: (args) =>
    Effect.gen(function* () {
      const parsed = yield* Command.parse("keys", args, options)
      const [action, ...rest] = parsed.positionals
      if (parsed.values.help === true || action === undefined) return yield* Console.log(usage)
      const format = yield* Command.format("keys", parsed.values.format)
      const only = (allowed: ReadonlyArray<keyof typeof options>) => {
        const extra = (Object.keys(parsed.values) as Array<keyof typeof options>).filter((o) => !allowed.includes(o))
        return extra.length === 0
          ? Effect.void
          : Effect.fail(new BadInput({ reason: `keys ${action}: unexpected option ${extra.map((o) => `--${o}`).join(", ")}` }))
      }
      switch (action) {
        case "create": {
          yield* only(["name", "scopes", "format"])
          if (rest.length > 0) return yield* new BadInput({ reason: `keys create: unexpected argument ${rest.join(" ")}` })
          return yield* create(parsed.values, format)
        }
        case "list": {
          yield* only(["format"])
          if (rest.length > 0) return yield* new BadInput({ reason: `keys list: unexpected argument ${rest.join(" ")}` })
          const keys = (yield* withStore(ApiKeyRepo.ApiKeyRepo.use((repo) => repo.list()))).map(keyJson)
          return yield* print(format, keys, table(keys))
        }
        case "revoke": {
          yield* only(["format"])
          const id = yield* Command.onePositional("keys revoke", "key id", rest)
          const key = yield* withStore(
            ApiKeyRepo.ApiKeyRepo.use((repo) => repo.revoke(id)).pipe(
              Effect.catchTag("NotFound", () => Effect.fail(new BadInput({ reason: `keys revoke: no API key ${JSON.stringify(id)} (see hub keys list)` })))
            )
          )
          return yield* print(format, keyJson(key), table([keyJson(key)]))
        }
        default:
          return yield* new BadInput({ reason: `keys: unknown action ${JSON.stringify(action)}; expected create, list or revoke` })
      }
    }).pipe(
      // Database failures while running (not opening) are faults: the CLI prints the cause and exits 1.
      Effect.catchTag("SqlError", (error) => Effect.die(error)),
      Effect.catchTag("StoredValueError", (error) => Effect.die(error)),
      Effect.catchTag("AlreadyExists", (error) => Effect.die(error))
    )
}
