import * as fc from "fast-check"
import { setTimeout as sleep } from "node:timers/promises"
import { describe, expect, it } from "vitest"
import * as Harness from "./Harness.ts"

describe("median", () => {
  it("is the middle value of an odd list and the mean of the middle two of an even one", () => {
    expect(Harness.median([5, 1, 3])).toBe(3)
    expect(Harness.median([4, 1, 3, 2])).toBe(2.5)
  })

  it("lies between the smallest and largest value and ignores order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (values) => {
        const m = Harness.median(values)
        expect(m).toBeGreaterThanOrEqual(Math.min(...values))
        expect(m).toBeLessThanOrEqual(Math.max(...values))
        expect(Harness.median([...values].reverse())).toBe(m)
      })
    )
  })

  it("refuses an empty list", () => {
    expect(() => Harness.median([])).toThrow("median of no values")
  })
})

describe("judge", () => {
  it("passes a time goal at or under its bound and misses above it", () => {
    const goal: Harness.Goal = { kind: "time", atMost: 0.25 }
    expect(Harness.judge(goal, { time: 0.25 }, true).status).toBe("pass")
    expect(Harness.judge(goal, { time: 0.2501 }, true).status).toBe("miss")
  })

  it("passes a throughput goal at or over its bound and misses under it", () => {
    const goal: Harness.Goal = { kind: "throughput", atLeast: 0.7 }
    expect(Harness.judge(goal, { time: 1, throughput: 0.7 }, true)).toMatchObject({ status: "pass", measured: 0.7 })
    expect(Harness.judge(goal, { time: 1, throughput: 0.69 }, true).status).toBe("miss")
  })

  it("records a goal as not enforced in smoke runs, even when it would be missed", () => {
    expect(Harness.judge({ kind: "time", atMost: 0.1 }, { time: 5 }, false).status).toBe("not-enforced")
  })

  it("refuses a throughput goal without work to count", () => {
    expect(() => Harness.judge({ kind: "throughput", atLeast: 0.7 }, { time: 1 }, true)).toThrow("needs the comparison's work")
  })
})

describe("compare", () => {
  it("alternates which side runs first, round by round, warm-up included", async () => {
    const order: Array<string> = []
    await Harness.compare({
      name: "order",
      description: "order",
      ours: { label: "ours", measure: () => void order.push("ours") },
      anchor: { label: "anchor", measure: () => void order.push("anchor") },
      rounds: 3,
      warmup: 1
    })
    expect(order).toEqual(["ours", "anchor", "anchor", "ours", "ours", "anchor", "anchor", "ours"])
  })

  it("times only measure: prepare and cleanup run around it each round, untimed, with prepare's value", async () => {
    const events: Array<string> = []
    const result = await Harness.compare({
      name: "untimed",
      description: "untimed",
      ours: {
        label: "ours",
        prepare: async () => {
          await sleep(200)
          return "context"
        },
        measure: (context: string) => void events.push(`measure ${context}`),
        cleanup: async (context: string) => {
          await sleep(200)
          events.push(`cleanup ${context}`)
        }
      },
      anchor: { label: "anchor", measure: () => undefined },
      rounds: 2,
      warmup: 0
    })
    expect(events).toEqual(["measure context", "cleanup context", "measure context", "cleanup context"])
    expect(result.ours.samplesMs).toHaveLength(2)
    expect(result.ours.maxMs).toBeLessThan(150)
  })

  it("reports medians, the ratio ours/anchor (not inverted) and throughput from the work done", async () => {
    const result = await Harness.compare({
      name: "slow",
      description: "ours waits 100 ms, the anchor does nothing",
      ours: { label: "ours", measure: () => sleep(100) },
      anchor: { label: "anchor", measure: () => undefined },
      rounds: 3,
      warmup: 0,
      work: { count: 100, unit: "items" },
      goal: { kind: "throughput", atLeast: 0.7 }
    })
    expect(result.timeRatio).toBeCloseTo(result.ours.medianMs / result.anchor.medianMs, 10)
    expect(result.ours.medianMs).toBeGreaterThanOrEqual(99)
    expect(result.timeRatio).toBeGreaterThan(1)
    expect(result.throughputRatio).toBeCloseTo(1 / result.timeRatio, 10)
    expect(result.ours.perSecond).toBeCloseTo(100 / (result.ours.medianMs / 1000), 6)
    expect(result.goal).toMatchObject({ kind: "throughput", status: "miss" })
    expect(result.ours.peakRssMb).toBeGreaterThan(0)
    expect(result.ours.peakHeapUsedMb).toBeGreaterThan(0)
  })

  it("sees memory a side holds while it runs", async () => {
    const result = await Harness.compare({
      name: "memory",
      description: "ours holds about 40 MB for a while",
      ours: {
        label: "ours",
        measure: async () => {
          const held = new Array<number>(5_000_000).fill(1.5)
          await sleep(30)
          return held.length
        }
      },
      anchor: { label: "anchor", measure: () => sleep(30) },
      rounds: 1,
      warmup: 0
    })
    expect(result.ours.heapGrowthMb).toBeGreaterThan(30)
    expect(result.anchor.heapGrowthMb).toBeLessThan(result.ours.heapGrowthMb)
  })

  it("fails with the side's error and still cleans up", async () => {
    let cleaned = false
    await expect(
      Harness.compare({
        name: "failing",
        description: "failing",
        ours: {
          label: "ours",
          measure: () => Promise.reject(new Error("boom")),
          cleanup: () => {
            cleaned = true
          }
        },
        anchor: { label: "anchor", measure: () => undefined },
        rounds: 1,
        warmup: 0
      })
    ).rejects.toThrow("boom")
    expect(cleaned).toBe(true)
  })

  it("refuses zero rounds", async () => {
    await expect(
      Harness.compare({
        name: "none",
        description: "none",
        ours: { label: "ours", measure: () => undefined },
        anchor: { label: "anchor", measure: () => undefined },
        rounds: 0,
        warmup: 0
      })
    ).rejects.toThrow("none: rounds must be an integer >= 1")
  })
})
