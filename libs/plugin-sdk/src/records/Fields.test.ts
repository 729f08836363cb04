import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { joinKey } from "./Fields.ts"

describe("joinKey", () => {
  it("different key parts never give the same key", () => {
    const parts = fc.array(fc.string({ unit: fc.constantFrom("a", "|", "\\", "1") }), { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b))
        expect(joinKey(a)).not.toBe(joinKey(b))
      })
    )
  })
})
