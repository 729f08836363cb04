import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { parseArgs } from "./Main.ts"

const fixture = fileURLToPath(new URL("./fixtures/echo-main.ts", import.meta.url))

const start = (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
  const url = new Promise<string>((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1] as string)
    }))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, url, exited, stderr: () => err }
}

describe("Main", () => {
  it("parses --port, --seed and declared options", () => {
    expect(parseArgs(["--port", "8080", "--seed", "7", "--flavour", "x"], ["flavour"])).toEqual(
      Result.succeed({ port: 8080, seed: 7, options: { flavour: "x" } }))
    expect(parseArgs([])).toEqual(Result.succeed({ port: 0, seed: 1, options: {} }))
  })

  it("refuses a bad port or an unknown option, naming it", () => {
    expect(parseArgs(["--port", "eighty"])).toEqual(Result.fail(`--port must be a whole number, got "eighty"`))
    expect(parseArgs(["--port", "70000"])).toEqual(Result.fail("--port must be at most 65535, got 70000"))
    const unknown = parseArgs(["--colour", "red"])
    expect(Result.isFailure(unknown) && unknown.failure).toMatch(/colour/)
  })

  it("a simulator process prints its URL, serves, and exits 0 on SIGTERM", async () => {
    const proc = start(["--port", "0", "--seed", "9", "--flavour", "mint"])
    try {
      const url = await proc.url
      const res = await fetch(`${url}/args`)
      expect(await res.json()).toEqual({ port: 0, seed: 9, options: { flavour: "mint" } })
    } finally {
      proc.child.kill("SIGTERM")
    }
    expect(await proc.exited).toBe(0)
  }, 20_000)

  it("bad arguments exit 2 with a usage line", async () => {
    const proc = start(["--port", "x"])
    expect(await proc.exited).toBe(2)
    expect(proc.stderr()).toContain("usage: echo-sim")
  }, 20_000)
})
