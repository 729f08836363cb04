/**
 * The smoke check shared by the unit and the integration test: runs some of the benchmarks at smoke size through
 * the runner and the writers into a temporary folder, and checks the records and the markdown they write. It
 * proves the benchmarks run end to end and write sane records, not how fast anything is.
 *
 * @since 0.1.0
 */
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Benchmark } from "../Benchmark.ts"
import type * as Harness from "../Harness.ts"
import * as Report from "../Report.ts"
import * as Runner from "../Runner.ts"

/** The comparisons each benchmark records and the ones among them that carry a goal, in order. */
export interface Expected {
  readonly results: Readonly<Record<string, ReadonlyArray<string>>>
  readonly goals: ReadonlyArray<{ readonly name: string; readonly goal: Harness.Goal }>
}

/** Benchmarks that need no server (the gateway runs on in-memory keys and stores): the unit test's smoke run. */
export const withoutServer: Expected = {
  results: {
    coterminosity: ["coterminosity.report", "coterminosity.importer"],
    gateway: ["gateway.organisation.max", "gateway.organisation.rate1000", "gateway.coterminosity.max", "gateway.coterminosity.rate1000"]
  },
  goals: [
    { name: "coterminosity.report", goal: { kind: "time", atMost: 0.25 } },
    { name: "gateway.organisation.max", goal: { kind: "throughput", atLeast: 0.5 } },
    { name: "gateway.coterminosity.max", goal: { kind: "throughput", atLeast: 0.5 } }
  ]
}

/** Benchmarks that need the loopback PostgreSQL: the integration test's smoke run. */
export const withPostgres: Expected = {
  results: { ingest: ["ingest.small.parse", "ingest.small.copy", "ingest.large.parse", "ingest.large.copy"] },
  // At smoke size the goal is put on the COPY comparison (in full runs, on the slower anchor's).
  goals: [
    { name: "ingest.small.copy", goal: { kind: "throughput", atLeast: 0.5 } },
    { name: "ingest.large.copy", goal: { kind: "throughput", atLeast: 0.5 } }
  ]
}

/** The push benchmark (loopback PostgreSQL and the NHS England returns simulator): the integration test's smoke run. */
export const withPostgresPush: Expected = {
  results: { push: ["push.returns", "push.returns.c4"] },
  goals: [{ name: "push.returns", goal: { kind: "throughput", atLeast: 0.5 } }]
}

/** Benchmarks that need the loopback Redis: the integration test's smoke run. */
export const withRedis: Expected = {
  results: { worker: ["worker.c1", "worker.c10", "worker.c50", "worker.c10.effect-floor"] },
  goals: [
    { name: "worker.c1", goal: { kind: "throughput", atLeast: 0.7 } },
    { name: "worker.c10", goal: { kind: "throughput", atLeast: 0.7 } },
    { name: "worker.c50", goal: { kind: "throughput", atLeast: 0.7 } }
  ]
}

const command = "npm run bench -w @hub/bench -- --smoke"

const positive = (value: unknown): void => {
  expect(typeof value).toBe("number")
  expect(Number.isFinite(value)).toBe(true)
  expect(value as number).toBeGreaterThan(0)
}

const expectSaneSide = (side: Harness.SideFigures, rounds: number): void => {
  expect(side.label.length).toBeGreaterThan(0)
  expect(side.samplesMs).toHaveLength(rounds)
  for (const sample of side.samplesMs) positive(sample)
  positive(side.medianMs)
  expect(side.cpuMedianMs).toBeGreaterThanOrEqual(0)
  expect(side.minMs).toBeLessThanOrEqual(side.medianMs)
  expect(side.maxMs).toBeGreaterThanOrEqual(side.medianMs)
  positive(side.peakRssMb)
  positive(side.peakHeapUsedMb)
  expect(Number.isFinite(side.heapGrowthMb)).toBe(true)
}

/**
 * Declares the smoke tests of `expected`'s benchmarks, taken from `benchmarks` by name.
 *
 * @since 0.1.0
 */
export const describeSmokeRun = (title: string, benchmarks: ReadonlyArray<Benchmark>, expected: Expected): void => {
  describe(title, () => {
    let dir = ""
    let written: Report.ResultsFile
    let markdown = ""

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "hub-bench-smoke-"))
      const jsonFile = path.join(dir, "benchmarks.json")
      const markdownFile = path.join(dir, "benchmarks.md")
      await Runner.run({
        benchmarks,
        mode: "smoke",
        only: Object.keys(expected.results),
        jsonFile,
        markdownFile,
        command,
        log: () => undefined
      })
      written = JSON.parse(await readFile(jsonFile, "utf8")) as Report.ResultsFile
      markdown = await readFile(markdownFile, "utf8")
    }, 300_000)

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it("writes one entry per benchmark, with its date, machine and the command to reproduce it", () => {
      expect(written.generatedBy).toBe("@hub/bench")
      expect(Object.keys(written.benchmarks).sort()).toEqual(Object.keys(expected.results).sort())
      for (const entry of Object.values(written.benchmarks)) {
        expect(entry.mode).toBe("smoke")
        expect(Number.isNaN(Date.parse(entry.date))).toBe(false)
        expect(entry.command).toBe(command)
        expect(entry.machine.cpuModel.length).toBeGreaterThan(0)
        positive(entry.machine.cores)
        positive(entry.machine.memoryGb)
        expect(entry.machine.node).toMatch(/^v\d+\.\d+\.\d+$/u)
      }
    })

    it("records every comparison with medians, ratios, throughput and memory as positive numbers", () => {
      for (const [benchmark, names] of Object.entries(expected.results)) {
        const results = written.benchmarks[benchmark]?.results ?? []
        expect(results.map((r) => r.name)).toEqual(names)
        for (const result of results) {
          expect(result.rounds).toBeGreaterThanOrEqual(1)
          expect(result.rounds).toBeLessThanOrEqual(2)
          expectSaneSide(result.ours, result.rounds)
          expectSaneSide(result.anchor, result.rounds)
          positive(result.timeRatio)
          expect(result.timeRatio).toBeCloseTo(result.ours.medianMs / result.anchor.medianMs, 10)
          positive(result.pairedTimeRatio.median)
          positive(result.cpuRatio)
          positive(result.work?.count)
          positive(result.ours.perSecond)
          positive(result.anchor.perSecond)
          positive(result.throughputRatio)
        }
      }
    })

    it("records the goals, without enforcing them at smoke size", () => {
      const goals = Object.values(written.benchmarks).flatMap((entry) =>
        entry.results.flatMap((r) => (r.goal === undefined ? [] : [{ name: r.name, goal: r.goal }]))
      )
      expect(goals.map((g) => g.name)).toEqual(expected.goals.map((g) => g.name))
      expected.goals.forEach((wanted, i) => {
        const goal = goals[i]?.goal
        expect(goal?.status).toBe("not-enforced")
        positive(goal?.measured)
        expect(goal).toMatchObject(wanted.goal)
      })
    })

    it("writes the markdown section with a row for every comparison", () => {
      expect(markdown).toContain(Report.markers.start)
      expect(markdown).toContain(Report.markers.end)
      for (const name of Object.values(expected.results).flat()) expect(markdown).toContain(`| \`${name}\` |`)
    })
  })
}
