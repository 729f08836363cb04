import { Exit } from "effect"
import { describe, expect, it } from "vitest"
import { BadInput } from "./BadInput.ts"
import * as Cli from "./Cli.ts"
import * as HubProcess from "./test-support/HubProcess.ts"

describe.concurrent("hub", () => {
  it("--help lists every command and exits 0", async () => {
    const run = await HubProcess.run(["--help"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ {2}coterminosity {2}/mu)
    expect(run.stdout).toMatch(/^ {2}orgs {11}/mu)
  })

  it("an unknown command exits 2 with a one-line reason naming the commands", async () => {
    const run = await HubProcess.run(["frobnicate"])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    // One line naming every command (the list grows as commands are added).
    expect(run.stderr).toMatch(/^hub: unknown command "frobnicate" \(commands: coterminosity, orgs(, [a-z-]+)*\)\n$/u)
    expect(run.stderr).toContain(", keys")
  })

  it("no command exits 2", async () => {
    const run = await HubProcess.run([])
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split("\n")).toHaveLength(1)
  })
})

describe("Cli.exitCode", () => {
  it("is 0 when done or interrupted, 2 for bad input, 1 for any other failure or a defect", () => {
    expect(Cli.exitCode(Exit.succeed(undefined))).toBe(0)
    expect(Cli.exitCode(Exit.interrupt())).toBe(0)
    expect(Cli.exitCode(Exit.fail(new BadInput({ reason: "no such file" })))).toBe(2)
    expect(Cli.exitCode(Exit.fail("something else"))).toBe(1)
    expect(Cli.exitCode(Exit.die(new Error("bug")))).toBe(1)
  })
})
