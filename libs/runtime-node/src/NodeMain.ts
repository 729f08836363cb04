/**
 * The main runner for the hub's processes (gateway, workers, CLI, simulators). `@effect/platform-node` does not
 * load on Node 20 with effect 4.1 (STACK.md), so this is the few lines of it the hub needs: run the program,
 * interrupt it on SIGINT/SIGTERM so every scoped resource's finalizer runs, and exit with a code that says how
 * it ended.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Fiber } from "effect"

/**
 * How a run ended, as a process exit code: 0 success (or interrupted by a signal), 1 failure or defect.
 *
 * @category models
 * @since 0.1.0
 */
export const exitCodeOf = <A, E>(exit: Exit.Exit<A, E>): number =>
  Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause) ? 0 : 1

/**
 * Options for {@link runMain}.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunMainOptions {
  /** Print the failure cause on standard error (default true). */
  readonly reportFailure?: boolean
  /** Override the exit code from the exit (the CLI maps bad input to 2). */
  readonly exitCode?: (exit: Exit.Exit<unknown, unknown>) => number
  /** Milliseconds to wait for finalizers after a second signal before forcing exit (default 10 000). */
  readonly forceAfterMs?: number
}

/**
 * Runs a program as the process's main. The first SIGINT or SIGTERM interrupts it (finalizers run); a second
 * one while finalizers are still running forces the exit.
 *
 * @category running
 * @since 0.1.0
 */
export const runMain = <A, E>(program: Effect.Effect<A, E>, options: RunMainOptions = {}): void => {
  let interrupting = false
  // Signal handlers go in before the program starts, so a signal can never find the process without them.
  const running: { fiber?: Fiber.Fiber<A, E> } = {}
  const onSignal = (): void => {
    const fiber = running.fiber
    if (fiber === undefined) return
    if (interrupting) {
      setTimeout(() => process.exit(130), options.forceAfterMs ?? 10_000).unref()
      return
    }
    interrupting = true
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  const fiber = Effect.runFork(program)
  running.fiber = fiber
  // Keep the event loop alive while the program runs, even when it only waits on an Effect timer.
  const keepAlive = setInterval(() => undefined, 2 ** 31 - 1)
  fiber.addObserver((exit) => {
    clearInterval(keepAlive)
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause) && options.reportFailure !== false) {
      console.error(Cause.pretty(exit.cause))
    }
    process.exitCode = options.exitCode ? options.exitCode(exit) : exitCodeOf(exit)
  })
}
