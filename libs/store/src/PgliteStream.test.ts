import { PGlite } from "@electric-sql/pglite"
import * as fc from "fast-check"
import type { Duplex } from "node:stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PgliteStream from "./PgliteStream.ts"

const typed = (type: string, body: Uint8Array): Uint8Array => {
  const out = new Uint8Array(5 + body.length)
  out[0] = type.charCodeAt(0)
  new DataView(out.buffer).setInt32(1, 4 + body.length)
  out.set(body, 5)
  return out
}

const untyped = (code: number, body: Uint8Array): Uint8Array => {
  const out = new Uint8Array(8 + body.length)
  new DataView(out.buffer).setInt32(0, 8 + body.length)
  new DataView(out.buffer).setInt32(4, code)
  out.set(body, 8)
  return out
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

const SSL_REQUEST = 80877103
const PROTOCOL_3 = 196608

describe("PgliteStream.splitMessages", () => {
  it("reads an SSL request, then the startup message, then typed messages", () => {
    const ssl = untyped(SSL_REQUEST, new Uint8Array(0))
    const startup = untyped(PROTOCOL_3, new TextEncoder().encode("user\0postgres\0\0"))
    const parse = typed("P", new TextEncoder().encode("\0SELECT 1\0\0\0"))
    const sync = typed("S", new Uint8Array(0))
    const split = PgliteStream.splitMessages(concat([ssl, startup, parse, sync]), true)
    expect(split.messages).toEqual([ssl, startup, parse, sync])
    expect(split.startup).toBe(false)
    expect(split.rest.length).toBe(0)
  })

  it("rejects a length no message can have, instead of waiting for it forever", () => {
    const bad = new Uint8Array([0x51, 0, 0, 0, 1])
    expect(() => PgliteStream.splitMessages(bad, false)).toThrow(/malformed frontend message of length 2/u)
  })

  it("gives the same messages however the bytes are cut into writes", () => {
    const message = fc.tuple(fc.constantFrom("P", "B", "D", "E", "S", "Q", "C"), fc.uint8Array({ maxLength: 40 }))
      .map(([type, body]) => typed(type, body))
    fc.assert(
      fc.property(fc.array(message, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (messages, cuts) => {
        const startup = untyped(PROTOCOL_3, new TextEncoder().encode("user\0postgres\0\0"))
        const bytes = concat([startup, ...messages])
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const seen: Array<Uint8Array> = []
        let pending: Uint8Array = new Uint8Array(0)
        let inStartup = true
        let last = 0
        for (const point of [...points, bytes.length]) {
          const split = PgliteStream.splitMessages(concat([pending, bytes.subarray(last, point)]), inStartup)
          seen.push(...split.messages)
          pending = split.rest
          inStartup = split.startup
          last = point
        }
        expect(seen).toEqual([startup, ...messages])
        expect(pending.length).toBe(0)
      })
    )
  })
})

const startupMessage = (): Uint8Array =>
  untyped(PROTOCOL_3, new TextEncoder().encode("user\0postgres\0database\0postgres\0\0"))

const query = (text: string): Uint8Array => typed("Q", new TextEncoder().encode(`${text}\0`))

/** Writes messages and waits until PGlite has answered them all (the write callback fires after that). */
const send = (stream: Duplex, ...messages: ReadonlyArray<Uint8Array>): Promise<void> =>
  new Promise((resolve, reject) => stream.write(Buffer.from(concat(messages)), (error) => (error ? reject(error) : resolve())))

describe("PgliteStream.make", () => {
  let db: PGlite
  beforeAll(async () => {
    db = await PGlite.create()
    await db.exec("CREATE TABLE t (n integer)")
  })
  afterAll(() => db.close())

  it("a connection closed inside a transaction leaves nothing of it behind", async () => {
    const stream = PgliteStream.make(db)
    stream.on("data", () => undefined)
    await send(stream, startupMessage(), query("BEGIN"), query("INSERT INTO t VALUES (1)"))
    expect(db.isInTransaction()).toBe(true)
    await new Promise<void>((resolve) => {
      stream.once("close", () => resolve())
      stream.destroy()
    })
    expect(db.isInTransaction()).toBe(false)
    expect((await db.query("SELECT count(*)::int AS n FROM t")).rows).toEqual([{ n: 0 }])
  })

  it("a cancel request on a side stream neither reaches the backend nor rolls back the live transaction", async () => {
    const live = PgliteStream.make(db)
    live.on("data", () => undefined)
    await send(live, startupMessage(), query("BEGIN"), query("INSERT INTO t VALUES (2)"))
    const side = PgliteStream.make(db)
    const ended = new Promise<void>((resolve) => side.once("end", () => resolve()))
    side.resume()
    const cancel = new Uint8Array(16)
    new DataView(cancel.buffer).setInt32(0, 16)
    new DataView(cancel.buffer).setInt32(4, 80877102)
    await send(side, cancel)
    await ended
    await new Promise<void>((resolve) => {
      side.once("close", () => resolve())
      side.destroy()
    })
    expect(db.isInTransaction()).toBe(true)
    await send(live, query("COMMIT"))
    expect((await db.query("SELECT count(*)::int AS n FROM t WHERE n = 2")).rows).toEqual([{ n: 1 }])
    live.destroy()
  })

  it("answers the client's messages in order, ending with ReadyForQuery", async () => {
    const stream = PgliteStream.make(db)
    const received: Array<Buffer> = []
    stream.on("data", (chunk: Buffer) => received.push(chunk))
    await send(stream, startupMessage(), query("SELECT 41 + 1 AS answer"))
    await new Promise((resolve) => setImmediate(resolve))
    const bytes = Buffer.concat(received)
    expect(bytes.includes(Buffer.from("answer"))).toBe(true)
    expect(bytes.includes(Buffer.from("42"))).toBe(true)
    expect(String.fromCharCode(bytes[bytes.length - 6]!)).toBe("Z")
    stream.destroy()
  })
})
