/**
 * The process entry point every simulator shares: `--port N` (0 = a free port) and `--seed N`, prints
 * `listening on http://127.0.0.1:PORT` once ready, and serves until SIGINT/SIGTERM (through NodeMain.runMain,
 * so the server is closed on the way out).
 *
 * @since 0.1.0
 */
import { NodeMain } from "@hub/runtime-node"
import { Effect, Result } from "effect"
import { parseArgs as parseNodeArgs } from "node:util"
import { type FetchApp, startServer } from "./Server.ts"

/**
 * The parsed command line: the port, the seed (default 1) and any extra `--name value` options the
 * simulator declared.
 *
 * @category models
 * @since 0.1.0
 */
export interface MainArgs {
  readonly port: number
  readonly seed: number
  readonly options: Readonly<Record<string, string>>
}

const nonNegativeInt = (name: string, text: string | undefined, fallback: number): Result.Result<number, string> => {
  if (text === undefined) return Result.succeed(fallback)
  const n = Number(text)
  return /^\d+$/u.test(text) && Number.isSafeInteger(n) ? Result.succeed(n) : Result.fail(`--${name} must be a whole number, got "${text}"`)
}

/**
 * Parses `--port`, `--seed` and the declared `extra` options (all `--name value`).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseArgs = (argv: ReadonlyArray<string>, extra: ReadonlyArray<string> = []): Result.Result<MainArgs, string> => {
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries(["port", "seed", ...extra].map((name) => [name, { type: "string" as const }]))
    values = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values
  } catch (error) {
    return Result.fail(error instanceof Error ? error.message : String(error))
  }
  const port = nonNegativeInt("port", values["port"] as string | undefined, 0)
  if (Result.isFailure(port)) return Result.fail(port.failure)
  if (port.success > 65535) return Result.fail(`--port must be at most 65535, got ${port.success}`)
  const seed = nonNegativeInt("seed", values["seed"] as string | undefined, 1)
  if (Result.isFailure(seed)) return Result.fail(seed.failure)
  const options: Record<string, string> = {}
  for (const name of extra) {
    const value = values[name]
    if (typeof value === "string") options[name] = value
  }
  return Result.succeed({ port: port.success, seed: seed.success, options })
}

/**
 * Runs a simulator process: parses `process.argv`, builds the app, serves it on 127.0.0.1 and prints
 * `listening on URL`. Bad arguments (or `makeApp` throwing on an option value) print a message and exit 2.
 *
 * @category running
 * @since 0.1.0
 */
export const run = (options: {
  readonly name: string
  readonly extraOptions?: ReadonlyArray<string>
  readonly makeApp: (args: MainArgs) => FetchApp
}): void => {
  const extra = options.extraOptions ?? []
  const parsed = parseArgs(process.argv.slice(2), extra)
  if (Result.isFailure(parsed)) {
    console.error(`${options.name}: ${parsed.failure}`)
    console.error(`usage: ${options.name} [--port N] [--seed N]${extra.map((o) => ` [--${o} VALUE]`).join("")}`)
    process.exitCode = 2
    return
  }
  let app: FetchApp
  try {
    app = options.makeApp(parsed.success)
  } catch (error) {
    // makeApp refuses option values it cannot use (e.g. a malformed date): that is bad input too.
    console.error(`${options.name}: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 2
    return
  }
  const program = Effect.gen(function* () {
    const server = yield* startServer(app, { port: parsed.success.port })
    yield* Effect.sync(() => console.log(`listening on ${server.url}`))
    return yield* Effect.never
  }).pipe(Effect.scoped)
  NodeMain.runMain(program)
}
