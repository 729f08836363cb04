/**
 * A throw-away copy of the workspace for tests that run a generator for real: the repository's files (tracked,
 * plus untracked ones git does not ignore) are copied; third-party packages are linked from the real
 * node_modules one by one, while node_modules/@hub is the copy's own, so every workspace package resolves to the
 * copy and nothing is ever written into the real tree. Commands run with Nx's daemon off and its workspace data
 * and cache inside the copy.
 */
import { execFileSync, spawn } from "node:child_process"
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, isAbsolute, join } from "node:path"

/** A copy of the workspace under the system's temporary folder. */
export interface WorkspaceCopy {
  /** Absolute path of the copy's root. */
  readonly root: string
  /** Environment for commands run in the copy (Nx daemon off, Nx's data and cache inside the copy). */
  readonly env: NodeJS.ProcessEnv
  /** Deletes the copy. */
  readonly remove: () => void
}

/** What a command run in the copy did. */
export interface CommandResult {
  readonly exitCode: number | null
  readonly output: string
  readonly ms: number
}

/** Entries of the real node_modules that are caches or the workspace's own packages, never shared. */
const notShared = new Set(["@hub", ".cache", ".vite", ".vite-temp", ".vitest"])

/** The files git would put in a commit: tracked ones that still exist, and untracked ones it does not ignore. */
const repositoryFiles = (source: string): ReadonlyArray<string> =>
  execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: source, maxBuffer: 64 * 1024 * 1024 })
    .toString("utf8")
    .split("\0")
    .filter((file) => file !== "")

/**
 * Copies the workspace at `source` into a new temporary folder (see the module comment for node_modules).
 */
export const copyWorkspace = (source: string): WorkspaceCopy => {
  const root = mkdtempSync(join(tmpdir(), "hub-generator-"))
  try {
    for (const file of repositoryFiles(source)) {
      const from = join(source, file)
      let stat
      try {
        stat = lstatSync(from)
      } catch {
        continue // deleted in the working tree but still tracked
      }
      const to = join(root, file)
      mkdirSync(dirname(to), { recursive: true })
      if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to)
      else if (stat.isFile()) copyFileSync(from, to)
    }
    const modules = join(root, "node_modules")
    mkdirSync(join(modules, "@hub"), { recursive: true })
    for (const entry of readdirSync(join(source, "node_modules"))) {
      if (!notShared.has(entry)) symlinkSync(join(source, "node_modules", entry), join(modules, entry))
    }
    // Workspace packages are relative links (../../libs/domain): recreated here they point into the copy.
    const scope = join(source, "node_modules", "@hub")
    for (const entry of readdirSync(scope)) {
      const target = readlinkSync(join(scope, entry))
      if (!isAbsolute(target)) symlinkSync(target, join(modules, "@hub", entry))
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true })
    throw error
  }
  const env: NodeJS.ProcessEnv = {
    // The child needs PATH, HOME and npm's settings; this is a test tool, not application configuration.
    ...process.env,
    NX_DAEMON: "false",
    NX_WORKSPACE_DATA_DIRECTORY: join(root, ".nx", "workspace-data"),
    NX_CACHE_DIRECTORY: join(root, ".nx", "cache"),
    NX_NO_CLOUD: "true",
    NX_INTERACTIVE: "false",
    NX_TUI: "false",
    NX_SKIP_NX_CACHE: "true",
    FORCE_COLOR: "0",
    NO_COLOR: "1"
  }
  return { root, env, remove: () => rmSync(root, { recursive: true, force: true }) }
}

/**
 * Runs a command in a folder of the copy and collects its output. It runs in its own process group; past
 * `timeoutMs` that group is killed by its id (SIGKILL) and the exit code is null.
 */
export const run = (copy: WorkspaceCopy, cwd: string, command: string, args: ReadonlyArray<string>, timeoutMs: number): Promise<CommandResult> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, [...args], { cwd, env: copy.env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const collect = (chunk: Buffer): void => {
      output += chunk.toString("utf8")
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL")
        } catch {
          // already gone
        }
      }
    }, timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once("close", (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, output, ms: Math.round(performance.now() - started) })
    })
  })
