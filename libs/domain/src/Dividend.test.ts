import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import type * as Codes from "./Codes.ts"
import * as Dividend from "./Dividend.ts"
import * as Money from "./Money.ts"

const code = (c: string) => c as Codes.BodyCode

const protocol: Dividend.Protocol = {
  id: "sutton-merton-acute-dividend",
  shares: [
    { partner: code("5M7"), share: 50 },
    { partner: code("E09000029"), share: 25 },
    { partner: code("E09000024"), share: 25 }
  ],
  source: "london-councils-2009 App. 2"
}

describe("Dividend (london-councils-2009 App. 2)", () => {
  it("splits savings by the agreed shares, exact to the penny", () => {
    const split = Result.getOrThrow(Dividend.share(protocol, Money.parsePounds("1000000.01")!))
    expect(split.map((s) => [s.partner, Money.format(s.amount)])).toEqual([
      ["5M7", "£500,000.01"],
      ["E09000029", "£250,000.00"],
      ["E09000024", "£250,000.00"]
    ])
  })

  it("an odd penny between equal shares goes to the partner listed first", () => {
    const equal = { ...protocol, shares: [{ partner: code("A"), share: 1 }, { partner: code("B"), share: 1 }] as const }
    expect(Result.getOrThrow(Dividend.share(equal, Money.pence(3))).map((s) => s.amount)).toEqual([2, 1])
  })

  it("a protocol with a negative share or a duplicate partner is rejected with violations naming them", () => {
    const bad = { ...protocol, shares: [{ partner: code("A"), share: -1 }, { partner: code("A"), share: 0 }] as const }
    const result = Dividend.share(bad, Money.pence(100))
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure.violations.map((v) => [v.rule, v.bodies])).toEqual([
        ["dividend/negative-share", ["A"]],
        ["dividend/duplicate-partner", ["A"]],
        ["dividend/no-positive-share", ["A"]]
      ])
      expect(result.failure.violations[0]!.source).toBe("london-councils-2009 App. 2")
    }
  })

  it("the partners' dividends always add up to the savings", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }), (savings, weights) => {
        fc.pre(weights.some((w) => w > 0))
        const shares = weights.map((share, i) => ({ partner: code(`P${i}`), share }))
        const split = Result.getOrThrow(Dividend.share({ id: "p", shares: shares as [Dividend.Share, ...Array<Dividend.Share>] }, Money.pence(savings)))
        expect(Money.sum(split.map((s) => s.amount))).toBe(savings)
      })
    )
  })
})
