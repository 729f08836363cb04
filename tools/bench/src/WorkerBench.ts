/**
 * The hub's worker path (`QueueLayer.layer`, `Producer.add`, `JobWorker.runWorker` from @hub/queue) against a raw
 * BullMQ `Worker`, both draining the same number of no-op jobs from the same Redis at the same concurrency. The
 * goal: the hub's worker keeps at least 0.7 of the raw worker's jobs per second.
 *
 * @since 0.1.0
 */
import { JobQueue, JobWorker, Producer, PushJob, QueueLayer } from "@hub/queue"
import { type Processor, Queue, Worker } from "bullmq"
import { Effect, Exit, ManagedRuntime, Scope } from "effect"
import { Redis } from "ioredis"
import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import type { Benchmark, Settings } from "./Benchmark.ts"
import * as Harness from "./Harness.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Config {
  /** The Redis both sides use (the caller reads REDIS_URL; loopback only). */
  readonly redisUrl: string
  /** Worker concurrencies to compare at (default 1, 10, 50). */
  readonly concurrencies?: ReadonlyArray<number> | undefined
  /** Jobs drained per measurement in a full run (default 4000). */
  readonly jobs?: number | undefined
}

/**
 * The goal: the hub's worker does at least this share of the raw worker's jobs per second.
 *
 * @category constants
 * @since 0.1.0
 */
export const throughputGoal: Harness.Goal = { kind: "throughput", atLeast: 0.7 }

/**
 * A key prefix no other run uses, a Redis Cluster hash tag like the hub's default `{hub}`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const freshPrefix = (): string => `{bench-${randomUUID().slice(0, 8)}}`

/** Counts processed jobs and resolves once `total` were processed. */
const makeCounter = (total: number) => {
  let count = 0
  let resolve: () => void = () => undefined
  const reached = new Promise<void>((done) => {
    resolve = done
  })
  return {
    reached,
    hit: (): void => {
      count += 1
      if (count === total) resolve()
    },
    count: () => count
  }
}

type Counter = ReturnType<typeof makeCounter>

/**
 * Waits until every job was processed and the queue holds none waiting or active (the last jobs' completion is
 * written after their processor returns). Fails after `timeoutMs` naming the queue and what is left.
 */
const drained = async (queue: Queue, counter: Counter, total: number, timeoutMs: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`queue ${queue.name}: ${counter.count()} of ${total} jobs processed after ${timeoutMs} ms`)),
      timeoutMs
    )
  })
  try {
    await Promise.race([counter.reached, timeout])
    for (;;) {
      const counts = await Promise.race([queue.getJobCounts("wait", "active"), timeout])
      if ((counts["wait"] ?? 0) === 0 && (counts["active"] ?? 0) === 0) return
      await sleep(1)
    }
  } finally {
    clearTimeout(timer)
  }
}

const removeKeys = async (client: Redis, prefix: string): Promise<void> => {
  let cursor = "0"
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== "0")
}

/**
 * The worker benchmark: `worker.c<N>` for each concurrency, our worker path against a raw BullMQ worker (goal
 * 0.7 of its jobs/s); and `worker.c10.effect-floor`, a diagnostic without goal: a raw worker whose processor takes
 * the abort signal and runs one Effect per job, against the same raw no-op worker.
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchmark = (config: Config): Benchmark => ({
  name: "worker",
  description:
    "No-op jobs drained by the hub's JobWorker.runWorker (jobs added with Producer.add over QueueLayer.layer) vs a raw BullMQ Worker with a no-op processor (jobs added with Queue.addBulk, same job options), same Redis, concurrency 1, 10 and 50; plus a diagnostic floor: a raw worker running one Effect per job with the abort signal.",
  run: async (settings: Settings) => {
    const smoke = settings.mode === "smoke"
    const jobs = smoke ? 20 : (config.jobs ?? 4000)
    const concurrencies = config.concurrencies ?? [1, 10, 50]
    const prefix = freshPrefix()
    const runtime = ManagedRuntime.make(QueueLayer.layer({ url: config.redisUrl, prefix }))
    // The raw side gets clients configured like the hub's: a patient one for the worker, one for adding jobs.
    const admin = new Redis(config.redisUrl, { maxRetriesPerRequest: null })
    const rawWorkerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null })
    const queues: Array<Queue> = []
    const openQueue = (name: string): Queue => {
      const queue = new Queue(name, { connection: admin, prefix })
      queues.push(queue)
      return queue
    }
    try {
      const producer = await runtime.runPromise(Producer.Producer)
      const timeoutMs = Math.max(60_000, jobs * 20)
      const results: Array<Harness.Result> = []
      const payload = (i: number): PushJob.PushJob => ({ outboxId: `bench-${i}` })
      /** A raw BullMQ worker side over `queue`: the same jobs and job options as the hub's producer adds, in bulk. */
      const rawWorkerSide = (
        label: string,
        queue: Queue,
        processor: (counter: Counter) => Processor,
        concurrency: number
      ): Harness.Side<{ readonly counter: Counter; worker?: Worker }> => ({
        label,
        prepare: async () => {
          const options = Producer.jobOptions(producer.defaults)
          for (let start = 0; start < jobs; start += 1000) {
            const end = Math.min(jobs, start + 1000)
            await queue.addBulk(Array.from({ length: end - start }, (_, k) => ({ name: "push", data: payload(start + k), opts: options })))
          }
          return { counter: makeCounter(jobs) }
        },
        measure: async (context) => {
          context.worker = new Worker(queue.name, processor(context.counter), { connection: rawWorkerConnection, prefix, concurrency })
          context.worker.on("error", (error) => settings.log(`raw worker error: ${error.message}`))
          await drained(queue, context.counter, jobs, timeoutMs)
        },
        cleanup: async ({ worker }) => {
          await worker?.close()
        }
      })
      for (const concurrency of concurrencies) {
        const ours = JobQueue.make(`bench.worker.c${concurrency}.ours`, "push", PushJob.PushJob)
        const oursQueue = openQueue(ours.name)
        const rawQueue = openQueue(`bench.worker.c${concurrency}.raw`)
        const oursSide: Harness.Side<{ readonly counter: Counter; readonly scope: Scope.Closeable }> = {
          label: "JobWorker.runWorker (hub)",
          prepare: async () => {
            await runtime.runPromise(
              Effect.forEach(Array.from({ length: jobs }, (_, i) => i), (i) => producer.add(ours, payload(i)), {
                concurrency: 50,
                discard: true
              })
            )
            return { counter: makeCounter(jobs), scope: await runtime.runPromise(Scope.make()) }
          },
          measure: async ({ counter, scope }) => {
            await runtime.runPromise(
              JobWorker.runWorker({
                queue: ours,
                concurrency,
                closeTimeoutMs: 5000,
                process: () => Effect.sync(counter.hit)
              }).pipe(Scope.provide(scope))
            )
            await drained(oursQueue, counter, jobs, timeoutMs)
          },
          cleanup: ({ scope }) => runtime.runPromise(Scope.close(scope, Exit.void))
        }
        const rawSide = rawWorkerSide(
          "raw BullMQ Worker, no-op processor",
          rawQueue,
          (counter) => async () => {
            counter.hit()
          },
          concurrency
        )
        results.push(
          await Harness.compare({
            name: `worker.c${concurrency}`,
            description: `${jobs} no-op jobs drained at concurrency ${concurrency}: hub JobWorker vs raw BullMQ Worker`,
            ours: oursSide,
            anchor: rawSide,
            rounds: smoke ? 1 : 5,
            warmup: smoke ? 0 : 1,
            work: { count: jobs, unit: "jobs" },
            goal: throughputGoal,
            enforceGoal: !smoke,
            params: { jobs, concurrency, smoke },
            log: settings.log
          })
        )
      }
      // Diagnostic, no goal: the least any Effect-based worker with cancellation pays per job (BullMQ hands a
      // 3-parameter processor an AbortSignal, and the job runs as one Effect), against the same raw worker. What the
      // hub's worker costs beyond this floor is its own per-job machinery.
      const floorConcurrency = concurrencies.includes(10) ? 10 : (concurrencies[0] ?? 1)
      results.push(
        await Harness.compare({
          name: `worker.c${floorConcurrency}.effect-floor`,
          description: `${jobs} no-op jobs drained at concurrency ${floorConcurrency}: a raw BullMQ Worker whose processor takes the abort signal and runs one Effect per job vs the no-op raw worker (diagnostic)`,
          ours: rawWorkerSide(
            "raw BullMQ Worker, processor (job, token, signal) => Effect.runPromise(Effect.sync(...))",
            openQueue(`bench.worker.c${floorConcurrency}.floor`),
            (counter) => (_job, _token, _signal) => Effect.runPromise(Effect.sync(counter.hit)),
            floorConcurrency
          ),
          anchor: rawWorkerSide(
            "raw BullMQ Worker, no-op processor",
            openQueue(`bench.worker.c${floorConcurrency}.floor-raw`),
            (counter) => async () => {
              counter.hit()
            },
            floorConcurrency
          ),
          rounds: smoke ? 1 : 5,
          warmup: smoke ? 0 : 1,
          work: { count: jobs, unit: "jobs" },
          params: { jobs, concurrency: floorConcurrency, smoke },
          log: settings.log
        })
      )
      return results
    } finally {
      for (const queue of queues) {
        await queue.obliterate({ force: true }).catch(() => undefined)
        await queue.close().catch(() => undefined)
      }
      await removeKeys(admin, prefix).catch((error: unknown) => settings.log(`could not remove keys under ${prefix}: ${String(error)}`))
      await runtime.dispose()
      admin.disconnect()
      rawWorkerConnection.disconnect()
    }
  }
})
