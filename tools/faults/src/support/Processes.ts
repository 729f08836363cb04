/**
 * Child processes for fault tests: started with their output in a log file, stopped by their pid (never by
 * name), and a free loopback port to give them.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, type Scope } from "effect"

/** The repository root, where `node --import tsx` resolves the workspace. */
export const repositoryRoot: string = fileURLToPath(new URL("../../../../", import.meta.url))

/**
 * A started child process and the log file its stdout and stderr go to.
 *
 * @category models
 * @since 0.1.0
 */
export interface Started {
  readonly name: string
  readonly child: ChildProcess
  readonly pid: number
  readonly logFile: string
}

/**
 * What to start.
 *
 * @category models
 * @since 0.1.0
 */
export interface Command {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  /** Folder of the log file `<name>.log`. */
  readonly logDir: string
}

/**
 * Whether the process has exited.
 *
 * @category accessors
 * @since 0.1.0
 */
export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

/**
 * Waits for the process to exit.
 *
 * @category combinators
 * @since 0.1.0
 */
export const exited = (child: ChildProcess): Effect.Effect<void> =>
  Effect.promise(() =>
    hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()))
  )

/**
 * Sends `signal` to the process by its pid and waits for it to exit; SIGKILL after `graceMs`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const stop = (started: Started, signal: NodeJS.Signals = "SIGTERM", graceMs = 15_000): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (hasExited(started.child)) return
    yield* Effect.sync(() => process.kill(started.pid, signal))
    const done = yield* exited(started.child).pipe(Effect.timeoutOption(graceMs))
    if (done._tag === "None" && !hasExited(started.child)) {
      yield* Effect.sync(() => process.kill(started.pid, "SIGKILL"))
      yield* exited(started.child)
    }
  })

/**
 * Starts a process (PATH and HOME from this process plus `env`), stopped by pid with SIGTERM when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (command: Command): Effect.Effect<Started, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const logFile = join(command.logDir, `${command.name}.log`)
      const log = createWriteStream(logFile, { flags: "a" })
      const child = spawn(command.command, [...command.args], {
        cwd: repositoryRoot,
        env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...command.env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      child.stdout?.pipe(log)
      child.stderr?.pipe(log)
      if (child.pid === undefined) throw new Error(`cannot start ${command.name}: ${command.command}`)
      return { name: command.name, child, pid: child.pid, logFile }
    }),
    (started) => stop(started)
  )

/**
 * Reads a process's log so far ("" when there is none yet).
 *
 * @category accessors
 * @since 0.1.0
 */
export const logOf = (started: Pick<Started, "logFile">): string => {
  try {
    return readFileSync(started.logFile, "utf8")
  } catch {
    return ""
  }
}

/**
 * Waits until the process's stdout prints a line matching `pattern` and returns the first capture group.
 *
 * @category combinators
 * @since 0.1.0
 */
export const awaitLine = (started: Started, pattern: RegExp, timeoutMs = 30_000): Effect.Effect<string, Error> =>
  Effect.callback<string, Error>((resume) => {
    let seen = ""
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString("utf8")
      const match = pattern.exec(seen)
      if (match !== null) resume(Effect.succeed(match[1] ?? match[0]))
    }
    const onExit = (): void => resume(Effect.fail(new Error(`${started.name} exited before printing ${String(pattern)}: ${logOf(started).slice(-2000)}`)))
    started.child.stdout?.on("data", onData)
    started.child.once("exit", onExit)
    return Effect.sync(() => {
      started.child.stdout?.off("data", onData)
      started.child.off("exit", onExit)
    })
  }).pipe(
    Effect.timeoutOrElse({
      duration: timeoutMs,
      orElse: () => Effect.fail(new Error(`${started.name} did not print ${String(pattern)} within ${timeoutMs} ms`))
    })
  )

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 *
 * @category constructors
 * @since 0.1.0
 */
export const freePort: Effect.Effect<number> = Effect.promise(
  () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once("error", reject)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        server.close(() => resolve(port))
      })
    })
)
