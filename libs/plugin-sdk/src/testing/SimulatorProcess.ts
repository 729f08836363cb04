/**
 * Starting a simulator for a test as its own process, the way an operator starts it
 * (`node --import tsx src/main.ts --port 0`), reading the URL it prints, and stopping it by its process id. A
 * plugin's tests may not import a simulator (lint boundaries), so they run it like this.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"

/**
 * A simulator running on a loopback port.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunningSimulator {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string
  /** The process id (for diagnostics; `stop` uses it). */
  readonly pid: number
  /** Sends SIGTERM to the process and waits for it to exit (SIGKILL after 5 s). */
  readonly stop: () => Promise<void>
}

/**
 * Options of {@link spawnSimulator}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SpawnOptions {
  /** Absolute path of the simulator's entry point (`.../src/main.ts`). */
  readonly entry: string
  /** Extra arguments after `--port 0`. */
  readonly args?: ReadonlyArray<string>
  /** How long to wait for the URL line. Default 20 000 ms. */
  readonly startTimeoutMs?: number
}

const urlLine = /(https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)/u

/**
 * Starts `node --import tsx <entry> --port 0 ...args` and resolves when it prints its loopback URL.
 *
 * @category constructors
 * @since 0.1.0
 */
export const spawnSimulator = (options: SpawnOptions): Promise<RunningSimulator> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", options.entry, "--port", "0", ...(options.args ?? [])],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    let settled = false
    const timer = setTimeout(() => fail(new Error(`simulator ${options.entry} printed no URL in time:\n${output}`)), options.startTimeoutMs ?? 20_000)
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL")
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8")
      const m = urlLine.exec(output)
      if (m === null || settled || child.pid === undefined) return
      settled = true
      clearTimeout(timer)
      const pid = child.pid
      resolve({ url: m[1] as string, pid, stop: () => stopProcess(child, pid) })
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.once("error", fail)
    child.once("exit", (code) => fail(new Error(`simulator ${options.entry} exited with ${code} before listening:\n${output}`)))
  })

const stopProcess = (child: ChildProcess, pid: number): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const force = setTimeout(() => {
      if (child.exitCode === null) process.kill(pid, "SIGKILL")
    }, 5_000)
    child.once("exit", () => {
      clearTimeout(force)
      resolve()
    })
    process.kill(pid, "SIGTERM")
  })

/**
 * A loopback URL nothing listens on (a port bound and released at once): for "unreachable" checks that must
 * not send traffic anywhere but loopback.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unreachableUrl = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(`http://127.0.0.1:${port}`))
    })
  })
