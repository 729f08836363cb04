import { Ingest, PluginRegistry, Status } from "@hub/hub"
import { JobQueue, Producer } from "@hub/queue"
import { EffectTest } from "@hub/testing"
import { Effect, Layer, Option, Redacted, Schedule } from "effect"
import { describe, expect } from "vitest"
import * as PluginCatalog from "./PluginCatalog.ts"
import * as Simulators from "./Simulators.ts"
import * as TestHub from "./test-support/TestHub.ts"
import * as Workers from "./Workers.ts"

describe("the status ops read (PostgreSQL, Redis)", () => {
  const hub = EffectTest.layer(
    Layer.unwrap(Effect.gen(function*() {
      const simulators = yield* Simulators.start({ financialYear: "2013/14" })
      // The council finance system is configured with a token it does not know: its pulls fail for good.
      const registrations = simulators.plugins.map((p) =>
        PluginCatalog.register(
          p.entry,
          p.entry.id === "council-finance" ? { ...p.settings, apiToken: Redacted.make("not-a-known-token") } : p.settings,
          { allowLoopback: true }
        )
      )
      return Layer.mergeAll(TestHub.postgres.layer(), PluginRegistry.PluginRegistry.layer(registrations), TestHub.queueLayer())
    }))
  )

  hub.effect("shows rows and last sync per stream, failed jobs with their reasons, and queue counts", () =>
    Effect.gen(function*() {
      yield* Workers.start({ concurrency: 1, closeTimeoutMs: 2000 })
      yield* Ingest.runToEnd({ plugin: "nhs-england-returns", stream: "allocations" })
      const producer = yield* Producer.Producer
      const queue = JobQueue.pull("council-finance")
      const added = yield* producer.add(queue, { plugin: "council-finance", stream: "spend", reason: "request" }, { jobId: "status-test" })
      const job = yield* producer.getJob(queue, added.id).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.repeat({ until: (j) => j?.state === "failed" || j?.state === "completed", schedule: Schedule.spaced("100 millis") }),
        Effect.timeout("30 seconds")
      )
      expect(job?.state).toBe("failed")
      const status = yield* Status.snapshot()
      const allocations = status.streams.find((s) => s.stream === "allocations")
      expect(allocations?.rowsStored).toBeGreaterThan(0)
      expect(allocations?.lastSyncAt).toMatch(/^\d{4}-\d{2}-\d{2}T/u)
      expect(status.streams.find((s) => s.plugin === "council-finance" && s.stream === "spend")).toMatchObject({ rowsStored: 0, cursor: null })
      expect(status.streams.find((s) => s.plugin === "council-finance" && s.stream === "spend")?.lastSyncAt).toBeUndefined()
      const pull = status.queues.find((q) => q.queue === queue.name)
      expect(pull?.counts?.failed).toBe(1)
      expect(pull?.failedJobs[0]).toMatchObject({ id: "status-test", attempts: 1 })
      expect(pull?.failedJobs[0]?.reason).toMatch(/^Unauthorized: /u)
      expect(status.outbox.map((o) => o.plugin)).toEqual(["council-finance", "london-cbs", "nhs-england-returns"])
    }))
})
