import fc from "fast-check"
import { expect, it } from "vitest"
import * as Cursor from "./Cursor.ts"

it("a cursor decodes to the state it was made from", () => {
  fc.assert(fc.property(fc.jsonValue(), (state) => {
    expect(Cursor.decode(Cursor.encode(state))).toEqual(JSON.parse(JSON.stringify(state)))
  }))
})

it("a cursor is opaque URL-safe text", () => {
  expect(Cursor.encode({ offset: 100, seed: 1 })).toMatch(/^[A-Za-z0-9_-]+$/)
})

it("text that is not a cursor decodes to undefined", () => {
  expect(Cursor.decode("not a cursor!")).toBeUndefined()
  expect(Cursor.decode("")).toBeUndefined()
  expect(Cursor.decode(Buffer.from("{oops", "utf8").toString("base64url"))).toBeUndefined()
})
