/**
 * What a `hub` subcommand is: a name, a one-line summary for `hub --help`, its usage text, and a program run on
 * the arguments after its name. Adding a command is one module under `commands/` and one entry in `Cli.ts`.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { parseArgs } from "node:util"
import { BadInput, oneLine } from "./BadInput.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Command {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly run: (args: ReadonlyArray<string>) => Effect.Effect<void, BadInput>
}

/**
 * The output formats every command offers.
 *
 * @category models
 * @since 0.1.0
 */
export type Format = "json" | "table"

/**
 * The options a command accepts: each a string or a boolean flag, optionally with a one-letter alias.
 *
 * @category models
 * @since 0.1.0
 */
export type Options = Readonly<Record<string, { readonly type: "string" | "boolean"; readonly short?: string }>>

/**
 * Parsed arguments: option values by name (absent when not given) and the positional arguments.
 *
 * @category models
 * @since 0.1.0
 */
export interface Parsed<O extends Options> {
  readonly values: { readonly [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string }
  readonly positionals: ReadonlyArray<string>
}

/**
 * Parses a command's arguments with node:util `parseArgs` (strict: unknown options are bad input).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = <const O extends Options>(command: string, args: ReadonlyArray<string>, options: O): Effect.Effect<Parsed<O>, BadInput> =>
  Effect.try({
    // parseArgs's own result type is not exported by @types/node; for string/boolean options it is exactly `Parsed`.
    try: () => parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as unknown as Parsed<O>,
    catch: (error) => oneLine(`${command}: ${error instanceof Error ? error.message : String(error)}`)
  })

/**
 * Reads `--format`, defaulting to JSON.
 *
 * @category parsing
 * @since 0.1.0
 */
export const format = (command: string, value: string | undefined): Effect.Effect<Format, BadInput> =>
  value === undefined || value === "json" || value === "table"
    ? Effect.succeed(value ?? "json")
    : Effect.fail(new BadInput({ reason: `${command}: bad --format ${JSON.stringify(value)}: expected json or table` }))

/**
 * Requires exactly one positional argument.
 *
 * @category parsing
 * @since 0.1.0
 */
export const onePositional = (command: string, what: string, positionals: ReadonlyArray<string>): Effect.Effect<string, BadInput> =>
  positionals.length === 1
    ? Effect.succeed(positionals[0] as string)
    : Effect.fail(
      new BadInput({
        reason: positionals.length === 0
          ? `${command}: missing ${what} (see hub ${command} --help)`
          : `${command}: expected one ${what}, got ${positionals.length}: ${positionals.join(" ")}`
      })
    )
