import { Effect } from "effect"
import { describe, expect } from "vitest"
import { EffectTest } from "@hub/testing"
import { BullQueues } from "./BullQueues.ts"
import * as JobQueue from "./JobQueue.ts"
import { Producer } from "./Producer.ts"
import { Schedules } from "./Schedules.ts"
import { withRedis } from "./test-support/RedisTest.ts"

const cbs = JobQueue.pull("london-cbs")
const council = JobQueue.pull("council-finance")

const jobsOf = (name: string) =>
  Effect.gen(function* () {
    const queues = yield* BullQueues
    const jobs = yield* Effect.promise(() => queues.get(name).getJobs(["delayed", "waiting", "prioritized"]))
    return jobs.map((job) => ({ id: job.id, data: job.data as unknown })).sort((a, b) => String(a.id).localeCompare(String(b.id)))
  })

describe("Schedules.sync", () => {
  EffectTest.effect("configured schedules become job schedulers once; a second sync changes nothing", () =>
    withRedis([cbs.name, council.name], () =>
      Effect.gen(function* () {
        const schedules = yield* Schedules
        const config = {
          plugins: ["london-cbs", "council-finance"],
          schedules: [
            { plugin: "london-cbs", stream: "spend", every: "15 minutes" },
            { plugin: "london-cbs", stream: "budgets", every: "0 6 * * 1-5", tz: "Europe/London" }
          ]
        }
        const first = yield* schedules.sync(config)
        expect([...first.upserted].sort()).toEqual([`${cbs.name}/schedule.budgets`, `${cbs.name}/schedule.spend`])
        const listed = yield* schedules.list("london-cbs")
        expect(listed.map((s) => [s.id, s.everyMs, s.pattern]).sort()).toEqual([
          ["schedule.budgets", undefined, "0 6 * * 1-5"],
          ["schedule.spend", 900_000, undefined]
        ])
        const jobsBefore = yield* jobsOf(cbs.name)
        expect(jobsBefore.map((job) => job.data)).toContainEqual({ plugin: "london-cbs", stream: "spend", reason: "schedule" })
        expect(jobsBefore.map((job) => job.data)).toContainEqual({ plugin: "london-cbs", stream: "budgets", reason: "schedule" })

        // A restart syncs the same configuration again: nothing is upserted, no job is added, timing is kept.
        const second = yield* schedules.sync(config)
        expect(second.upserted).toEqual([])
        expect([...second.unchanged].sort()).toEqual([`${cbs.name}/schedule.budgets`, `${cbs.name}/schedule.spend`])
        expect(yield* jobsOf(cbs.name)).toEqual(jobsBefore)
        expect(yield* schedules.list("london-cbs")).toEqual(listed)
        expect(yield* schedules.list("council-finance")).toEqual([])
      })
    ))

  EffectTest.effect("a changed schedule is updated and one no longer configured is removed", () =>
    withRedis([cbs.name, council.name], () =>
      Effect.gen(function* () {
        const schedules = yield* Schedules
        yield* schedules.sync({
          plugins: ["london-cbs", "council-finance"],
          schedules: [
            { plugin: "london-cbs", stream: "spend", every: "15 minutes" },
            { plugin: "council-finance", stream: "payments", every: "1 hour" }
          ]
        })
        const queues = yield* BullQueues
        // A scheduler someone else made on the same queue is not the hub's to remove.
        yield* Effect.promise(() => queues.get(cbs.name).upsertJobScheduler("ops-adhoc", { every: 3_600_000 }))
        const report = yield* schedules.sync({
          plugins: ["london-cbs", "council-finance"],
          schedules: [{ plugin: "london-cbs", stream: "spend", every: "30 minutes" }]
        })
        expect(report.upserted).toEqual([`${cbs.name}/schedule.spend`])
        expect(report.removed).toEqual([`${council.name}/schedule.payments`])
        expect((yield* schedules.list("london-cbs")).map((s) => [s.id, s.everyMs])).toEqual([["schedule.spend", 1_800_000]])
        expect(yield* schedules.list("council-finance")).toEqual([])
        const all = yield* Effect.promise(() => queues.get(cbs.name).getJobSchedulers(0, -1))
        expect(all.map((s) => s.id ?? s.key).sort()).toEqual(["ops-adhoc", "schedule.spend"])
        // The job defaults of the producer are the scheduled jobs' options.
        const producer = yield* Producer
        const scheduler = yield* Effect.promise(() => queues.get(cbs.name).getJobScheduler("schedule.spend"))
        expect(scheduler?.template?.opts?.attempts).toBe(producer.defaults.attempts)
      })
    ))

  EffectTest.effect("invalid schedules are refused all at once, each named by position and field", () =>
    withRedis([cbs.name], () =>
      Effect.gen(function* () {
        const schedules = yield* Schedules
        const error = yield* Effect.flip(
          schedules.sync({
            plugins: [],
            schedules: [
              { plugin: "london-cbs", stream: "spend", every: "soon" },
              { plugin: "london-cbs", stream: "budgets", every: "500 millis" },
              { plugin: "london-cbs", stream: "spend", every: "1 hour" }
            ]
          })
        )
        expect(error._tag).toBe("InvalidSchedule")
        if (error._tag === "InvalidSchedule") {
          expect(error.problems).toHaveLength(3)
          expect(error.problems[0]).toMatch(/^schedules\[0\] \(london-cbs\/spend\)\.every: "soon" is neither a duration/)
          expect(error.problems[1]).toMatch(/^schedules\[1\] \(london-cbs\/budgets\)\.every: "500 millis" is shorter than one second/)
          expect(error.problems[2]).toMatch(/^schedules\[2\] \(london-cbs\/spend\): the stream is already scheduled by schedules\[0\]/)
        }
        expect(yield* schedules.list("london-cbs")).toEqual([])
      })
    ))
})
