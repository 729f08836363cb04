/**
 * The test side of {@link CommitPauseHook}: starts a worker process with the hook preloaded and armed for one
 * COMMIT, arms it, and waits until the worker says it froze there.
 *
 * @since 0.1.0
 */
import { Effect, Schedule, type Scope } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as FaultHub from "../support/FaultHub.ts"
import * as Processes from "../support/Processes.ts"

const hookModule = join(Processes.repositoryRoot, "tools/faults/src/commit-pause/CommitPauseHook.ts")
const workerMain = join(Processes.repositoryRoot, "apps/worker/src/main.ts")

/**
 * Where to freeze: just before the Nth COMMIT after arming is sent, or just after its answer arrives.
 *
 * @category models
 * @since 0.1.0
 */
export interface PausePoint {
  readonly point: "before" | "after"
  readonly commit: number
}

/**
 * A worker with the hook: its process and the file whose existence arms the hook.
 *
 * @category models
 * @since 0.1.0
 */
export interface HookedWorker {
  readonly process: Processes.Started
  readonly armFile: string
}

/**
 * Starts a worker (`node --import tsx --import CommitPauseHook.ts apps/worker/src/main.ts`) with the fault
 * tests' worker environment and the hook set to `pause`, not yet armed; stopped by pid when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const startWorker = (
  logDir: string,
  name: string,
  setup: FaultHub.WorkerSetup,
  pause: PausePoint
): Effect.Effect<HookedWorker, never, Scope.Scope> =>
  Effect.gen(function*() {
    const armFile = join(logDir, `${name}.commit-pause-armed`)
    const started = yield* Processes.start({
      name,
      command: process.execPath,
      args: ["--import", "tsx", "--import", hookModule, workerMain],
      env: {
        ...FaultHub.workerEnv(setup),
        HUB_FAULT_COMMIT_PAUSE: `${pause.point}:${pause.commit}`,
        HUB_FAULT_COMMIT_PAUSE_ARM_FILE: armFile
      },
      logDir
    })
    return { process: started, armFile }
  })

/**
 * Arms the hook: COMMITs from now on are counted.
 *
 * @category combinators
 * @since 0.1.0
 */
export const arm = (worker: HookedWorker): Effect.Effect<void> => Effect.sync(() => writeFileSync(worker.armFile, "armed\n"))

/**
 * Waits until the worker's log says it froze at its COMMIT; fails with the log's tail after `timeoutMs` or if the
 * process exits first.
 *
 * @category combinators
 * @since 0.1.0
 */
export const awaitPaused = (worker: HookedWorker, timeoutMs = 120_000): Effect.Effect<void, Error> =>
  Effect.gen(function*() {
    const paused = () => /hub-fault-hook: paused (before|after) COMMIT/u.test(Processes.logOf(worker.process))
    yield* Effect.sync(paused).pipe(
      Effect.repeat({ until: (done) => done || Processes.hasExited(worker.process.child), schedule: Schedule.spaced("50 millis") }),
      Effect.timeoutOption(timeoutMs)
    )
    if (!paused() || Processes.hasExited(worker.process.child)) {
      return yield* Effect.fail(new Error(`${worker.process.name} did not pause at its COMMIT: ${Processes.logOf(worker.process).slice(-3000)}`))
    }
  })
