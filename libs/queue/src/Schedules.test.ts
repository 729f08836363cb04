import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Schedules from "./Schedules.ts"

describe("Schedules.parseRepeat", () => {
  it("reads durations as fixed intervals", () => {
    expect(Schedules.parseRepeat("15 minutes")).toEqual(Result.succeed({ _tag: "Every", everyMs: 900_000 }))
    expect(Schedules.parseRepeat(" 1 hour ")).toEqual(Result.succeed({ _tag: "Every", everyMs: 3_600_000 }))
  })

  it("reads five- and six-field cron expressions as patterns", () => {
    expect(Schedules.parseRepeat("0 6 * * 1-5")).toEqual(Result.succeed({ _tag: "Cron", pattern: "0 6 * * 1-5" }))
    expect(Schedules.parseRepeat("30 0  6 * * *")).toEqual(Result.succeed({ _tag: "Cron", pattern: "30 0 6 * * *" }))
  })

  it("refuses anything else, saying what was expected", () => {
    const soon = Schedules.parseRepeat("soon")
    expect(Result.isFailure(soon) && soon.failure).toMatch(/"soon" is neither a duration such as "15 minutes" nor a cron/)
    const fast = Schedules.parseRepeat("10 millis")
    expect(Result.isFailure(fast) && fast.failure).toMatch(/shorter than one second/)
    expect(Result.isFailure(Schedules.parseRepeat("61 * * * *"))).toBe(true)
  })
})

describe("Schedules.plan", () => {
  it("names every problem by position, stream and field", () => {
    const planned = Schedules.plan([
      { plugin: "london-cbs", stream: "spend", every: "15 minutes" },
      { plugin: "london-cbs", stream: "a:b", every: "1 hour" },
      { plugin: "london-cbs", stream: "spend", every: "whenever" }
    ])
    expect(Result.isFailure(planned) && planned.failure).toEqual([
      "schedules[1] (london-cbs/a:b).stream: must not contain ':'",
      "schedules[2] (london-cbs/spend): the stream is already scheduled by schedules[0]",
      expect.stringMatching(/^schedules\[2\] \(london-cbs\/spend\)\.every: "whenever" is neither/)
    ])
  })
})
