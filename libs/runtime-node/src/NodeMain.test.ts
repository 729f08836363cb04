import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const fixture = fileURLToPath(new URL("./fixtures/sleepy-main.ts", import.meta.url))

const start = (mode: string) => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, mode], { stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
  const ready = new Promise<void>((resolve) => child.stdout.on("data", () => out.includes("ready") && resolve()))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, ready, exited, output: () => out }
}

describe("NodeMain.runMain", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s interrupts the program, runs finalizers and exits 0", async (signal) => {
    const proc = start("wait")
    await proc.ready
    proc.child.kill(signal)
    expect(await proc.exited).toBe(0)
    expect(proc.output()).toContain("released")
  }, 20_000)

  it("a failed program runs finalizers and exits 1", async () => {
    const proc = start("fail")
    expect(await proc.exited).toBe(1)
    expect(proc.output()).toContain("released")
  }, 20_000)
})
