import fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Money from "./Money.ts"

describe("Money", () => {
  it("parses decimal pounds into exact pence", () => {
    expect(Money.parsePounds("1234.56")).toBe(123456)
    expect(Money.parsePounds("0.1")).toBe(10)
    expect(Money.parsePounds("-12.05")).toBe(-1205)
    expect(Money.parsePounds("12.345")).toBeUndefined()
    expect(Money.parsePounds("£12")).toBeUndefined()
  })

  it("the pounds string round-trips through the schema", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        const text = Schema.encodeSync(Money.PoundsString)(Money.pence(n))
        expect(Schema.decodeUnknownSync(Money.PoundsString)(text)).toBe(n)
      })
    )
  })
})

describe("Money arithmetic and allocation", () => {
  const amount = fc.integer({ min: -1e13, max: 1e13 }).map(Money.pence)
  const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0))

  it("sums are exact where floating point would drift", () => {
    const tenPence = Array.from({ length: 1000 }, () => Money.pence(10))
    expect(Money.sum(tenPence)).toBe(10_000)
    expect(Money.add(Money.parsePounds("0.1")!, Money.parsePounds("0.2")!)).toBe(Money.parsePounds("0.3"))
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 50 }), (xs) => {
        expect(BigInt(Money.sum(xs))).toBe(xs.reduce((a, b) => a + BigInt(b), 0n))
      })
    )
  })

  it("allocation never loses or invents a penny and keeps each part within 1p of its exact share", () => {
    fc.assert(
      fc.property(amount, weights, (total, ws) => {
        const parts = Money.allocate(total, ws)
        expect(parts).toHaveLength(ws.length)
        expect(Money.sum(parts)).toBe(total)
        const totalWeight = BigInt(ws.reduce((a, b) => a + b, 0))
        parts.forEach((part, i) => {
          // |part * W - total * w| <= W  <=>  |part - exact share| <= 1p
          const diff = BigInt(part) * totalWeight - BigInt(total) * BigInt(ws[i]!)
          expect(diff <= totalWeight && diff >= -totalWeight).toBe(true)
          if (ws[i] === 0) expect(part).toBe(0)
        })
      })
    )
  })

  it("ties go to the earlier part, and a negative total is split like its magnitude", () => {
    expect(Money.allocate(Money.pence(100), [1, 1, 1])).toEqual([34, 33, 33])
    expect(Money.allocate(Money.pence(-100), [1, 1, 1])).toEqual([-34, -33, -33])
    expect(Money.allocate(Money.pence(5), [1, 2])).toEqual([2, 3])
    expect(Money.splitEvenly(Money.pence(1_000_000_01), 12).slice(0, 2)).toEqual([8_333_334, 8_333_334])
  })

  it("rejects weights that cannot split anything", () => {
    expect(() => Money.allocate(Money.pence(100), [])).toThrow(/empty or all zero/)
    expect(() => Money.allocate(Money.pence(100), [0, 0])).toThrow(/empty or all zero/)
    expect(() => Money.allocate(Money.pence(100), [1, -1])).toThrow(/weight 1 is negative/)
    expect(() => Money.allocate(Money.pence(100), [0.5])).toThrow(/whole number/)
  })

  it("rounds rationals half away from zero", () => {
    expect(Money.fromRational(5n, 2n)).toBe(3)
    expect(Money.fromRational(-5n, 2n)).toBe(-3)
    expect(Money.fromRational(7n, 3n)).toBe(2)
    expect(Money.fromRational(8n, -3n)).toBe(-3)
    expect(Money.multiply(Money.pence(-125), 12)).toBe(-1500)
  })

  it("formats pounds the UK way, with brackets for negatives in finance presentation", () => {
    expect(Money.format(Money.pence(123456))).toBe("£1,234.56")
    expect(Money.format(Money.pence(-123456))).toBe("-£1,234.56")
    expect(Money.formatFinance(Money.pence(-123456))).toBe("(£1,234.56)")
    expect(Money.formatFinance(Money.pence(123456))).toBe("£1,234.56")
    expect(Money.format(Money.pence(5))).toBe("£0.05")
    expect(Money.format(Money.pence(123456789012))).toBe("£1,234,567,890.12")
    expect(Money.format(Money.pence(100000))).toBe("£1,000.00")
  })
})
