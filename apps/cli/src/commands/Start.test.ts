import { existsSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as HubProcess from "../test-support/HubProcess.ts"
import { script } from "./Start.ts"

describe("hub start", () => {
  it("runs the repository's start script", () => {
    expect(script.endsWith("/scripts/start.sh")).toBe(true)
    expect(existsSync(script)).toBe(true)
  })

  it("takes its configuration from the environment, not from arguments", async () => {
    const run = await HubProcess.run(["start", "--port", "9000"])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("start: takes no arguments")
  })
})
