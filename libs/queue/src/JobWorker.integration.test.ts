import { Effect, Option, Tracer } from "effect"
import { describe, expect } from "vitest"
import { EffectTest } from "@hub/testing"
import { BullQueues } from "./BullQueues.ts"
import * as JobQueue from "./JobQueue.ts"
import { runWorker } from "./JobWorker.ts"
import { Producer } from "./Producer.ts"
import { eventually, TestFailure, withRedis } from "./test-support/RedisTest.ts"

const queue = JobQueue.pull("london-cbs")
const job = { plugin: "london-cbs", stream: "spend", reason: "request" } as const

const jobState = (id: string) =>
  Producer.use((producer) => producer.getJob(queue, id)).pipe(
    Effect.map(Option.match({ onNone: () => "missing", onSome: (snapshot) => snapshot.state }))
  )

const snapshotOf = (id: string) =>
  Producer.use((producer) => producer.getJob(queue, id)).pipe(Effect.map(Option.getOrThrow))

describe("JobWorker.runWorker", () => {
  EffectTest.effect("a job added by the producer is processed and completes with the program's result", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const seen: Array<unknown> = []
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: (processing) =>
              Effect.sync(() => {
                seen.push(processing.data)
                return { pulled: processing.data.stream }
              })
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job)
          const done = yield* eventually(snapshotOf(added.id), (s) => s.state === "completed", 10_000, "completion")
          expect(done.returnValue).toEqual({ pulled: "spend" })
          expect(seen).toEqual([job])
        })
      )
    ))

  EffectTest.effect("a retryable failure is retried with exponential backoff, then succeeds", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const starts: Array<number> = []
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.suspend(() => {
                starts.push(Date.now())
                return starts.length < 3
                  ? Effect.fail(new TestFailure({ retryable: true, detail: "simulator answered 503" }))
                  : Effect.succeed("ok")
              })
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 5, backoffDelayMs: 200 })
          const done = yield* eventually(snapshotOf(added.id), (s) => s.state === "completed", 10_000, "completion")
          expect(starts).toHaveLength(3)
          const [first = 0, second = 0, third = 0] = starts
          // 200 ms then 400 ms (a little slack for timer granularity below, none above).
          expect(second - first).toBeGreaterThanOrEqual(190)
          expect(third - second).toBeGreaterThanOrEqual(390)
          expect(done.attemptsStarted).toBe(3)
          expect(done.returnValue).toBe("ok")
        })
      )
    ))

  EffectTest.effect("a rate-limited failure is not retried before its retryAfterMs", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const starts: Array<number> = []
          let failedAt = 0
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.suspend(() => {
                starts.push(Date.now())
                if (starts.length > 1) return Effect.succeed("ok")
                failedAt = Date.now()
                return Effect.fail(new TestFailure({ retryable: true, retryAfterMs: 1200, detail: "429 Too Many Requests" }))
              })
          })
          const producer = yield* Producer
          // A 20 ms base delay would retry almost at once if retryAfterMs were ignored.
          const added = yield* producer.add(queue, job, { attempts: 3, backoffDelayMs: 20 })
          yield* eventually(jobState(added.id), (s) => s === "completed", 10_000, "completion")
          expect(starts).toHaveLength(2)
          expect((starts[1] ?? 0) - failedAt).toBeGreaterThanOrEqual(1200)
        })
      )
    ))

  EffectTest.effect("a permanent failure ends failed with its tag and message as reason, and is not retried", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let runs = 0
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.suspend(() => {
                runs += 1
                return Effect.fail(new TestFailure({ retryable: false, detail: "body code Q99 is unknown" }))
              })
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 5, backoffDelayMs: 20 })
          const failed = yield* eventually(snapshotOf(added.id), (s) => s.state === "failed", 10_000, "failure")
          yield* Effect.sleep(300)
          expect(failed.failedReason).toBe("TestFailure: body code Q99 is unknown")
          expect(failed.attemptsMade).toBe(1)
          expect(runs).toBe(1)
        })
      )
    ))

  EffectTest.effect("a defect is retried by default and its reason names the exception", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let runs = 0
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.suspend(() => {
                runs += 1
                return Effect.die(new TypeError("cannot read properties of undefined"))
              })
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 2, backoffDelayMs: 20 })
          const failed = yield* eventually(snapshotOf(added.id), (s) => s.state === "failed", 10_000, "failure")
          expect(runs).toBe(2)
          expect(failed.failedReason).toBe("Defect: TypeError: cannot read properties of undefined")
        })
      )
    ))

  EffectTest.effect("with defects: \"fail\", a program that throws fails the job for good after one run", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let runs = 0
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            defects: "fail",
            process: (): Effect.Effect<void, TestFailure> => {
              runs += 1
              throw new Error("mapping table missing")
            }
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 3, backoffDelayMs: 20 })
          const failed = yield* eventually(snapshotOf(added.id), (s) => s.state === "failed", 10_000, "failure")
          yield* Effect.sleep(200)
          expect(runs).toBe(1)
          expect(failed.failedReason).toBe("Defect: Error: mapping table missing")
        })
      )
    ))

  EffectTest.effect("a payload that does not match the queue's schema fails for good with a readable reason", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let runs = 0
          yield* runWorker({ queue, closeTimeoutMs: 1000, process: () => Effect.sync(() => (runs += 1)) })
          const queues = yield* BullQueues
          const raw = yield* Effect.promise(() =>
            queues.get(queue.name).add("pull", { plugin: "London CBS", reason: "whenever" }, { attempts: 5 })
          )
          const failed = yield* eventually(snapshotOf(raw.id ?? ""), (s) => s.state === "failed", 10_000, "failure")
          expect(runs).toBe(0)
          expect(failed.attemptsMade).toBe(1)
          expect(failed.failedReason).toMatch(/^InvalidJobData: job \S+ of queue hub\.london-cbs\.pull is not a valid pull job/)
          // Every problem is named, not only the first.
          expect(failed.failedReason).toMatch(/plugin/)
          expect(failed.failedReason).toMatch(/stream/)
          expect(failed.failedReason).toMatch(/reason/)
        })
      )
    ))

  EffectTest.effect("a worker never runs more jobs at once than its concurrency", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let running = 0
          let most = 0
          let finished = 0
          yield* runWorker({
            queue,
            concurrency: 2,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.sync(() => {
                running += 1
                most = Math.max(most, running)
              }).pipe(
                Effect.andThen(Effect.sleep(150)),
                Effect.ensuring(
                  Effect.sync(() => {
                    running -= 1
                    finished += 1
                  })
                )
              )
          })
          const producer = yield* Producer
          for (let i = 0; i < 6; i++) yield* producer.add(queue, { ...job, stream: `s${i}` })
          yield* eventually(Effect.sync(() => finished), (n) => n === 6, 10_000, "six jobs")
          expect(most).toBe(2)
        })
      )
    ))

  EffectTest.effect("the rate limiter starts at most `max` jobs per `duration`", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const starts: Array<number> = []
          yield* runWorker({
            queue,
            concurrency: 4,
            limiter: { max: 2, duration: 1000 },
            closeTimeoutMs: 1000,
            process: () => Effect.sync(() => starts.push(Date.now()))
          })
          const producer = yield* Producer
          for (let i = 0; i < 4; i++) yield* producer.add(queue, { ...job, stream: `s${i}` })
          yield* eventually(Effect.sync(() => starts.length), (n) => n === 4, 10_000, "four jobs")
          const sorted = [...starts].sort((a, b) => a - b)
          expect((sorted[2] ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(900)
        })
      )
    ))

  EffectTest.effect("adding twice with the same job id gives one job, processed once", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const producer = yield* Producer
          const first = yield* producer.add(queue, job, { jobId: "pull.london-cbs.spend.key-1" })
          const second = yield* producer.add(queue, { ...job, reason: "recovery" }, { jobId: "pull.london-cbs.spend.key-1" })
          expect(second.id).toBe(first.id)
          expect((yield* producer.counts(queue)).waiting).toBe(1)
          let runs = 0
          yield* runWorker({ queue, closeTimeoutMs: 1000, process: () => Effect.sync(() => (runs += 1)) })
          const done = yield* eventually(snapshotOf(first.id), (s) => s.state === "completed", 10_000, "completion")
          expect(runs).toBe(1)
          expect(done.data).toEqual(job)
        })
      )
    ))

  EffectTest.effect("with a tracer installed, each job's program runs in a JobWorker.process span naming queue and job", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const spans: Array<Tracer.NativeSpan> = []
          const recording = Tracer.make({
            span: (options) => {
              const span = new Tracer.NativeSpan(options)
              spans.push(span)
              return span
            }
          })
          const seenIn: Array<string> = []
          yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.currentSpan.pipe(
                Effect.map((span) => span.name),
                Effect.orElseSucceed(() => "none"),
                Effect.map((name) => seenIn.push(name))
              )
          }).pipe(Effect.withTracer(recording))
          const producer = yield* Producer
          const added = yield* producer.add(queue, job)
          yield* eventually(jobState(added.id), (s) => s === "completed", 10_000, "completion")
          expect(seenIn).toEqual(["JobWorker.process"])
          const processed = spans.filter((span) => span.name === "JobWorker.process")
          expect(processed).toHaveLength(1)
          expect(processed[0]?.attributes.get("queue")).toBe(queue.name)
          expect(processed[0]?.attributes.get("jobId")).toBe(added.id)
          expect(processed[0]?.status._tag).toBe("Ended")
        })
      )
    ))

  EffectTest.effect("cancelling a running job fires its signal, interrupts the program and fails the job as cancelled", () =>
    withRedis([queue.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          let interrupted = false
          let started = false
          const worker = yield* runWorker({
            queue,
            closeTimeoutMs: 1000,
            process: () =>
              Effect.sync(() => (started = true)).pipe(
                Effect.andThen(Effect.never),
                Effect.onInterrupt(() => Effect.sync(() => (interrupted = true)))
              )
          })
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 3 })
          yield* eventually(Effect.sync(() => started), (s) => s, 10_000, "start")
          expect(yield* worker.cancel(added.id, "ops asked")).toBe(true)
          const failed = yield* eventually(snapshotOf(added.id), (s) => s.state === "failed", 10_000, "failure")
          expect(interrupted).toBe(true)
          expect(failed.failedReason).toBe("Cancelled: ops asked")
        })
      )
    ))
})

describe("JobWorker.runWorker closing", () => {
  EffectTest.effect("closing takes no new job and waits for the running one that finishes within the deadline", () =>
    withRedis([queue.name], () =>
      Effect.gen(function* () {
        const producer = yield* Producer
        let runs = 0
        let finished = false
        const added = yield* producer.add(queue, job)
        let closedAfter = 0
        let next = ""
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* runWorker({
              queue,
              closeTimeoutMs: 5000,
              process: () =>
                Effect.sync(() => (runs += 1)).pipe(
                  Effect.andThen(Effect.sleep(600)),
                  Effect.andThen(Effect.sync(() => (finished = true)))
                )
            })
            yield* eventually(Effect.sync(() => runs), (n) => n === 1, 10_000, "start")
            next = (yield* producer.add(queue, { ...job, stream: "budgets" })).id
            closedAfter = Date.now()
          })
        )
        closedAfter = Date.now() - closedAfter
        expect(finished).toBe(true)
        expect(closedAfter).toBeGreaterThanOrEqual(300)
        expect(closedAfter).toBeLessThan(5000)
        expect(yield* jobState(added.id)).toBe("completed")
        // The job added while the first one ran was not started by the closing worker.
        expect(runs).toBe(1)
        expect(yield* jobState(next)).toBe("waiting")
      })
    ))

  EffectTest.effect(
    "a job still running at the deadline gets its signal, is interrupted and is put back without using an attempt",
    () =>
      withRedis([queue.name], () =>
        Effect.gen(function* () {
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 1 })
          let runs = 0
          let signalFired = false
          let interrupted = false
          const startedAt = Date.now()
          let closedAt = 0
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* runWorker({
                queue,
                closeTimeoutMs: 300,
                process: (_job, signal) =>
                  Effect.sync(() => {
                    runs += 1
                    signal.addEventListener("abort", () => (signalFired = true))
                  }).pipe(
                    Effect.andThen(Effect.never),
                    Effect.onInterrupt(() => Effect.sync(() => (interrupted = true)))
                  )
              })
              yield* eventually(Effect.sync(() => runs), (n) => n === 1, 10_000, "start")
            })
          )
          closedAt = Date.now()
          expect(signalFired).toBe(true)
          expect(interrupted).toBe(true)
          expect(closedAt - startedAt).toBeLessThan(3000)
          const back = yield* snapshotOf(added.id)
          expect(["delayed", "waiting"]).toContain(back.state)
          expect(back.attemptsMade).toBe(0)
          // Another worker (after a restart) runs it to completion: the attempt it had was not used up.
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* runWorker({ queue, closeTimeoutMs: 1000, process: () => Effect.sync(() => (runs += 1)) })
              yield* eventually(jobState(added.id), (s) => s === "completed", 10_000, "completion")
            })
          )
          expect(runs).toBe(2)
        })
      )
  )

  EffectTest.effect(
    "a job that ignores its signal is abandoned at close, stalls, and is re-run by another worker",
    () =>
      withRedis([queue.name], () =>
        Effect.gen(function* () {
          const producer = yield* Producer
          const added = yield* producer.add(queue, job, { attempts: 1 })
          let runs = 0
          let signalFired = false
          const closing = { startedAt: 0, took: 0 }
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* runWorker({
                queue,
                closeTimeoutMs: 200,
                abandonAfterMs: 200,
                lockDurationMs: 1000,
                // The stalled check of one worker holds off every other's for its interval: keep it short here too.
                stalledIntervalMs: 300,
                process: (_job, signal) =>
                  Effect.sync(() => {
                    runs += 1
                    signal.addEventListener("abort", () => (signalFired = true))
                  }).pipe(Effect.andThen(Effect.uninterruptible(Effect.sleep(4000))))
              })
              yield* eventually(Effect.sync(() => runs), (n) => n === 1, 10_000, "start")
              closing.startedAt = Date.now()
            })
          )
          closing.took = Date.now() - closing.startedAt
          expect(signalFired).toBe(true)
          // closeTimeoutMs + abandonAfterMs, not the 4 s the program would have taken.
          expect(closing.took).toBeLessThan(2000)
          expect(yield* jobState(added.id)).toBe("active")
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* runWorker({
                queue,
                closeTimeoutMs: 1000,
                stalledIntervalMs: 300,
                process: () => Effect.sync(() => (runs += 1))
              })
              yield* eventually(jobState(added.id), (s) => s === "completed", 15_000, "re-run after stall")
            })
          )
          expect(runs).toBe(2)
        })
      ),
    30_000
  )
})
