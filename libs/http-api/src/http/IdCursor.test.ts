import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CursorParam, decode, encode } from "./IdCursor.ts"
import { Schema } from "effect"

describe("IdCursor", () => {
  it("decodes what it encodes, for any safe id, and the cursor is a valid query parameter", () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (id) => {
        const cursor = encode("audit", id)
        expect(decode("audit", cursor)).toBe(id)
        expect(Schema.is(CursorParam)(cursor)).toBe(true)
      })
    )
  })

  it("refuses a cursor of another list, and text that is not a cursor", () => {
    expect(decode("audit", encode("quarantine", 5))).toBeUndefined()
    for (const text of ["", "abc", Buffer.from("audit:-1").toString("base64url"), Buffer.from("audit:01").toString("base64url")]) {
      expect(decode("audit", text)).toBeUndefined()
    }
  })
})
