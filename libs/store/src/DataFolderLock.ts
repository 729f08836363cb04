/**
 * An exclusive lock on an embedded database's data folder: PGlite does not lock its folder, and two processes
 * writing one folder silently split the state and can corrupt it. The lock is a file created atomically in the
 * folder, naming its owner's pid and start time; a lock whose owner has died is taken over.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { ConnectionError, SqlError } from "effect/sql/SqlError"
import { randomUUID } from "node:crypto"
import { closeSync, fstatSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs"
import { join, resolve } from "node:path"
import { DataFolderLocked } from "./StoreError.ts"

/**
 * The lock file's name inside the data folder (next to PGlite's `PG_VERSION`, as PostgreSQL's own
 * `postmaster.pid` is).
 *
 * @category constants
 * @since 0.1.0
 */
export const fileName = "hub-store.lock"

/**
 * What a lock file holds: the owner's pid, when the owner process started (ISO time), on Linux the start
 * time from `/proc/<pid>/stat` (exact, so a pid reused by another process is told apart), and a token of
 * this acquisition (so a release never removes a lock someone else has taken since).
 *
 * @category models
 * @since 0.1.0
 */
export interface Owner {
  readonly pid: number
  readonly startedAt: string
  readonly procStart?: string | undefined
  readonly token: string
}

// Locks this process holds (lock file → token), released on `process.on("exit")` too.
const held = new Map<string, string>()

// A lock file that cannot be read as an owner and is younger than this may be one being written right now.
const SETTLE_MS = 2_000

/** The 22nd field of `/proc/<pid>/stat` (start time in clock ticks since boot), or undefined off Linux. */
const procStartOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The second field (the command) is in parentheses and may itself contain spaces and parentheses.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]
  } catch {
    return undefined
  }
}

let self: Omit<Owner, "token"> | undefined

const selfIdentity = (): Omit<Owner, "token"> => {
  // Computed on first use (nothing happens at import time), then fixed for the life of the process.
  self ??= {
    pid: process.pid,
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    procStart: procStartOf(process.pid)
  }
  return self
}

const parseOwner = (text: string): Owner | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== "object" || value === null) return undefined
    const { pid, procStart, startedAt, token } = value as Record<string, unknown>
    // pid 0 or a negative pid would signal a process group, never one process.
    if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return undefined
    if (typeof startedAt !== "string") return undefined
    return {
      pid,
      startedAt,
      procStart: typeof procStart === "string" ? procStart : undefined,
      token: typeof token === "string" ? token : ""
    }
  } catch {
    return undefined
  }
}

/**
 * Whether the lock's owner is still running. Another pid is asked with signal 0 (ESRCH: gone; EPERM: alive
 * under another user); on Linux a live pid whose start time differs from the recorded one was reused by
 * another process, so the owner is gone. Our own pid is us only if the start time matches: in a container
 * every restart is pid 1 again, and a crashed previous run must not lock the next one out.
 */
const isRunning = (owner: Owner): boolean => {
  const me = selfIdentity()
  if (owner.pid === me.pid) {
    if (owner.procStart !== undefined && me.procStart !== undefined) return owner.procStart === me.procStart
    return Math.abs(Date.parse(owner.startedAt) - Date.parse(me.startedAt)) < SETTLE_MS
  }
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false
  }
  if (owner.procStart === undefined) return true
  const now = procStartOf(owner.pid)
  return now === undefined || now === owner.procStart
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/** Creates `path` only if it does not exist, with `content`; false when it exists. */
const createExclusive = (path: string, content: string): boolean => {
  let fd: number
  try {
    fd = openSync(path, "wx", 0o644)
  } catch (error) {
    if (errnoOf(error) === "EEXIST") return false
    throw error
  }
  try {
    writeSync(fd, content)
  } catch (error) {
    closeSync(fd)
    unlinkSync(path)
    throw error
  }
  closeSync(fd)
  return true
}

const unlinkIfPresent = (path: string): void => {
  try {
    unlinkSync(path)
  } catch (error) {
    if (errnoOf(error) !== "ENOENT") throw error
  }
}

/** The lock file's text and inode, or undefined when it has gone. */
const readLock = (path: string): { readonly text: string; readonly ino: number; readonly mtimeMs: number } | undefined => {
  let fd: number
  try {
    fd = openSync(path, "r")
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined
    throw error
  }
  try {
    const stat = fstatSync(fd)
    return { text: readFileSync(fd, "utf8"), ino: stat.ino, mtimeMs: stat.mtimeMs }
  } finally {
    closeSync(fd)
  }
}

type Attempt =
  | { readonly _tag: "Acquired" }
  | { readonly _tag: "Held"; readonly owner: Owner }
  | { readonly _tag: "Busy" }

/**
 * One try at the lock, all synchronous. A stale lock is removed only by the holder of a second, short-lived
 * "takeover" file, after checking that the lock file is still the stale one it examined: two starters that
 * both find a dead owner can never both remove a lock (the second would remove the first one's new lock).
 */
const attempt = (lockFile: string, content: string): Attempt => {
  if (createExclusive(lockFile, content)) return { _tag: "Acquired" }
  const found = readLock(lockFile)
  if (found === undefined) return { _tag: "Busy" }
  const owner = parseOwner(found.text)
  if (owner !== undefined && isRunning(owner)) return { _tag: "Held", owner }
  // Unreadable and new: probably created a moment ago by a starter that has not written it yet.
  if (owner === undefined && Date.now() - found.mtimeMs < SETTLE_MS) return { _tag: "Busy" }
  const guard = `${lockFile}.takeover`
  if (!createExclusive(guard, JSON.stringify({ pid: process.pid }))) {
    // Held only across a few synchronous calls: an old one was left by a process killed in between.
    const stuck = (() => {
      try {
        return Date.now() - statSync(guard).mtimeMs > SETTLE_MS
      } catch {
        return false
      }
    })()
    if (stuck) unlinkIfPresent(guard)
    return { _tag: "Busy" }
  }
  try {
    const again = readLock(lockFile)
    if (again === undefined || again.text !== found.text || again.ino !== found.ino) return { _tag: "Busy" }
    unlinkSync(lockFile)
    return createExclusive(lockFile, content) ? { _tag: "Acquired" } : { _tag: "Busy" }
  } finally {
    unlinkIfPresent(guard)
  }
}

/** Removes the lock file if it is still ours (same token). Synchronous, so it can run on process exit. */
const releaseSync = (lockFile: string, token: string): void => {
  held.delete(lockFile)
  if (held.size === 0) process.off("exit", releaseAllOnExit)
  try {
    const found = readLock(lockFile)
    if (found !== undefined && parseOwner(found.text)?.token === token) unlinkSync(lockFile)
  } catch {
    // Nothing to do: a lock left behind names a pid that is gone, and the next start takes it over.
  }
}

function releaseAllOnExit(): void {
  for (const [lockFile, token] of [...held]) releaseSync(lockFile, token)
}

const lockError = (folder: string, cause: unknown): SqlError =>
  new SqlError({
    reason: new ConnectionError({
      cause,
      message: `cannot lock the data folder ${folder}: ${String(cause)}`,
      operation: "connect"
    })
  })

/**
 * Takes the exclusive lock on `folder` (which must exist) for the life of the scope: fails with
 * `DataFolderLocked` when a running process holds it, takes over a lock left by a process that is gone, and
 * releases it when the scope closes, or on `process.exit` / an uncaught exception if the scope never does (a
 * process killed by a signal leaves its lock behind; its pid is then dead and the next start takes it over).
 * Registers an `exit` listener only, so it never changes how or when the process exits.
 *
 * @category constructors
 * @since 0.1.0
 */
export const acquire = (folder: string): Effect.Effect<void, DataFolderLocked | SqlError, Scope.Scope> => {
  const lockFile = join(resolve(folder), fileName)
  const tryOnce = Effect.try({
    try: () => {
      const owner: Owner = { ...selfIdentity(), token: randomUUID() }
      const result = attempt(lockFile, `${JSON.stringify(owner)}\n`)
      if (result._tag === "Acquired") {
        if (held.size === 0) process.on("exit", releaseAllOnExit)
        held.set(lockFile, owner.token)
      }
      return { result, token: owner.token }
    },
    catch: (cause) => lockError(folder, cause)
  })
  const loop = (tries: number): Effect.Effect<string, DataFolderLocked | SqlError> =>
    Effect.flatMap(tryOnce, ({ result, token }) => {
      switch (result._tag) {
        case "Acquired":
          return Effect.succeed(token)
        case "Held":
          return Effect.fail(
            new DataFolderLocked({ folder, lockFile, pid: result.owner.pid, startedAt: result.owner.startedAt })
          )
        case "Busy":
          return tries >= 100
            ? Effect.fail(lockError(folder, new Error(`${lockFile} kept changing while it was being taken`)))
            : Effect.andThen(Effect.sleep("50 millis"), loop(tries + 1))
      }
    })
  return Effect.asVoid(Effect.acquireRelease(loop(0), (token) => Effect.sync(() => releaseSync(lockFile, token))))
}
