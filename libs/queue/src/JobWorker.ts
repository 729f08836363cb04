/**
 * Worker scaffolding: {@link runWorker} processes a queue's jobs with an Effect program, as a scoped resource.
 * Each job's payload is decoded with the queue's Schema (a payload that does not decode fails the job for good),
 * the program gets the job's abort signal and is interrupted when it fires, and its failure is mapped by
 * `JobFailure`: retryable errors go back to BullMQ with the hub backoff (honouring `retryAfterMs`), others become
 * `UnrecoverableError`.
 *
 * Closing the scope (SIGTERM through the app's main) closes the worker gracefully with a deadline: it stops taking
 * jobs and waits up to `closeTimeoutMs` for the running ones; then it fires their abort signals, which interrupts
 * their programs, and puts each interrupted job straight back in the queue without using up an attempt. A program
 * that does not stop within `abandonAfterMs` of its signal is abandoned: its job keeps its (no longer renewed)
 * lock, stalls, and BullMQ's stalled-job check moves it back to wait for another worker to re-run.
 *
 * @since 0.1.0
 */
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq"
import { Cause, Clock, Effect, Exit, type Fiber, Option, References, Schema, type Scope, Tracer } from "effect"
import * as Backoff from "./Backoff.ts"
import { type DefectPolicy, toBullError, verdictOf } from "./JobFailure.ts"
import type { JobQueue } from "./JobQueue.ts"
import { QueueConnection } from "./QueueConnection.ts"
import type { Retryability } from "./Retryability.ts"

/**
 * The job a program processes: its decoded payload and where it is in its attempts.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProcessingJob<A> {
  readonly queue: string
  readonly id: string
  readonly name: string
  readonly data: A
  /** Runs that ended (failed) before this one. */
  readonly attemptsMade: number
  /** Runs started, this one included (a stalled run counts too). */
  readonly attemptsStarted: number
  /** Runs the job may have in all (its `attempts` option; 1 when unset): this run is the last when `attemptsMade + 1 >= attempts`. */
  readonly attempts: number
}

/**
 * A worker's per-queue settings, as a Schema so apps can decode them from configuration.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Settings = Schema.Struct({
  concurrency: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  limiter: Schema.optionalKey(
    Schema.Struct({
      max: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
      duration: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
    })
  ),
  closeTimeoutMs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
}).annotate({ identifier: "WorkerSettings" })

/**
 * @category models
 * @since 0.1.0
 */
export type Settings = typeof Settings.Type

/**
 * Options of {@link runWorker}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options<A, I, Out, E extends Retryability, R> {
  readonly queue: JobQueue<A, I>
  /** The job's program. Its result is stored as the job's return value (keep it small and JSON). */
  readonly process: (job: ProcessingJob<A>, signal: AbortSignal) => Effect.Effect<Out, E, R>
  /** Jobs processed at once by this worker (default 1). */
  readonly concurrency?: number | undefined
  /** At most `max` jobs started per `duration` ms, across all workers of the queue. */
  readonly limiter?: { readonly max: number; readonly duration: number } | undefined
  /** How long closing waits for running jobs before interrupting them. */
  readonly closeTimeoutMs: number
  /** How long an interrupted program may take to stop before it is abandoned to stall (default 1000 ms). */
  readonly abandonAfterMs?: number | undefined
  /** Whether a defect is retried (default) or fails the job for good; see `JobFailure`. */
  readonly defects?: DefectPolicy | undefined
  /** BullMQ lock of a running job in ms (default 30 000); an abandoned job is re-run after it expires. */
  readonly lockDurationMs?: number | undefined
  /** How often this worker looks for stalled jobs in ms (default 30 000). */
  readonly stalledIntervalMs?: number | undefined
  /** How many times a job may stall before it fails (default 1). */
  readonly maxStalledCount?: number | undefined
  /** The worker's name, recorded on the jobs it processes (default: the queue name). */
  readonly name?: string | undefined
}

/**
 * A running worker.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunningWorker {
  readonly queue: string
  readonly id: string
  /** Fires a running job's abort signal: its program is interrupted and the job fails for good as cancelled. */
  readonly cancel: (jobId: string, reason: string) => Effect.Effect<boolean>
}

const reasonText = (reason: unknown): string =>
  reason instanceof Error ? reason.message : reason === undefined ? "no reason given" : String(reason)

/**
 * Processes `options.queue` until the scope closes, then closes gracefully within the deadline (see the module
 * comment). Redis being down does not fail it: the worker waits for Redis to come back.
 *
 * Each job runs as one fiber whose interruption is wired straight to the job's abort signal; everything that
 * does not depend on the job (the decoder, whether spans are recorded, the runners) is set up once per worker.
 * A span `JobWorker.process` around each job's program is recorded only when a tracer other than Effect's
 * native (non-exporting) one is installed, and without capturing a stack trace.
 *
 * @category constructors
 * @since 0.1.0
 */
export const runWorker = <A, I, Out, E extends Retryability, R>(
  options: Options<A, I, Out, E, R>
): Effect.Effect<RunningWorker, never, Scope.Scope | QueueConnection | R> =>
  Effect.gen(function* () {
    const connection = yield* QueueConnection
    const context = yield* Effect.context<R>()
    const queueName = options.queue.name
    const abandonAfterMs = options.abandonAfterMs ?? 1000
    const decode = Schema.decodeUnknownExit(options.queue.schema, { errors: "all" })
    const state = { shuttingDown: false }
    const runPromise = Effect.runPromiseWith(context)
    const runFork = Effect.runForkWith(context)
    // Decided once: with Effect's native tracer nothing would ever read a per-job span.
    const traced = (yield* References.TracerEnabled) && (yield* Effect.tracer) !== Tracer.nativeTracer

    /** What a payload that does not decode becomes: a failure for good, naming every problem. */
    const invalidData = (jobId: string, cause: Cause.Cause<Schema.SchemaError>): Effect.Effect<Error> =>
      Effect.suspend(() => {
        const issue = Cause.findErrorOption(cause)
        const reason = `InvalidJobData: job ${jobId} of queue ${queueName} is not a valid ${options.queue.jobName} job: ${
          Option.isSome(issue) ? issue.value.message : Cause.pretty(cause)
        }`
        return Effect.logWarning(reason).pipe(Effect.as(new UnrecoverableError(reason)))
      })

    /** What a program that ended in failure (or was interrupted) means for its job, as the error for BullMQ. */
    const failed = (job: Job, token: string | undefined, signal: AbortSignal, cause: Cause.Cause<E>): Effect.Effect<Error, never, R> =>
      Effect.gen(function* () {
        const jobId = job.id ?? "?"
        if (signal.aborted) {
          if (state.shuttingDown) {
            const now = yield* Clock.currentTimeMillis
            const requeued = yield* Effect.exit(Effect.tryPromise(() => job.moveToDelayed(now, token)))
            yield* Exit.isSuccess(requeued)
              ? Effect.logInfo(`job ${jobId} of queue ${queueName} was interrupted by shutdown and put back in the queue`)
              : Effect.logWarning(
                  `job ${jobId} of queue ${queueName} was interrupted by shutdown and could not be put back (${Cause.pretty(requeued.cause)}); it is left to stall and be re-run`
                )
            // DelayedError tells BullMQ the job's state was already taken care of.
            return new DelayedError("interrupted by shutdown")
          }
          const reason = `Cancelled: ${reasonText(signal.reason)}`
          yield* Effect.logWarning(`job ${jobId} of queue ${queueName}: ${reason}`)
          return new UnrecoverableError(reason)
        }
        const verdict = verdictOf(cause, options.defects)
        const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1
        yield* verdict._tag === "Retry" && attemptsLeft > 0
          ? Effect.logInfo(
              `job ${jobId} of queue ${queueName} failed and will be retried (${attemptsLeft} attempts left): ${verdict.reason}`
            )
          : Effect.logWarning(
              `job ${jobId} of queue ${queueName} failed for good${verdict._tag === "Retry" ? " (no attempts left)" : ""}: ${verdict.reason}`
            )
        return toBullError(verdict)
      })

    /** Runs an Effect that yields the error to reject a job with (never fails), then rejects with it. */
    const rejectWith = (outcome: Effect.Effect<Error, never, R>): Promise<never> =>
      runPromise(outcome).then(
        (error) => Promise.reject(error),
        (defect: unknown) => Promise.reject(defect instanceof Error ? defect : new Error(String(defect)))
      )

    /**
     * Settles a job from its program's fiber: resolves with the result, or rejects with the error for BullMQ. The
     * job's abort signal interrupts the fiber; a fiber still running `abandonAfterMs` later is left behind (its
     * job rejected with `DelayedError`, so BullMQ leaves the job to stall).
     */
    const settle = (job: Job, token: string | undefined, signal: AbortSignal, fiber: Fiber.Fiber<Out, E>): Promise<unknown> => {
      const ended = fiber.pollUnsafe()
      // The common case: the program finished synchronously, no listener or timer needed.
      if (ended !== undefined) {
        return Exit.isSuccess(ended) ? Promise.resolve(ended.value) : rejectWith(failed(job, token, signal, ended.cause))
      }
      return new Promise<unknown>((resolve, reject) => {
        let abandonTimer: ReturnType<typeof setTimeout> | undefined
        let stopObserving: () => void = () => undefined
        const abandon = (): void => {
          stopObserving()
          rejectWith(
            Effect.logError(
              `job ${job.id ?? "?"} of queue ${queueName} did not stop within ${abandonAfterMs} ms of its abort signal; it is left to stall and be re-run`
            ).pipe(Effect.as(new DelayedError("abandoned: left to stall")))
          ).catch(reject)
        }
        const onAbort = (): void => {
          fiber.interruptUnsafe()
          if (fiber.pollUnsafe() === undefined) abandonTimer = setTimeout(abandon, abandonAfterMs)
        }
        stopObserving = fiber.addObserver((exit) => {
          if (abandonTimer !== undefined) clearTimeout(abandonTimer)
          signal.removeEventListener("abort", onAbort)
          if (Exit.isSuccess(exit)) resolve(exit.value)
          else rejectWith(failed(job, token, signal, exit.cause)).catch(reject)
        })
        if (signal.aborted) onAbort()
        else signal.addEventListener("abort", onAbort, { once: true })
      })
    }

    // BullMQ passes an abort signal only to processors that declare a third parameter (it checks `length`).
    const processor = (job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> => {
      const jobId = job.id ?? "?"
      const decoded = decode(job.data)
      if (Exit.isFailure(decoded)) return rejectWith(invalidData(jobId, decoded.cause))
      const jobSignal = signal ?? new AbortController().signal
      const processing: ProcessingJob<A> = {
        queue: queueName,
        id: jobId,
        name: job.name,
        data: decoded.value,
        attemptsMade: job.attemptsMade,
        attemptsStarted: job.attemptsStarted,
        attempts: job.opts.attempts ?? 1
      }
      // Suspended, so that a program that throws while being built is a defect of the job like any other.
      const program = Effect.suspend(() => options.process(processing, jobSignal))
      const fiber = runFork(
        traced
          ? Effect.withSpan(program, "JobWorker.process", {
              attributes: { queue: queueName, jobId, attemptsStarted: job.attemptsStarted },
              captureStackTrace: false
            })
          : program
      )
      return settle(job, token, jobSignal, fiber)
    }

    const shutdown = (worker: Worker): Effect.Effect<void> =>
      Effect.gen(function* () {
        state.shuttingDown = true
        const closing = worker.close().then(
          () => undefined,
          () => undefined
        )
        const closed = Effect.interruptible(Effect.promise(() => closing))
        const inTime = yield* closed.pipe(Effect.timeoutOption(options.closeTimeoutMs))
        if (Option.isSome(inTime)) return
        yield* Effect.logWarning(
          `worker of queue ${queueName}: running jobs did not finish within ${options.closeTimeoutMs} ms; interrupting them`
        )
        worker.cancelAllJobs("worker shutting down")
        const afterCancel = yield* closed.pipe(Effect.timeoutOption(abandonAfterMs + 2000))
        if (Option.isNone(afterCancel)) {
          yield* Effect.logError(`worker of queue ${queueName} did not close; disconnecting it`)
          yield* Effect.interruptible(Effect.promise(() => worker.disconnect().catch(() => undefined))).pipe(
            Effect.timeoutOption(1000)
          )
        }
      })

    const worker = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const created = new Worker(queueName, processor, {
          connection: connection.worker,
          prefix: connection.prefix,
          name: options.name ?? queueName,
          concurrency: options.concurrency ?? 1,
          settings: { backoffStrategy: Backoff.strategy },
          ...(options.limiter === undefined ? {} : { limiter: { max: options.limiter.max, duration: options.limiter.duration } }),
          ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
          ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
          ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount })
        })
        let lastError: string | undefined
        // Without a listener an 'error' event would crash the process; log each distinct error once in a row.
        created.on("error", (error: Error) => {
          if (error.message === lastError) return
          lastError = error.message
          runFork(Effect.logWarning(`worker of queue ${queueName}: ${error.message}`))
        })
        created.on("ready", () => {
          lastError = undefined
        })
        return created
      }),
      shutdown
    )
    return {
      queue: queueName,
      id: worker.id,
      cancel: (jobId: string, reason: string) => Effect.sync(() => worker.cancelJob(jobId, reason))
    }
  }).pipe(Effect.withSpan("JobWorker.runWorker", { attributes: { queue: options.queue.name } }))
