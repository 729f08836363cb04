/**
 * The skeleton of a simulator: a Hono app with the fault middleware installed, a submission recorder, problem
 * responses for unknown routes and crashes, and the `/_sim` admin API tests and the demo drive.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { Hono } from "hono"
import * as Faults from "./Faults.ts"
import * as Problem from "./Problem.ts"
import * as SubmissionRecorder from "./SubmissionRecorder.ts"

/**
 * A simulator under construction: mount the system's routes on `app`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Simulator {
  readonly app: Hono
  readonly faults: Faults.FaultInjector
  readonly recorder: SubmissionRecorder.SubmissionRecorder
}

/**
 * Options for {@link make}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SimulatorOptions {
  /** Shown in problem details and logs. */
  readonly name: string
  /** Called by `POST /_sim/reset` after faults and submissions are cleared: drop the simulator's own state. */
  readonly onReset?: () => void
}

/**
 * Builds the skeleton. Admin API (never faulted, no auth; simulators listen on loopback only):
 * - `GET /_sim/faults` the armed faults; `POST /_sim/faults` arms a {@link Faults.FaultPlan} (replacing the
 *   previous one; 400 naming bad fields); `DELETE /_sim/faults` disarms;
 * - `GET /_sim/submissions[?kind=K]` → `{ count, submissions }` accepted submissions, oldest first;
 * - `POST /_sim/reset` clears faults, submissions, idempotency keys and the simulator's own state.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: SimulatorOptions): Simulator => {
  const faults = Faults.make()
  const recorder = SubmissionRecorder.make()
  const app = new Hono()

  app.get("/_sim/faults", (c) => c.json(faults.snapshot()))
  app.post("/_sim/faults", async (c) => {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return Problem.response(400, "Bad Request", "the fault plan is not valid JSON")
    }
    const plan = Faults.decodePlan(body)
    if (Result.isFailure(plan)) {
      return Problem.response(400, "Bad Request", "the fault plan is invalid", { errors: plan.failure })
    }
    faults.set(plan.success)
    return c.json(faults.snapshot())
  })
  app.delete("/_sim/faults", (c) => {
    faults.reset()
    return c.body(null, 204)
  })
  app.get("/_sim/submissions", (c) => {
    const submissions = recorder.list(c.req.query("kind"))
    return c.json({ count: submissions.length, submissions })
  })
  app.post("/_sim/reset", (c) => {
    faults.reset()
    recorder.reset()
    options.onReset?.()
    return c.body(null, 204)
  })

  app.use("*", faults.middleware)

  app.notFound((c) => Problem.response(404, "Not Found", `${options.name} has no route ${c.req.method} ${c.req.path}`))
  app.onError((error) => {
    console.error(`${options.name}: unexpected error`, error)
    return Problem.response(500, "Internal Server Error", `${options.name} failed unexpectedly`)
  })

  return { app, faults, recorder }
}
