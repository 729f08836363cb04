import fc from "fast-check"
import { expect, it } from "vitest"
import * as SeededRandom from "./SeededRandom.ts"

const draw = (rng: SeededRandom.SeededRandom, n: number) => Array.from({ length: n }, () => rng.next())

it("the same seed and key give the same sequence", () => {
  fc.assert(
    fc.property(fc.nat(), fc.string(), (seed, key) => {
      expect(draw(SeededRandom.make(seed, key), 20)).toEqual(draw(SeededRandom.make(seed, key), 20))
    })
  )
})

it("different seeds or keys give different sequences", () => {
  expect(draw(SeededRandom.make(1), 5)).not.toEqual(draw(SeededRandom.make(2), 5))
  expect(draw(SeededRandom.make(1, "row:1"), 5)).not.toEqual(draw(SeededRandom.make(1, "row:2"), 5))
})

it("int stays within its inclusive bounds and reaches both ends", () => {
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 20 }), (seed, min, width) => {
      const rng = SeededRandom.make(seed)
      const values = Array.from({ length: 200 }, () => rng.int(min, min + width))
      expect(values.every((v) => Number.isInteger(v) && v >= min && v <= min + width)).toBe(true)
    })
  )
  const rng = SeededRandom.make(7)
  const seen = new Set(Array.from({ length: 500 }, () => rng.int(1, 3)))
  expect([...seen].sort()).toEqual([1, 2, 3])
})

it("next is in [0, 1) and roughly uniform", () => {
  const values = draw(SeededRandom.make(42), 10_000)
  expect(values.every((v) => v >= 0 && v < 1)).toBe(true)
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  expect(mean).toBeGreaterThan(0.48)
  expect(mean).toBeLessThan(0.52)
})

it("an empty pick or an inverted range is refused", () => {
  expect(() => SeededRandom.make(1).pick([])).toThrow(/empty/)
  expect(() => SeededRandom.make(1).int(3, 1)).toThrow(/\[3, 1\]/)
})
