/**
 * A simulator (tools/simulators) run as a child process for a benchmark: started on a free loopback port, ready
 * once it prints `listening on <url>`, stopped by its pid.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"

/**
 * A running simulator.
 *
 * @category models
 * @since 0.1.0
 */
export interface SimulatorProcess {
  readonly url: string
  readonly stop: () => Promise<void>
}

/**
 * Starts the simulator whose entry point is `main` (a `src/main.ts`) with `--port 0` and `args`; fails when it
 * exits or has not said where it listens within 60 s.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (main: string, args: ReadonlyArray<string>): Promise<SimulatorProcess> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", ...args], {
      cwd: path.dirname(main),
      stdio: ["ignore", "pipe", "inherit"]
    })
    const pid = child.pid
    const stop = async (): Promise<void> => {
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((done) => child.once("exit", () => done()))
      process.kill(pid, "SIGTERM")
      await exited
    }
    let output = ""
    const timer = setTimeout(() => {
      reject(new Error(`the simulator ${main} did not say it was listening within 60 s: ${output}`))
      void stop()
    }, 60_000)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`the simulator ${main} exited with ${code} before listening: ${output}`))
    }
    child.once("exit", onExit)
    child.stdout?.setEncoding("utf8")
    child.stdout?.on("data", (chunk: string) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/u.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        child.off("exit", onExit)
        child.stdout?.removeAllListeners("data")
        child.stdout?.resume()
        resolve({ url: match[1] as string, stop })
      }
    })
  })
