/**
 * The `hub` command line: dispatches `hub <command> ...` to one module per command, prints `hub --help`, and
 * turns how a run ended into the exit status (0 done, 2 bad input with a one-line reason, 1 internal fault).
 *
 * @since 0.1.0
 */
import { Cause, Console, Effect, Exit, Option } from "effect"
import { BadInput } from "./BadInput.ts"
import type * as Command from "./Command.ts"
import * as CoterminosityCommand from "./commands/Coterminosity.ts"
import * as ImportLookupCommand from "./commands/ImportLookup.ts"
import * as KeysCommand from "./commands/Keys.ts"
import * as OrgsCommand from "./commands/Orgs.ts"
import * as StartCommand from "./commands/Start.ts"
import * as StatusCommand from "./commands/Status.ts"

/**
 * Every command, in the order `hub --help` lists them. A new command adds its module's `command` here.
 *
 * @category constants
 * @since 0.1.0
 */
export const commands: ReadonlyArray<Command.Command> = [CoterminosityCommand.command, OrgsCommand.command, ImportLookupCommand.command, KeysCommand.command, StartCommand.command, StatusCommand.command]

/**
 * The text of `hub --help`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const help = (): string => {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    "Usage: hub <command> [arguments] [--help]",
    "",
    "The commissioning hub's command line.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run hub <command> --help for a command's arguments."
  ].join("\n")
}

/**
 * Runs the command named by the first argument.
 *
 * @category running
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<void, BadInput> => {
  const [first, ...rest] = argv
  if (first === "--help" || first === "-h" || first === "help") return Console.log(help())
  if (first === undefined) {
    return Effect.fail(new BadInput({ reason: `no command given (commands: ${commands.map((c) => c.name).join(", ")}); run hub --help` }))
  }
  const command = commands.find((c) => c.name === first)
  return command === undefined
    ? Effect.fail(
      new BadInput({ reason: `unknown command ${JSON.stringify(first)} (commands: ${commands.map((c) => c.name).join(", ")})` })
    )
    : command.run(rest)
}

const isBadInput = (cause: Cause.Cause<unknown>): boolean => {
  const error = Cause.findErrorOption(cause)
  return Option.isSome(error) && error.value instanceof BadInput
}

/**
 * The exit status of a run: 0 success or interrupted, 2 bad input, 1 anything else (a defect).
 *
 * @category running
 * @since 0.1.0
 */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return 0
  return isBadInput(exit.cause) ? 2 : 1
}

/**
 * The whole program for `argv`: bad input prints `hub: <reason>` on one line of standard error; an internal
 * fault prints the full cause.
 *
 * @category running
 * @since 0.1.0
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<void, unknown> =>
  run(argv).pipe(
    Effect.tapCause((cause) => {
      if (Cause.hasInterruptsOnly(cause)) return Effect.void
      const error = Cause.findErrorOption(cause)
      return Option.isSome(error) && error.value instanceof BadInput
        ? Console.error(`hub: ${error.value.reason}`)
        : Console.error(`hub: internal fault\n${Cause.pretty(cause)}`)
    })
  )
