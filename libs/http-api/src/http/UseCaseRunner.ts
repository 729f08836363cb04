/**
 * Runs a handler's use case on the app's one shared runtime and hands its typed failure to Hono's error
 * handler, which maps it through the problem table. Defects and interruptions become a generic 500 there.
 *
 * @since 0.1.0
 */
import { Cause, type Effect, Exit, Result } from "effect"
import type { GatewayRuntime, Services } from "./GatewayEnv.ts"

/**
 * A function that runs a use case and resolves with its value or rejects with its failure.
 *
 * @category models
 * @since 0.1.0
 */
export type UseCaseRunner = <A, E>(useCase: Effect.Effect<A, E, Services>) => Promise<A>

/**
 * The runner over a runtime.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (runtime: GatewayRuntime): UseCaseRunner => async (useCase) => {
  const exit = await runtime.runPromiseExit(useCase)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.findError(exit.cause)
  // A typed failure is mapped by its tag; anything else is reported as an internal error without its message.
  throw Result.isSuccess(failure) ? failure.success : new UnexpectedFailure(exit.cause)
}

/**
 * A defect or interruption of a use case: it carries the cause for the log, never for the client.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnexpectedFailure extends Error {
  constructor(readonly failure: Cause.Cause<unknown>) {
    super("a use case died or was interrupted")
  }
}
