import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { kitFaultPlan } from "./SimulatorControl.ts"
import * as SimulatorProcess from "./SimulatorProcess.ts"

const entry = fileURLToPath(new URL("./fixtures/hello-simulator.ts", import.meta.url))

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("SimulatorProcess", () => {
  it("starts a simulator on a free loopback port, reads its URL, and stops it by pid", async () => {
    const sim = await SimulatorProcess.spawnSimulator({ entry })
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u)
    expect(await (await fetch(sim.url)).text()).toBe("hello")
    expect(isAlive(sim.pid)).toBe(true)
    await sim.stop()
    expect(isAlive(sim.pid)).toBe(false)
  }, 30_000)

  it("fails with the process output when the entry does not start", async () => {
    await expect(SimulatorProcess.spawnSimulator({ entry: `${entry}.missing.ts`, startTimeoutMs: 15_000 })).rejects.toThrow(/exited/u)
  }, 30_000)

  it("an unreachable URL is a loopback port nothing listens on", async () => {
    const url = await SimulatorProcess.unreachableUrl()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u)
    await expect(fetch(url)).rejects.toThrow()
  })
})

describe("SimulatorControl.kitFaultPlan", () => {
  it("arms exactly one occurrence of each fault in the kit's plan format", () => {
    expect(kitFaultPlan({ _tag: "ServerError", status: 502 })).toEqual({ status5xx: { count: 1, status: 502 } })
    expect(kitFaultPlan({ _tag: "RateLimited", retryAfterSeconds: 7 }, "/v1")).toEqual({ pathPrefix: "/v1", rateLimit: { count: 1, retryAfterSeconds: 7 } })
    expect(kitFaultPlan({ _tag: "Hang", ms: 2000 })).toEqual({ hang: { count: 1, ms: 2000 } })
    expect(kitFaultPlan({ _tag: "MalformedRows" })).toEqual({ malformedRows: { count: 1 } })
  })
})
