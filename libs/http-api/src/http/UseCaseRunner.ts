/**
 * Runs a handler's use case on the app's one shared runtime and hands its typed failure to Hono's error
 * handler, which maps it through the problem table. Defects and interruptions become a generic 500 there.
 *
 * Most reads are pure in-memory work (the registry, the geography) that ends within the call that starts it:
 * the fiber is started on the runtime's already built services and its exit read at once, so such a use case
 * costs one fiber and no observer, scheduler hop or extra promise. A use case that waits (the database, Redis)
 * is observed until it ends, as before. Nothing is ever run twice.
 *
 * A read that is a plain function of the services (`read`) needs no fiber at all: once the runtime's services
 * are built it runs synchronously over them; before that, one fiber builds them and hands them over.
 *
 * @since 0.1.0
 */
import { Cause, type Context, Effect, Exit, Result } from "effect"
import type { GatewayRuntime, Services } from "./GatewayEnv.ts"

/**
 * A function that runs a use case and resolves with its value or rejects with its failure; and `read`, which
 * runs a pure read over the services and gives its value (synchronously once the services are built) or throws
 * (rejects) with its failure.
 *
 * @category models
 * @since 0.1.0
 */
export interface UseCaseRunner {
  <A, E>(useCase: Effect.Effect<A, E, Services>): Promise<A>
  readonly read: <A, E>(read: PureRead<A, E>) => A | Promise<A>
}

/**
 * A read that is a plain function of the services: no I/O, no waiting; it answers or fails with a typed failure.
 *
 * @category models
 * @since 0.1.0
 */
export type PureRead<A, E> = (services: Context.Context<Services>) => Result.Result<A, E>

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
export const make = (runtime: GatewayRuntime): UseCaseRunner => {
  const run = <A, E>(useCase: Effect.Effect<A, E, Services>): Promise<A> => {
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
  // The runtime builds its services once; the first read takes them from a fiber and keeps them.
  let services: Context.Context<Services> | undefined
  const answer = <A, E>(result: Result.Result<A, E>): A => {
    if (Result.isSuccess(result)) return result.success
    throw result.failure
  }
  const read = <A, E>(pure: PureRead<A, E>): A | Promise<A> => {
    if (services !== undefined) return answer(pure(services))
    return run(Effect.context<Services>()).then((built) => {
      services = built
      return answer(pure(built))
    })
  }
  return Object.assign(run, { read })
}
