/**
 * Entry point of the `hub` command (bin/hub.mjs loads it): runs the CLI on the process arguments and exits
 * with its status.
 *
 * @since 0.1.0
 */
import { NodeMain } from "@hub/runtime-node"
import * as Cli from "./Cli.ts"

// `hub ... | head` closes standard output early: that is the reader's choice, not a fault.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  throw error
})

NodeMain.runMain(Cli.main(process.argv.slice(2)), { reportFailure: false, exitCode: Cli.exitCode })
