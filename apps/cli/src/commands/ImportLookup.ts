/**
 * `hub import-lookup <file> [--name <lookup>]`: imports an ONS LSOA lookup CSV (any year's layout) into the
 * store's `areas` and per-lookup `coverage` tables with libs/hub's `ReferenceDataImport.importLookup`, whole or
 * not at all. The database is the one the gateway and worker use (see `hub keys`): PostgreSQL at
 * `DATABASE_URL`, else the embedded PGlite database in `$HUB_DATA_DIR/db` (default `.hub-data/db`).
 *
 * @since 0.1.0
 */
import { ReferenceDataImport } from "@hub/hub"
import { ImportError } from "@hub/reference-data"
import { AuditLog, ReferenceDataRepo } from "@hub/store"
import { Cause, Console, Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import { BadInput } from "../BadInput.ts"
import * as Command from "../Command.ts"
import * as TextTable from "../TextTable.ts"
import { storeConfig, storeLayer } from "./Keys.ts"

const usage = `Usage:
  hub import-lookup <file.csv> [--name <lookup>] [--format json|table]

Imports an ONS LSOA lookup (LSOA to CCG / sub-ICB / PCT to council, any year's layout, e.g.
libs/reference-data/data/ons/lsoa11-ccg15-lad15.csv) into the hub's database: its LSOAs into the areas, and
each LSOA's health body (ODS code when the file has one, else GSS code) and council into the coverage of the
lookup named --name (default: the file's name without .csv), replacing what that lookup held. Whole or
nothing: the first bad row stops the import, naming its line and column, and nothing is written.
The database: PostgreSQL at DATABASE_URL (schema HUB_DATABASE_SCHEMA), else the embedded database in
$HUB_DATA_DIR/db (default .hub-data/db; stop the hub first: one process at a time may open it).`

const options = { name: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } } as const

/**
 * Reads `--name`: absent means the file's name; else 1 to 100 characters of letters, digits, `.`, `_` and `-`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseLookupName = (name: string | undefined): Effect.Effect<string | undefined, BadInput> => {
  if (name === undefined) return Effect.succeed(undefined)
  const trimmed = name.trim()
  return /^[A-Za-z0-9._-]{1,100}$/u.test(trimmed)
    ? Effect.succeed(trimmed)
    : Effect.fail(new BadInput({ reason: `import-lookup: bad --name ${JSON.stringify(name)}: expected 1 to 100 letters, digits, ".", "_" or "-"` }))
}

/** Runs a program over the configured store, as the CLI (the audit log's actor). */
const withStore = <A, E>(
  program: Effect.Effect<A, E, ReferenceDataRepo.ReferenceDataRepo | SqlClient.SqlClient>
): Effect.Effect<A, E | BadInput> =>
  Effect.gen(function*() {
    const config = yield* Effect.mapError(storeConfig, (error) => new BadInput({ reason: `import-lookup: ${error.message}` }))
    // As in `hub keys`: failing to open the database is the user's setup, reported as bad input.
    const services = yield* Layer.build(storeLayer(config)).pipe(
      Effect.catchCause((cause) => {
        const error = Cause.squash(cause)
        return Effect.fail(new BadInput({ reason: `import-lookup: cannot open the database: ${error instanceof Error ? error.message : String(error)}` }))
      })
    )
    return yield* program.pipe(Effect.provideService(AuditLog.Actor, "cli"), Effect.provide(services))
  }).pipe(Effect.scoped)

const table = (outcome: ReferenceDataImport.LookupOutcome): string =>
  TextTable.render(
    [{ heading: "lookup" }, { heading: "file" }, { heading: "rows" }, { heading: "areas" }, { heading: "coverage" }, { heading: "written" }],
    [[outcome.lookup, outcome.file, String(outcome.rows), String(outcome.areas), String(outcome.coverage), String(outcome.written)]]
  )

/**
 * `hub import-lookup`.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name: "import-lookup",
  summary: "Import an ONS LSOA lookup CSV into the store's areas and coverage",
  usage,
  run: (args) =>
    Effect.gen(function*() {
      const parsed = yield* Command.parse("import-lookup", args, options)
      if (parsed.values.help === true) return yield* Console.log(usage)
      const format = yield* Command.format("import-lookup", parsed.values.format)
      const file = yield* Command.onePositional("import-lookup", "lookup file", parsed.positionals)
      const lookup = yield* parseLookupName(parsed.values.name)
      const outcome = yield* withStore(
        ReferenceDataImport.importLookup(file, lookup === undefined ? {} : { lookup }).pipe(
          // A file that cannot be imported is the user's input: its error names the file, line and column.
          Effect.catchIf(ImportError.isImportError, (error) => Effect.fail(new BadInput({ reason: `import-lookup: ${error.message}` })))
        )
      )
      yield* Console.log(format === "json" ? JSON.stringify(outcome, null, 2) : table(outcome))
    }).pipe(
      // The database failing while importing (not opening) is a fault: the CLI prints the cause and exits 1.
      Effect.catchTag("StoreFailure", (error) => Effect.die(error))
    )
}
