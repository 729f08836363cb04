/**
 * Bridges @effect/sql-pg to an embedded PGlite database without a network socket: a Duplex that speaks the
 * PostgreSQL wire protocol on one side and feeds each frontend message to `PGlite.execProtocolRawStream` on
 * the other. README.md ("Why an in-process stream, not pglite-socket") explains the choice.
 *
 * @since 0.1.0
 */
import type { PGlite } from "@electric-sql/pglite"
import { Duplex } from "node:stream"

const SSL_REQUEST_CODE = 80877103
const GSSENC_REQUEST_CODE = 80877104
const CANCEL_REQUEST_CODE = 80877102
const TERMINATE = 0x58 // 'X'
const SYNC = 0x53 // 'S'
const QUERY = 0x51 // 'Q'

/**
 * Splits a byte buffer into complete frontend messages. The first message of a connection (startup, SSL or
 * GSS request) has no type byte, only a length; every later one is a type byte followed by a length that
 * counts itself but not the type byte. Throws on a length no message can have (a bug in the client).
 *
 * @category parsing
 * @since 0.1.0
 */
export const splitMessages = (
  buffer: Uint8Array,
  startup: boolean
): { readonly messages: ReadonlyArray<Uint8Array>; readonly rest: Uint8Array; readonly startup: boolean } => {
  const messages: Array<Uint8Array> = []
  let offset = 0
  let inStartup = startup
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  while (true) {
    const headerSize = inStartup ? 4 : 5
    if (buffer.length - offset < headerSize) break
    const length = inStartup ? view.getInt32(offset) : 1 + view.getInt32(offset + 1)
    if (length < (inStartup ? 8 : 5)) throw new Error(`PgliteStream: malformed frontend message of length ${length}`)
    if (buffer.length - offset < length) break
    const message = buffer.slice(offset, offset + length)
    offset += length
    if (inStartup) {
      const code = length >= 8 ? new DataView(message.buffer).getInt32(4) : 0
      // An SSL or GSS encryption request is answered and followed by the real startup message.
      if (code !== SSL_REQUEST_CODE && code !== GSSENC_REQUEST_CODE) inStartup = false
    }
    messages.push(message)
  }
  return { messages, rest: buffer.subarray(offset), startup: inStartup }
}

const requestCode = (message: Uint8Array): number =>
  message.length >= 8 && message[0] === 0 ? new DataView(message.buffer, message.byteOffset, 8).getInt32(4) : 0

const isEncryptionRequest = (message: Uint8Array): boolean => {
  const code = requestCode(message)
  return message.length === 8 && (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE)
}

const isCancelRequest = (message: Uint8Array): boolean =>
  message.length === 16 && requestCode(message) === CANCEL_REQUEST_CODE

// One lane per database: every message of every stream, and the rollback of a closing stream, run in order, so
// a connection opened after another one closed never sees the old one's transaction.
const lanes = new WeakMap<PGlite, { tail: Promise<void> }>()

const laneOf = (db: PGlite): { tail: Promise<void> } => {
  let lane = lanes.get(db)
  if (lane === undefined) {
    lane = { tail: Promise.resolve() }
    lanes.set(db, lane)
  }
  return lane
}

const enqueue = (db: PGlite, task: () => Promise<void>): Promise<void> => {
  const lane = laneOf(db)
  const result = lane.tail.then(task)
  lane.tail = result.catch(() => undefined)
  return result
}

/**
 * Makes one connection's stream to a PGlite instance. PGlite has a single backend, so callers keep at most one
 * stream open at a time (the store's pool holds exactly one connection). Messages run one at a time under
 * PGlite's own mutex; a write is acknowledged only after PGlite has answered it, which gives backpressure.
 * When a session's stream closes inside an open transaction, the transaction is rolled back so the next
 * connection starts clean. A CancelRequest (sent on a side stream when a query is interrupted) is dropped.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (db: PGlite): Duplex => {
  let pending: Uint8Array = new Uint8Array(0)
  let startup = true
  // Whether this stream opened a session on the backend. A side stream that only carries a CancelRequest
  // never does, and must never roll back the transaction of the connection it was sent for.
  let session = false

  const run = (stream: Duplex, message: Uint8Array): Promise<void> => {
    if (isEncryptionRequest(message)) {
      // No TLS inside one process: answer "N" and the client continues in plain text.
      stream.push(Buffer.from("N"))
      return Promise.resolve()
    }
    if (isCancelRequest(message)) {
      // PGlite runs one statement at a time on this thread, so by now the statement to cancel has finished;
      // like a server, answer nothing and close the side connection.
      stream.push(null)
      return Promise.resolve()
    }
    if (message[0] === TERMINATE) {
      stream.push(null)
      return Promise.resolve()
    }
    if (message[0] === 0) session = true
    const type = message[0]
    return db.runExclusive(() =>
      db.execProtocolRawStream(message, {
        // Flushing the file system after every Parse/Bind/Execute is wasted work; after Sync or a simple
        // query the backend has finished the statement.
        syncToFs: type === SYNC || type === QUERY,
        onRawData: (data) => {
          stream.push(Buffer.from(data))
        }
      })
    )
  }

  const stream: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      const merged = new Uint8Array(pending.length + chunk.length)
      merged.set(pending)
      merged.set(chunk, pending.length)
      let split: ReturnType<typeof splitMessages>
      try {
        split = splitMessages(merged, startup)
      } catch (error) {
        callback(error as Error)
        return
      }
      pending = split.rest
      startup = split.startup
      const messages = split.messages
      enqueue(db, async () => {
        for (const message of messages) {
          if (stream.destroyed) return
          await run(stream, message)
        }
      }).then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)))
      )
    },
    final(callback) {
      enqueue(db, async () => {
        stream.push(null)
      }).then(() => callback(), callback)
    },
    destroy(error, callback) {
      enqueue(db, async () => {
        if (session && !db.closed && db.isInTransaction()) await db.exec("ROLLBACK")
      }).then(() => callback(error), () => callback(error))
    }
  })
  return stream
}
