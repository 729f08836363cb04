/**
 * Runs the real `hub` command (node bin/hub.mjs) as a child process for the CLI's tests, collecting its exit
 * status and output; a run that outlives its deadline is killed by its process id.
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/**
 * The bin script, as `npx hub` runs it.
 *
 * @category constants
 * @since 0.1.0
 */
export const bin: string = fileURLToPath(new URL("../../bin/hub.mjs", import.meta.url))

/**
 * How a run ended.
 *
 * @category models
 * @since 0.1.0
 */
export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `hub` with the arguments, from `cwd` (default: this process's working directory).
 *
 * @category running
 * @since 0.1.0
 */
export const run = (args: ReadonlyArray<string>, options: { readonly cwd?: string; readonly timeoutMs?: number } = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL")
      reject(new Error(`hub ${args.join(" ")} did not finish within ${options.timeoutMs ?? 30_000} ms`))
    }, options.timeoutMs ?? 30_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
