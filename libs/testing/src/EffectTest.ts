/**
 * Vitest helpers for Effect programs: `effect(name, program)` runs a test as an Effect with a scope, and a
 * failure is reported with Effect's pretty cause (the typed error, not "[object Object]"). `@effect/vitest`
 * does not fit this workspace (its releases need vitest 5, which needs Node 22), see STACK.md.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, type Layer, ManagedRuntime, type Scope } from "effect"
import { afterAll, it as vitestIt } from "vitest"

/**
 * Runs an effect to completion in a fresh scope, throwing an `Error` that carries the pretty cause when it fails.
 *
 * @category running
 * @since 0.1.0
 */
export const runTest = async <A, E>(program: Effect.Effect<A, E, Scope.Scope>): Promise<A> => {
  const exit = await Effect.runPromiseExit(Effect.scoped(program))
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(Cause.pretty(exit.cause))
}

/**
 * Declares a vitest test whose body is an Effect (created per run, so each test gets fresh state).
 *
 * @category testing
 * @since 0.1.0
 */
export const effect = <A, E>(
  name: string,
  program: () => Effect.Effect<A, E, Scope.Scope>,
  timeout?: number
): void => {
  vitestIt(name, () => runTest(program()).then(() => undefined), timeout)
}

/**
 * Declares tests that share services built once from a layer (built on first use, released after the last
 * test of the file): for expensive resources such as a database or a Redis connection.
 *
 * @category testing
 * @since 0.1.0
 */
export const layer = <ROut, E>(
  layerToShare: Layer.Layer<ROut, E>
): {
  readonly effect: <A, E2>(
    name: string,
    program: () => Effect.Effect<A, E2, ROut | Scope.Scope>,
    timeout?: number
  ) => void
  readonly run: <A, E2>(program: Effect.Effect<A, E2, ROut | Scope.Scope>) => Promise<A>
} => {
  const runtime = ManagedRuntime.make(layerToShare)
  afterAll(() => runtime.dispose())
  const run = async <A, E2>(program: Effect.Effect<A, E2, ROut | Scope.Scope>): Promise<A> => {
    const exit = await runtime.runPromiseExit(Effect.scoped(program))
    if (Exit.isSuccess(exit)) return exit.value
    throw new Error(Cause.pretty(exit.cause))
  }
  return {
    run,
    effect: (name, program, timeout) => {
      vitestIt(name, () => run(program()).then(() => undefined), timeout)
    }
  }
}
