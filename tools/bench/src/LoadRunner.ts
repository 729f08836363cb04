/**
 * Runs autocannon in a child process for the gateway benchmark, so the load generator does not share the
 * servers' event loop: `LoadRunner.start()` forks `LoadRunnerChild.ts`, each `run` sends it one autocannon
 * configuration over IPC and resolves with the figures it measured; `stop` ends the child by its pid.
 *
 * @since 0.1.0
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"

/**
 * One load run: a fixed number of requests (`amount`) over `connections`, optionally paced at `overallRate`
 * requests per second overall.
 *
 * @category models
 * @since 0.1.0
 */
export interface Load {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly connections: number
  readonly amount: number
  readonly overallRate?: number | undefined
}

/**
 * What one run measured (autocannon's own figures; latencies in ms).
 *
 * @category models
 * @since 0.1.0
 */
export interface Figures {
  readonly requests: number
  readonly ok: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  readonly durationSeconds: number
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

/**
 * A running load generator.
 *
 * @category models
 * @since 0.1.0
 */
export interface LoadRunner {
  readonly pid: number
  readonly run: (load: Load) => Promise<Figures>
  readonly stop: () => Promise<void>
}

const childFile = fileURLToPath(new URL("./LoadRunnerChild.ts", import.meta.url))

/**
 * Forks the child (`node --import tsx LoadRunnerChild.ts`) and waits until it says it is ready.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = async (): Promise<LoadRunner> => {
  const child: ChildProcess = fork(childFile, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] })
  const pid = child.pid
  if (pid === undefined) throw new Error(`LoadRunner: could not fork ${childFile}`)
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`LoadRunner: ${childFile} exited with ${code} before it was ready`))
    child.once("exit", onExit)
    child.once("message", (message) => {
      child.off("exit", onExit)
      if (message === "ready") resolve()
      else reject(new Error(`LoadRunner: unexpected first message ${JSON.stringify(message)}`))
    })
  })
  let busy = false
  return {
    pid,
    run: (load) => {
      if (busy) return Promise.reject(new Error("LoadRunner: a run is already in progress"))
      busy = true
      return new Promise<Figures>((resolve, reject) => {
        const onExit = (code: number | null) => {
          busy = false
          reject(new Error(`LoadRunner: the child exited with ${code} during a run of ${load.url}`))
        }
        child.once("exit", onExit)
        child.once("message", (message) => {
          child.off("exit", onExit)
          busy = false
          const reply = message as { readonly ok: true; readonly figures: Figures } | { readonly ok: false; readonly error: string }
          if (reply.ok) resolve(reply.figures)
          else reject(new Error(`LoadRunner: ${load.url}: ${reply.error}`))
        })
        child.send(load)
      })
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
      process.kill(pid, "SIGTERM")
      await exited
    }
  }
}
