import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { encode, matches, memo } from "./JsonAnswer.ts"

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

/** A compute function that counts its calls. */
const counted = <A>(value: A) => {
  const calls = { count: 0 }
  const compute = () => {
    calls.count += 1
    return Result.succeed(value)
  }
  return { calls, compute }
}

describe("JsonAnswer.encode", () => {
  it("sends the bytes c.json sends (JSON.stringify, UTF-8), with a strong ETag of them", () => {
    const value = { name: "NHS Ealing PCT — Trust", n: 1.5, list: [null, true] }
    const answer = encode(value)
    expect(text(answer.body)).toBe(JSON.stringify(value))
    expect(answer.headers).toEqual({ "content-type": "application/json", etag: answer.etag })
    expect(answer.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/u)
    expect(encode({ ...value }).etag).toBe(answer.etag)
    expect(encode({ ...value, n: 2 }).etag).not.toBe(answer.etag)
  })
})

describe("JsonAnswer.memo", () => {
  it("computes and encodes a key once per source, and answers the same bytes after", () => {
    const answers = memo(4)
    const source = {}
    const { calls, compute } = counted({ a: 1 })
    const first = answers.get(source, "k", compute)
    const second = answers.get(source, "k", compute)
    expect(calls.count).toBe(1)
    expect(Result.isSuccess(first) && Result.isSuccess(second) && first.success === second.success).toBe(true)
    expect(Result.isSuccess(first) && text(first.success.body)).toBe('{"a":1}')
  })

  it("keeps different keys apart", () => {
    const answers = memo(4)
    const source = {}
    const a = answers.get(source, "5LE/2010-07-15", () => Result.succeed({ asOf: "2010-07-15" }))
    const b = answers.get(source, "5LE/2014-07-15", () => Result.succeed({ asOf: "2014-07-15" }))
    expect(Result.isSuccess(a) && text(a.success.body)).toBe('{"asOf":"2010-07-15"}')
    expect(Result.isSuccess(b) && text(b.success.body)).toBe('{"asOf":"2014-07-15"}')
  })

  it("stays bounded, dropping the least recently used answer", () => {
    const answers = memo(3)
    const source = {}
    const computes = new Map<string, number>()
    const get = (key: string) =>
      answers.get(source, key, () => {
        computes.set(key, (computes.get(key) ?? 0) + 1)
        return Result.succeed(key)
      })
    for (const key of ["a", "b", "c"]) get(key)
    get("a") // now the most recently used: "b" is the oldest
    get("d")
    expect(answers.size(source)).toBe(3)
    get("a")
    get("c")
    expect(computes.get("a")).toBe(1)
    expect(computes.get("c")).toBe(1)
    get("b")
    expect(computes.get("b")).toBe(2)
    for (let i = 0; i < 50; i++) get(`k${i}`)
    expect(answers.size(source)).toBe(3)
  })

  it("never keeps a failure: it is computed again", () => {
    const answers = memo(4)
    const source = {}
    let calls = 0
    const failing = () => {
      calls += 1
      return Result.fail("not found")
    }
    expect(answers.get(source, "k", failing)).toEqual(Result.fail("not found"))
    expect(answers.get(source, "k", failing)).toEqual(Result.fail("not found"))
    expect(calls).toBe(2)
    expect(answers.size(source)).toBe(0)
  })

  it("starts afresh for a new source (reloaded data), without touching the old one's answers", () => {
    const answers = memo(4)
    const before = {}
    const after = {}
    const old = counted({ name: "old" })
    const fresh = counted({ name: "new" })
    answers.get(before, "k", old.compute)
    const reloaded = answers.get(after, "k", fresh.compute)
    expect(Result.isSuccess(reloaded) && text(reloaded.success.body)).toBe('{"name":"new"}')
    const kept = answers.get(before, "k", old.compute)
    expect(Result.isSuccess(kept) && text(kept.success.body)).toBe('{"name":"old"}')
    expect([old.calls.count, fresh.calls.count]).toEqual([1, 1])
  })
})

describe("JsonAnswer.matches", () => {
  const etag = '"abc"'
  it("matches the tag itself, its weak form, a list holding it, and *", () => {
    expect(matches('"abc"', etag)).toBe(true)
    expect(matches('W/"abc"', etag)).toBe(true)
    expect(matches('"x", W/"abc" ,"y"', etag)).toBe(true)
    expect(matches("*", etag)).toBe(true)
  })

  it("does not match other tags or an unquoted value", () => {
    expect(matches('"abd"', etag)).toBe(false)
    expect(matches("abc", etag)).toBe(false)
    expect(matches('"x", "y"', etag)).toBe(false)
  })
})
