/**
 * The worker process: reads its configuration from the environment, builds the layers, installs the pull
 * schedules and runs one worker per plugin and direction until SIGTERM/SIGINT, when the workers close
 * gracefully (running jobs get `HUB_WORKER_CLOSE_TIMEOUT_MS` to finish, then go back to the queue).
 *
 * @since 0.1.0
 */
import { NodeMain } from "@hub/runtime-node"
import { Effect, Option } from "effect"
import * as Reconcile from "./Reconcile.ts"
import * as WorkerConfig from "./WorkerConfig.ts"
import * as WorkerRuntime from "./WorkerRuntime.ts"

const program = Effect.gen(function*() {
  const config = yield* WorkerConfig.config
  return yield* Effect.gen(function*() {
    yield* Effect.logInfo(`hub worker starting: ${WorkerRuntime.describe(config)}`)
    yield* WorkerRuntime.syncSchedules(config)
    yield* WorkerRuntime.startWorkers(config)
    // Redis losing its data (jobs, schedulers) is repaired from the store: see Reconcile.ts.
    yield* Reconcile.watch(config)
    return yield* Effect.never
  }).pipe(
    Effect.scoped,
    Effect.provide(WorkerRuntime.layer(config)),
    Effect.provide(WorkerRuntime.logging(Option.getOrElse(config.logLevel, () => "Info" as const)))
  )
})

NodeMain.runMain(program)
