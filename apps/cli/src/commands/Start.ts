/**
 * `hub start`: the one-command start from the command line. Runs the repository's `scripts/start.sh` (the same
 * as `npm start`) in the foreground, with its output on this terminal; Ctrl-C is passed on to it, and it stops
 * every process it started before this command ends.
 *
 * @since 0.1.0
 */
import { Console, Effect } from "effect"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { BadInput } from "../BadInput.ts"
import type * as Command from "../Command.ts"

/**
 * Where the start script is, relative to this file (apps/cli/src/commands → scripts/start.sh).
 *
 * @category constants
 * @since 0.1.0
 */
export const script = fileURLToPath(new URL("../../../../scripts/start.sh", import.meta.url))

const runScript = (path: string): Effect.Effect<number, BadInput> =>
  Effect.callback<number, BadInput>((resume) => {
    const child = spawn("bash", [path], { stdio: "inherit", cwd: fileURLToPath(new URL("../../../../", import.meta.url)) })
    child.once("error", (error) => resume(Effect.fail(new BadInput({ reason: `start: cannot run ${path}: ${error.message}` }))))
    child.once("exit", (code, signal) => resume(Effect.succeed(code ?? (signal === null ? 0 : 130))))
    // Interrupted (Ctrl-C reaches this process): ask the script to stop everything, and wait for it.
    return Effect.callback<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done(Effect.void)
      child.once("exit", () => done(Effect.void))
      child.kill("SIGINT")
    })
  })

/**
 * The command.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name: "start",
  summary: "start the whole hub on this machine (database, Redis, simulators, workers, gateway) until Ctrl-C",
  usage: "hub start    (configuration: the environment, see .env.example)",
  run: (args) =>
    Effect.gen(function*() {
      if (args.includes("--help") || args.includes("-h")) return yield* Console.log(command.usage)
      if (args.length > 0) return yield* new BadInput({ reason: `start: takes no arguments, got ${args.join(" ")}; configure it with environment variables` })
      if (!existsSync(script)) return yield* new BadInput({ reason: `start: ${script} is missing (hub start runs from the repository)` })
      const code = yield* runScript(script)
      if (code !== 0 && code !== 130 && code !== 143) return yield* new BadInput({ reason: `start: the hub stopped with status ${code}` })
    })
}
