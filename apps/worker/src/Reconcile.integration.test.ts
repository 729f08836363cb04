import { FinancialReturnPreparation, Ingest } from "@hub/hub"
import { JobQueue, Producer, Schedules } from "@hub/queue"
import { OutboxRepo } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { ConfigProvider, Effect, Layer, Option, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { Redis } from "ioredis"
import { describe, expect } from "vitest"
import * as Reconcile from "./Reconcile.ts"
import * as Simulators from "./Simulators.ts"
import * as TestHub from "./test-support/TestHub.ts"
import * as WorkerConfig from "./WorkerConfig.ts"

const year = "2015/16"
const returnsPlugin = "nhs-england-returns"
const checkEveryMs = 100
const schedulesText = "nhs-england-returns/allocations=1 hour;london-cbs/activity=30 minutes"

/** The worker configuration the watch and the reconciliation read, from an environment of its own. */
const configFor = (prefix: string) =>
  WorkerConfig.config.parse(
    ConfigProvider.fromEnv({ env: { REDIS_URL: TestHub.testRedisUrl(), HUB_QUEUE_PREFIX: prefix, HUB_SCHEDULES: schedulesText } })
  ).pipe(Effect.orDie)

/** Runs `f` with a plain Redis client on the test Redis (the test's own view of the keys, not the hub's). */
const withRedis = <A>(f: (client: Redis) => Promise<A>): Effect.Effect<A> =>
  Effect.promise(async () => {
    const client = new Redis(TestHub.testRedisUrl(), { maxRetriesPerRequest: 1 })
    try {
      return await f(client)
    } finally {
      client.disconnect()
    }
  })

/** Every key under the prefix. */
const keysUnder = (prefix: string): Effect.Effect<ReadonlyArray<string>> =>
  withRedis(async (client) => {
    const keys: Array<string> = []
    let cursor = "0"
    do {
      const [next, found] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000)
      cursor = next
      keys.push(...found)
    } while (cursor !== "0")
    return keys
  })

const marker = (prefix: string) => withRedis((client) => client.get(Reconcile.markerKey(prefix)))

const jobCounts = (queue: JobQueue.QueueRef) =>
  Producer.Producer.use((p) => p.counts(queue)).pipe(Effect.map((c) => c.waiting + c.prioritized + c.active + c.delayed + c.completed + c.failed))

/**
 * What the store knows before Redis loses it: the allocations stream pulled to its end (a cursor), a cursor of a
 * plugin no longer registered, and three outbox entries: one `prepared`, one `sent`, one `failed`.
 */
const seedStore = Effect.gen(function*() {
  yield* Ingest.runToEnd({ plugin: returnsPlugin, stream: "allocations" })
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO stream_cursors (plugin, stream, cursor) VALUES ('retired-plugin', 'things', '42')`
  const entries = yield* Effect.forEach([1, 2, 3], (month) =>
    FinancialReturnPreparation.prepare({ plugin: returnsPlugin, commissioner: "08Q", financialYear: year, month, sources: { allocations: returnsPlugin, activity: "london-cbs" } }).pipe(
      Effect.map((p) => p.entry)
    ))
  const outbox = yield* OutboxRepo.OutboxRepo
  const [prepared, sent, failed] = [entries[0]!, entries[1]!, entries[2]!]
  yield* outbox.markSent(sent.idempotencyKey, { receipt: { submissionId: "seeded" } })
  yield* outbox.markFailed(failed.idempotencyKey, { reasons: ["seeded failure"] })
  return { prepared, sent, failed }
})

/** A hub on the test Redis under a fresh prefix (every key removed afterwards) and a fresh PostgreSQL schema. */
const hubLayer = (prefix: string) =>
  Layer.unwrap(Effect.gen(function*() {
    const simulators = yield* Simulators.start({ financialYear: year })
    return Layer.mergeAll(TestHub.postgres.layer(), TestHub.registryLayer(simulators), TestHub.queueLayer(prefix))
  }))

/** Starts the watch, checking every {@link checkEveryMs}, for the life of the test's scope. */
const startWatch = (prefix: string) =>
  configFor(prefix).pipe(
    Effect.flatMap(Reconcile.watch),
    Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { HUB_RECONCILE_INTERVAL_MS: String(checkEveryMs) } })))
  )

const waitFor = <A, E, R>(read: Effect.Effect<A, E, R>, until: (a: A) => boolean) =>
  read.pipe(Effect.repeat({ until, schedule: Schedule.spaced("50 millis") }), Effect.timeout("20 seconds"))

describe("Reconcile: the Redis data-loss marker (PostgreSQL, Redis)", () => {
  EffectTest.effect("while the marker is there, nothing is reconciled", () => {
    const prefix = `{${TestHub.freshName("hubreconcile")}}`
    // Scoped inside the layer: the watch stops before the layer removes the prefix's keys.
    return Effect.scoped(Effect.gen(function*() {
      yield* seedStore
      yield* withRedis((client) => client.set(Reconcile.markerKey(prefix), "before"))
      const before = yield* keysUnder(prefix)
      yield* startWatch(prefix)
      // Many checks: none may find the marker gone.
      yield* Effect.sleep(checkEveryMs * 15)
      expect(yield* marker(prefix), "the marker is left as it was").toBe("before")
      expect([...(yield* keysUnder(prefix))].sort(), "no job, scheduler or queue key was added").toEqual([...before].sort())
      expect(yield* Schedules.Schedules.use((s) => s.list(returnsPlugin))).toHaveLength(0)
    })).pipe(Effect.provide(hubLayer(prefix)))
  }, 120_000)

  EffectTest.effect("when the prefix's keys are flushed, one reconciliation re-creates schedules, recovery pulls and open pushes, and sets the marker", () => {
    const prefix = `{${TestHub.freshName("hubreconcile")}}`
    // Scoped inside the layer: the watch stops before the layer removes the prefix's keys.
    return Effect.scoped(Effect.gen(function*() {
      const { failed, prepared, sent } = yield* seedStore
      yield* startWatch(prefix)
      const first = yield* waitFor(marker(prefix), (m) => m !== null)
      expect(first, "the watch marks the Redis it starts on").not.toBeNull()
      expect(yield* Schedules.Schedules.use((s) => s.list(returnsPlugin)), "no reconciliation at start").toHaveLength(0)

      // Redis loses the hub's data: every key under this test's prefix, and nothing else on the shared Redis.
      yield* TestHub.removeKeys(prefix)
      expect(yield* keysUnder(prefix)).toHaveLength(0)
      const epoch = yield* waitFor(marker(prefix), (m) => m !== null)
      expect(epoch, "a new marker, for the reconciliation's epoch").not.toBe(first)
      // Let several more checks pass: the marker is back, so none may reconcile again.
      yield* Effect.sleep(checkEveryMs * 15)
      expect(yield* marker(prefix)).toBe(epoch)

      // The schedules of the configuration are back.
      const schedulers = yield* Schedules.Schedules.use((s) => Effect.all([s.list(returnsPlugin), s.list("london-cbs")]))
      expect(schedulers.map((list) => list.map((s) => s.everyMs))).toEqual([[3_600_000], [1_800_000]])

      // One recovery pull for the stream with a cursor (none for the retired plugin's), named after the epoch.
      const producer = yield* Producer.Producer
      const pullQueue = JobQueue.pull(returnsPlugin)
      const recovery = yield* producer.getJob(pullQueue, `recovery.allocations.${epoch}`).pipe(Effect.map(Option.getOrUndefined))
      expect(recovery?.data).toEqual({ plugin: returnsPlugin, stream: "allocations", reason: "recovery" })
      // (The queue also holds the re-created scheduler's next job, so the recovery jobs are counted by their keys.)
      const jobKeys = `${prefix}:${pullQueue.name}:`
      const recoveryJobs = (yield* keysUnder(prefix)).filter((k) => k.startsWith(`${jobKeys}recovery.`) && !k.slice(jobKeys.length).includes(":"))
      expect(recoveryJobs, "exactly one recovery pull: one reconciliation").toEqual([`${jobKeys}recovery.allocations.${epoch}`])
      expect(yield* jobCounts(JobQueue.pull("retired-plugin"))).toBe(0)

      // The pushes of the entries not yet terminal (prepared, sent), and not of the failed one.
      const pushQueue = JobQueue.push(returnsPlugin)
      const pushJob = (key: string) => producer.getJob(pushQueue, `push.${key.replaceAll(":", ".")}`).pipe(Effect.map(Option.getOrUndefined))
      expect((yield* pushJob(prepared.idempotencyKey))?.data).toEqual({ outboxId: prepared.idempotencyKey })
      expect((yield* pushJob(sent.idempotencyKey))?.data).toEqual({ outboxId: sent.idempotencyKey })
      expect(yield* pushJob(failed.idempotencyKey), "a failed entry is terminal").toBeUndefined()
      expect(yield* jobCounts(pushQueue), "exactly two push jobs").toBe(2)
    })).pipe(Effect.provide(hubLayer(prefix)))
  }, 120_000)
})
