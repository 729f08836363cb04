/**
 * The store's layers: a migrated database plus every repository, on PostgreSQL when a database URL is given
 * and on an embedded PGlite database otherwise (a data folder, or memory for tests). Both speak the same SQL
 * through @effect/sql-pg; configuration comes in as parameters (apps read the environment, the store never).
 *
 * @since 0.1.0
 */
import { PGlite } from "@electric-sql/pglite"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Effect, Layer, Redacted } from "effect"
import type { Scope } from "effect"
import type { SqlClient } from "effect/sql"
import { ConnectionError, SqlError } from "effect/sql/SqlError"
import { mkdir } from "node:fs/promises"
import { ApiKeyRepo } from "./ApiKeyRepo.ts"
import { AuditLog } from "./AuditLog.ts"
import { BudgetRepo } from "./BudgetRepo.ts"
import * as DataFolderLock from "./DataFolderLock.ts"
import { DelegationRepo } from "./DelegationRepo.ts"
import { IdempotencyRepo } from "./IdempotencyRepo.ts"
import { IngestRepo } from "./IngestRepo.ts"
import * as Migrator from "./Migrator.ts"
import { OutboxRepo } from "./OutboxRepo.ts"
import * as PgliteStream from "./PgliteStream.ts"
import { RecordRepo } from "./RecordRepo.ts"
import { ReferenceDataRepo } from "./ReferenceDataRepo.ts"
import type { DataFolderLocked, MigrationError } from "./StoreError.ts"

/**
 * PostgreSQL settings. `schema`, when set, is created if missing and is the connections' `search_path`, so
 * several hubs (or test runs) can share one database without seeing each other's tables.
 *
 * @category models
 * @since 0.1.0
 */
export interface PostgresConfig {
  readonly url: string | Redacted.Redacted<string>
  readonly schema?: string | undefined
  readonly maxConnections?: number | undefined
  readonly applicationName?: string | undefined
}

/**
 * Embedded PGlite settings: `dataDir` is the folder holding the database (created, with its parents, on
 * first start); without it the database lives in memory and disappears with the process. One store layer
 * at a time may open a data folder: it is locked by a `hub-store.lock` file in it (`DataFolderLock`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PgliteConfig {
  readonly dataDir?: string | undefined
}

/**
 * What an app passes after reading its environment: PostgreSQL when `databaseUrl` is set (and not empty),
 * PGlite in `dataDir` (or memory) otherwise.
 *
 * @category models
 * @since 0.1.0
 */
export interface Config {
  readonly databaseUrl?: string | Redacted.Redacted<string> | undefined
  readonly schema?: string | undefined
  readonly dataDir?: string | undefined
  readonly maxConnections?: number | undefined
  readonly applicationName?: string | undefined
}

/**
 * Everything the store's layers provide.
 *
 * @category models
 * @since 0.1.0
 */
export type Services =
  | SqlClient.SqlClient
  | PgClient.PgClient
  | IngestRepo
  | RecordRepo
  | ReferenceDataRepo
  | DelegationRepo
  | BudgetRepo
  | OutboxRepo
  | AuditLog
  | ApiKeyRepo
  | IdempotencyRepo

/**
 * The repositories over a `SqlClient` that is already migrated (for tests and custom wiring).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerRepositories: Layer.Layer<
  IngestRepo | RecordRepo | ReferenceDataRepo | DelegationRepo | BudgetRepo | OutboxRepo | AuditLog | ApiKeyRepo | IdempotencyRepo,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(
  IngestRepo.layer,
  RecordRepo.layer,
  ReferenceDataRepo.layer,
  DelegationRepo.layer,
  BudgetRepo.layer,
  OutboxRepo.layer,
  AuditLog.layer,
  ApiKeyRepo.layer,
  IdempotencyRepo.layer
)

const migrated = <E>(
  client: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, E>,
  schema: string | undefined
): Layer.Layer<Services, E | SqlError | MigrationError> =>
  layerRepositories.pipe(
    Layer.provideMerge(Layer.effectDiscard(Migrator.migrate({ schema })).pipe(Layer.provideMerge(client)))
  )

/**
 * The `SqlClient` of a PostgreSQL database, without migrating it.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerPostgresClient = (
  config: PostgresConfig
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError> =>
  PgClient.layer({
    url: Redacted.isRedacted(config.url) ? config.url : Redacted.make(config.url),
    maxConnections: config.maxConnections ?? 10,
    applicationName: config.applicationName ?? "hub-store",
    // Quoted, so the schema is found by its exact name whatever its case or characters.
    ...(config.schema === undefined ? {} : { startupParameters: { search_path: `"${config.schema.replaceAll("\"", "\"\"")}"` } })
  })

/**
 * The store on PostgreSQL: connects, applies pending migrations (under an advisory lock, so several processes
 * may start at once) and provides every repository.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerPostgres = (config: PostgresConfig): Layer.Layer<Services, SqlError | MigrationError> =>
  migrated(layerPostgresClient(config), config.schema)

const openError = (cause: unknown, where: string): SqlError =>
  new SqlError({
    reason: new ConnectionError({
      cause,
      message: `cannot open the embedded database ${where}: ${String(cause)}`,
      operation: "connect"
    })
  })

const pgliteClient = <E>(
  open: () => Promise<PGlite>,
  where: string,
  lock: Effect.Effect<void, E, Scope.Scope>
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError | E> =>
  PgClient.layerFrom(Effect.gen(function*() {
    // Taken before the database opens and released after it has closed (finalizers run in reverse order).
    yield* lock
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: open, catch: (cause) => openError(cause, where) }),
      (db) => Effect.promise(() => db.close())
    )
    return yield* PgClient.make({
      stream: () => PgliteStream.make(db),
      username: "postgres",
      database: "postgres",
      applicationName: "hub-store",
      maxConnections: 1,
      minConnections: 1
    })
  }))

// The folder on this machine that PGlite uses for `dataDir`, read the way PGlite reads it: `file://path` and
// a plain path are folders; empty and `memory://` are memory; other schemes (`idb://`, ...) are browser storage.
const nodeFolder = (dataDir: string | undefined): string | undefined => {
  if (dataDir === undefined || dataDir === "") return undefined
  if (dataDir.startsWith("file://")) return dataDir.slice("file://".length) || undefined
  return dataDir.includes("://") ? undefined : dataDir
}

/**
 * The `SqlClient` of an embedded PGlite database, without migrating it. PGlite has one backend, so the pool
 * holds exactly one connection: statements from concurrent fibers queue for it, and a transaction has it to
 * itself until it ends (a fiber inside a transaction must not wait on another fiber's query). A data folder
 * is locked for the life of the layer (`DataFolderLock`): while another process, or another layer of this
 * one, has it open, the layer fails with `DataFolderLocked` naming that process.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerPgliteClient = (
  config: PgliteConfig = {}
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError | DataFolderLocked> => {
  const dataDir = config.dataDir
  const folder = nodeFolder(dataDir)
  if (folder === undefined) return pgliteClient(() => PGlite.create(dataDir), dataDir === undefined ? "in memory" : `in ${dataDir}`, Effect.void)
  const where = `in ${dataDir}`
  return pgliteClient(
    () => PGlite.create(dataDir),
    where,
    Effect.gen(function*() {
      // PGlite creates the data folder itself but not its parents (`.hub-data/db` on a fresh checkout), and
      // the lock file lives in the folder.
      yield* Effect.tryPromise({ try: () => mkdir(folder, { recursive: true }), catch: (cause) => openError(cause, where) })
      yield* DataFolderLock.acquire(folder)
    })
  )
}

// An initialised empty cluster, made once per process on first use: initdb is most of the seconds a new
// PGlite database costs, and loading a copy takes a fraction of that.
let template: Promise<Blob> | undefined

const emptyCluster = (): Promise<Blob> => {
  template ??= PGlite.create()
    .then(async (db) => {
      const dump = await db.dumpDataDir("none")
      await db.close()
      return dump
    })
    .catch((error: unknown) => {
      template = undefined
      throw error
    })
  return template
}

/**
 * A fresh, migrated in-memory store for tests: each use is a database of its own, copied from an empty
 * cluster initialised once per process (well under a second instead of several).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerTest: Layer.Layer<Services, SqlError | MigrationError> = Layer.suspend(() =>
  migrated(pgliteClient(async () => PGlite.create({ loadDataDir: await emptyCluster() }), "in memory (test copy)", Effect.void), undefined)
)

/**
 * The store on an embedded PGlite database in `dataDir` (in memory when absent), migrated, with every
 * repository. The data folder is locked while the layer is in use: a second layer on it, in this process or
 * another, fails with `DataFolderLocked`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerPglite = (
  config: PgliteConfig = {}
): Layer.Layer<Services, SqlError | MigrationError | DataFolderLocked> =>
  migrated(layerPgliteClient(config), undefined)

/**
 * The store chosen by configuration: PostgreSQL when `databaseUrl` is set and not empty, PGlite otherwise.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (config: Config): Layer.Layer<Services, SqlError | MigrationError | DataFolderLocked> => {
  const url = config.databaseUrl
  const hasUrl = url !== undefined && (Redacted.isRedacted(url) ? Redacted.value(url) : url).trim() !== ""
  return hasUrl
    ? layerPostgres({
      url: url!,
      schema: config.schema,
      maxConnections: config.maxConnections,
      applicationName: config.applicationName
    })
    : layerPglite({ dataDir: config.dataDir })
}
