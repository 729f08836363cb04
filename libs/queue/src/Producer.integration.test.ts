import { createServer } from "node:net"
import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { EffectTest } from "@hub/testing"
import { BullQueues } from "./BullQueues.ts"
import * as JobQueue from "./JobQueue.ts"
import { runWorker } from "./JobWorker.ts"
import { Producer } from "./Producer.ts"
import { QueueConnection } from "./QueueConnection.ts"
import * as QueueStats from "./QueueStats.ts"
import { QueueUnavailable } from "./QueueUnavailable.ts"
import { eventually, freshPrefix, TestFailure, withRedis } from "./test-support/RedisTest.ts"

const pull = JobQueue.pull("council-finance")
const push = JobQueue.push("council-finance")

/** A loopback port where nothing listens: bound by the OS, then released. */
const deadPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

describe("Producer", () => {
  it("fails fast with QueueUnavailable when nothing listens on the Redis port", async () => {
    const port = await deadPort()
    const layer = Producer.layer().pipe(
      Layer.provideMerge(BullQueues.layer),
      Layer.provide(QueueConnection.layer({ url: `redis://127.0.0.1:${port}`, prefix: freshPrefix() }))
    )
    const program = Effect.gen(function* () {
      const producer = yield* Producer
      const started = Date.now()
      const added = yield* Effect.exit(
        producer.add(pull, { plugin: "council-finance", stream: "spend", reason: "request" })
      )
      const counted = yield* Effect.exit(producer.counts(pull))
      return { added, counted, took: Date.now() - started }
    }).pipe(Effect.provide(layer))
    const started = Date.now()
    const { added, counted, took } = await Effect.runPromise(program)
    expect(Date.now() - started).toBeLessThan(2500)
    expect(took).toBeLessThan(1000)
    for (const exit of [added, counted] as ReadonlyArray<Exit.Exit<unknown, unknown>>) {
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const error = exit.cause.reasons[0]
        expect(error?._tag).toBe("Fail")
        if (error?._tag === "Fail") {
          expect(error.error).toBeInstanceOf(QueueUnavailable)
          expect((error.error as QueueUnavailable).queue).toBe(pull.name)
        }
      }
    }
  })

  EffectTest.effect("a job is stored encoded and read back with its state, attempts and options", () =>
    withRedis([push.name], () =>
      Effect.gen(function* () {
        const producer = yield* Producer
        const added = yield* producer.add(push, { outboxId: "outbox-42" }, { delayMs: 60_000, attempts: 7 })
        const snapshot = Option.getOrThrow(yield* producer.getJob(push, added.id))
        expect(snapshot).toMatchObject({ queue: push.name, name: "push", state: "delayed", data: { outboxId: "outbox-42" } })
        const queues = yield* BullQueues
        const raw = yield* Effect.promise(() => queues.get(push.name).getJob(added.id))
        expect(raw?.opts.attempts).toBe(7)
        expect(raw?.opts.backoff).toEqual({ type: "hub.exponential", delay: 1000 })
        expect(Option.isNone(yield* producer.getJob(push, "no-such-job"))).toBe(true)
      })
    ))

  EffectTest.effect("a job id BullMQ would refuse is an InvalidJob naming the rule", () =>
    withRedis([push.name], () =>
      Effect.gen(function* () {
        const producer = yield* Producer
        const colon = yield* Effect.flip(producer.add(push, { outboxId: "x" }, { jobId: "push:1" }))
        expect(colon._tag).toBe("InvalidJob")
        expect(colon.message).toMatch(/must not contain ':'/)
        const integer = yield* Effect.flip(producer.add(push, { outboxId: "x" }, { jobId: "42" }))
        expect(integer.message).toMatch(/must not be an integer/)
        const badPayload = yield* Effect.flip(producer.add(push, { outboxId: "" }))
        expect(badPayload._tag).toBe("InvalidJob")
        expect(badPayload.message).toMatch(/outboxId/)
        expect((yield* producer.counts(push)).waiting).toBe(0)
      })
    ))
})

describe("QueueStats", () => {
  EffectTest.effect("a snapshot counts each queue's jobs by state and failedJobs lists reasons", () =>
    withRedis([pull.name, push.name], () =>
      Effect.scoped(
        Effect.gen(function* () {
          const producer = yield* Producer
          yield* producer.add(push, { outboxId: "later" }, { delayMs: 60_000 })
          yield* producer.add(push, { outboxId: "now" })
          const bad = yield* producer.add(pull, { plugin: "council-finance", stream: "spend", reason: "request" })
          yield* runWorker({
            queue: pull,
            closeTimeoutMs: 1000,
            process: () => Effect.fail(new TestFailure({ retryable: false, detail: "unauthorised" }))
          })
          yield* eventually(
            producer.getJob(pull, bad.id).pipe(Effect.map((s) => Option.getOrThrow(s).state)),
            (s) => s === "failed",
            10_000,
            "failure"
          )
          const snapshot = yield* QueueStats.snapshot([pull, push.name])
          expect(snapshot).toEqual([
            { queue: pull.name, waiting: 0, prioritized: 0, active: 0, delayed: 0, failed: 1, completed: 0 },
            { queue: push.name, waiting: 1, prioritized: 0, active: 0, delayed: 1, failed: 0, completed: 0 }
          ])
          const failed = yield* QueueStats.failedJobs(pull, 10)
          expect(failed.map((job) => [job.id, job.failedReason])).toEqual([[bad.id, "TestFailure: unauthorised"]])
        })
      )
    ))
})
