import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { expect, it } from "vitest"

const main = fileURLToPath(new URL("./main.ts", import.meta.url))

it("the simulator process prints its URL, accepts --token, and exits 0 on SIGTERM", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", "--token", "my-token", "--process-after-ms", "50"], { stdio: ["ignore", "pipe", "inherit"] })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ""
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (m) resolve(m[1] as string)
      })
      child.on("exit", () => reject(new Error(`exited before listening: ${out}`)))
    })
    const res = await fetch(`${url}/v1/health`, { headers: { authorization: "Bearer my-token" } })
    expect(res.status).toBe(200)
    expect((await fetch(`${url}/v1/health`, { headers: { authorization: "Bearer nope" } })).status).toBe(401)
  } finally {
    child.kill("SIGTERM")
  }
  expect(await exited).toBe(0)
}, 30_000)
