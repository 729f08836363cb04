/**
 * What a benchmark ran on: CPU model and cores, memory, Node version, load at the start and the workspace commit,
 * recorded beside every figure because ratios from a shared 2-core machine mean little without it.
 *
 * @since 0.1.0
 */
import { execFileSync } from "node:child_process"
import * as os from "node:os"

/**
 * The machine and software a run measured.
 *
 * @category models
 * @since 0.1.0
 */
export interface Machine {
  readonly cpuModel: string
  /** Logical cores the process may use (`os.availableParallelism()`). */
  readonly cores: number
  readonly memoryGb: number
  readonly node: string
  readonly v8: string
  readonly platform: string
  /** 1-minute load average when the run started: a busy machine makes every figure noisier. */
  readonly loadAverage1m: number
  /** Whether `--expose-gc` was given, so the harness could collect garbage between measurements. */
  readonly gcExposed: boolean
  /** `git describe`-like commit of the workspace, with `-dirty` when the work tree had changes. */
  readonly commit: string
}

const commitOf = (cwd: string): string => {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
    const status = execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
    return status.trim() === "" ? head : `${head}-dirty`
  } catch {
    return "unknown"
  }
}

/**
 * The machine this process runs on.
 *
 * @category constructors
 * @since 0.1.0
 */
export const current = (cwd: string = process.cwd()): Machine => {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    gcExposed: typeof globalThis.gc === "function",
    commit: commitOf(cwd)
  }
}

/**
 * One line for a report: `Intel Xeon ... (2 cores), 23.5 GB, Node v20.20.2, linux ...`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (machine: Machine): string =>
  `${machine.cpuModel} (${machine.cores} cores), ${machine.memoryGb} GB RAM, Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}; load ${machine.loadAverage1m} at start; GC between rounds: ${machine.gcExposed ? "yes" : "no"}; commit ${machine.commit}`
