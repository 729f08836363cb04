/**
 * A test-only hook that freezes a worker process at a PostgreSQL COMMIT, so a fault test can SIGKILL it at an
 * exact point: just **before** the Nth COMMIT is sent (the transaction is still open, nothing of it is visible),
 * or just **after** the server answered the Nth COMMIT (the transaction is durable, the code that would go on to
 * finish the job has not run). It is loaded only by the fault tests, as a preload:
 * `node --import tsx --import tools/faults/src/commit-pause/CommitPauseHook.ts apps/worker/src/main.ts`; no
 * production module imports it, so production code cannot trigger it by accident.
 *
 * Environment (all three required, else the hook does nothing):
 * - `HUB_FAULT_COMMIT_PAUSE` `before:N` or `after:N`;
 * - `HUB_FAULT_COMMIT_PAUSE_ARM_FILE` a file; COMMITs are counted only once it exists (so the migrations' COMMITs
 *   at start-up do not count; the test creates it just before it asks for the job);
 * - `DATABASE_URL` whose port says which sockets are PostgreSQL's (default 5432).
 *
 * How it sees a COMMIT (the PostgreSQL wire protocol, as `@effect/sql-pg` speaks it): outgoing, a frame whose
 * `Parse` or simple `Query` carries the text `COMMIT`, or whose `Bind` names a prepared statement that was parsed
 * from `COMMIT` on the same socket (the driver prepares `COMMIT` once per connection); incoming, a
 * `CommandComplete` message with the tag `COMMIT`. When the Nth one is seen it writes
 * `hub-fault-hook: paused before|after COMMIT #N` to stdout synchronously and blocks the main thread for good
 * (`Atomics.wait`): timers, lock renewals and every other callback stop, exactly as if the process were frozen
 * there, until the test kills it.
 *
 * @since 0.1.0
 */
import { existsSync, writeSync } from "node:fs"
import * as net from "node:net"

const spec = /^(before|after):(\d+)$/u.exec(process.env["HUB_FAULT_COMMIT_PAUSE"] ?? "")
const armFile = process.env["HUB_FAULT_COMMIT_PAUSE_ARM_FILE"]

const databasePort = (): number => {
  const url = process.env["DATABASE_URL"]
  if (url === undefined || !URL.canParse(url)) return 5432
  const port = new URL(url).port
  return port === "" ? 5432 : Number(port)
}

/** The `CommandComplete` message of a COMMIT: 'C', length 11, "COMMIT\0". */
const commandCompleteCommit = Buffer.from([0x43, 0, 0, 0, 11, ...Buffer.from("COMMIT", "latin1"), 0])

/** Message types a PostgreSQL client sends after start-up (the start-up and SSL requests have none). */
const frontendTypes = new Set("PBDESQCHpXFdcf".split("").map((c) => c.charCodeAt(0)))

const cString = (bytes: Buffer, from: number): { readonly text: string; readonly next: number } => {
  const end = bytes.indexOf(0, from)
  return end < 0 ? { text: "", next: bytes.length } : { text: bytes.toString("latin1", from, end), next: end + 1 }
}

/**
 * Whether an outgoing frame runs a COMMIT; records statements prepared from `COMMIT` in `prepared`. A frame
 * that does not parse as whole frontend messages is not a COMMIT.
 */
const isCommitFrame = (frame: Buffer, prepared: Set<string>): boolean => {
  let commit = false
  let offset = 0
  while (offset + 5 <= frame.length) {
    const type = frame[offset] as number
    if (!frontendTypes.has(type)) return false
    const length = frame.readInt32BE(offset + 1)
    const end = offset + 1 + length
    if (length < 4 || end > frame.length) return false
    const body = offset + 5
    if (type === 0x51 /* Q */ && cString(frame, body).text.trim().toUpperCase() === "COMMIT") commit = true
    if (type === 0x50 /* P */) {
      const name = cString(frame, body)
      if (cString(frame, name.next).text.trim().toUpperCase() === "COMMIT") {
        prepared.add(name.text)
        commit = true
      } else {
        prepared.delete(name.text)
      }
    }
    if (type === 0x42 /* B */) {
      const portal = cString(frame, body)
      if (prepared.has(cString(frame, portal.next).text)) commit = true
    }
    offset = end
  }
  return commit
}

const freeze = (message: string): never => {
  writeSync(1, `${message} (pid ${process.pid})\n`)
  const cell = new Int32Array(new SharedArrayBuffer(4))
  for (;;) Atomics.wait(cell, 0, 0)
}

if (spec !== null && armFile !== undefined) {
  const point = spec[1] as "before" | "after"
  const target = Number(spec[2])
  const port = databasePort()
  const preparedBySocket = new WeakMap<net.Socket, Set<string>>()
  let seen = 0
  const isDatabase = (socket: net.Socket): boolean => socket.remotePort === port
  const count = (): boolean => {
    if (!existsSync(armFile)) return false
    seen += 1
    return seen === target
  }

  const originalWrite = net.Socket.prototype.write
  net.Socket.prototype.write = function(this: net.Socket, ...args: Array<unknown>): boolean {
    const chunk = args[0]
    if (isDatabase(this) && chunk instanceof Uint8Array) {
      let prepared = preparedBySocket.get(this)
      if (prepared === undefined) {
        prepared = new Set()
        preparedBySocket.set(this, prepared)
      }
      const frame = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      if (isCommitFrame(frame, prepared) && point === "before" && count()) freeze(`hub-fault-hook: paused before COMMIT #${target}`)
    }
    return (originalWrite as (...a: Array<unknown>) => boolean).apply(this, args)
  } as typeof net.Socket.prototype.write

  const originalEmit = net.Socket.prototype.emit
  net.Socket.prototype.emit = function(this: net.Socket, event: string | symbol, ...args: Array<unknown>): boolean {
    const chunk = args[0]
    if (point === "after" && event === "data" && chunk instanceof Uint8Array && isDatabase(this)) {
      const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      let at = data.indexOf(commandCompleteCommit)
      while (at >= 0) {
        if (count()) freeze(`hub-fault-hook: paused after COMMIT #${target}`)
        at = data.indexOf(commandCompleteCommit, at + 1)
      }
    }
    return (originalEmit as (this: net.Socket, e: string | symbol, ...a: Array<unknown>) => boolean).call(this, event, ...args)
  } as typeof net.Socket.prototype.emit

  writeSync(1, `hub-fault-hook: armed to pause ${point} COMMIT #${target} once ${armFile} exists\n`)
}
