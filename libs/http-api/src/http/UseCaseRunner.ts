/**
 * Runs a handler's use case on the app's one shared runtime and hands its typed failure to Hono's error
 * handler, which maps it through the problem table. Defects and interruptions become a generic 500 there.
 *
 * Most reads are pure in-memory work (the registry, the geography) that ends within the call that starts it:
 * the fiber is started on the runtime's already built services and its exit read at once, so such a use case
 * costs one fiber and no observer, scheduler hop or extra promise. A use case that waits (the database, Redis)
 * is observed until it ends, as before. Nothing is ever run twice.
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

/** A typed failure is mapped by its tag; anything else is reported as an internal error without its message. */
const failureOf = (cause: Cause.Cause<unknown>): unknown => {
  const failure = Cause.findError(cause)
  return Result.isSuccess(failure) ? failure.success : new UnexpectedFailure(cause)
}

const settle = <A>(exit: Exit.Exit<A, unknown>): Promise<A> =>
  Exit.isSuccess(exit) ? Promise.resolve(exit.value) : Promise.reject(failureOf(exit.cause))

/**
 * The runner over a runtime.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (runtime: GatewayRuntime): UseCaseRunner => (useCase) => {
  // Until the runtime's services are built (the first requests), `runFork` builds them first and the fiber ends later.
  const fiber = runtime.runFork(useCase)
  const ended = fiber.pollUnsafe()
  if (ended !== undefined) return settle(ended)
  return new Promise((resolve, reject) => {
    fiber.addObserver((exit) => {
      if (Exit.isSuccess(exit)) resolve(exit.value)
      else reject(failureOf(exit.cause))
    })
  })
}
