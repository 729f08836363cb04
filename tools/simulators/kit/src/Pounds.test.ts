import fc from "fast-check"
import { expect, it } from "vitest"
import * as Pounds from "./Pounds.ts"

it("formatting then parsing gives back the same pence", () => {
  fc.assert(fc.property(fc.integer({ min: -(10 ** 14), max: 10 ** 14 }), (pence) => {
    expect(Pounds.toPence(Pounds.fromPence(pence))).toBe(pence)
  }))
})

it("parses pounds with zero, one or two decimals exactly", () => {
  expect(Pounds.toPence("1234.5")).toBe(123450)
  expect(Pounds.toPence("-0.05")).toBe(-5)
  expect(Pounds.toPence("7")).toBe(700)
  expect(Pounds.fromPence(-5)).toBe("-0.05")
})

it("refuses amounts that are not plain pounds", () => {
  for (const bad of ["", "1,234.00", "£12", "1.234", "n/a", "1e3", " 12", "12.", ".5", "--1"]) {
    expect(Pounds.toPence(bad)).toBeUndefined()
  }
})
