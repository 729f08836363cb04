import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import type * as Codes from "./Codes.ts"
import * as FinancialYear from "./FinancialYear.ts"
import * as Money from "./Money.ts"
import * as Organisation from "./Organisation.ts"
import * as PooledBudget from "./PooledBudget.ts"
import * as Registry from "./Registry.ts"

const code = (c: string) => c as Codes.BodyCode
const pounds = (text: string) => Money.parsePounds(text)!

const bcf: PooledBudget.PooledBudget = {
  id: "southwark-bcf-2015",
  name: "Southwark Better Care Fund",
  year: FinancialYear.make(2015),
  host: code("E09000028"),
  contributions: [
    { partner: code("08Q"), amount: pounds("19000000") },
    { partner: code("E09000028"), amount: pounds("3500000.50") }
  ],
  total: pounds("22500000.50"),
  scope: ["older people", "community care"],
  legalBasis: "better-care-fund",
  source: "southwark-2015 §13"
}

describe("PooledBudget", () => {
  it("a pool whose contributions add up to it is accepted", () => {
    expect(PooledBudget.validate(bcf)).toEqual([])
    expect(PooledBudget.contributed(bcf)).toBe(bcf.total)
  })

  it("contributions that are a penny short are a violation naming the partners", () => {
    const short = { ...bcf, total: Money.add(bcf.total, Money.pence(1)) }
    const violations = PooledBudget.validate(short)
    expect(violations).toHaveLength(1)
    expect(violations[0]).toMatchObject({ rule: "pool/contributions-sum", bodies: ["08Q", "E09000028"], dates: ["2015-04-01", "2016-03-31"] })
    expect(violations[0]!.message).toContain("difference -£0.01")
  })

  it("the host must be a partner, partners distinct, contributions positive, and two partners at least", () => {
    const bad: PooledBudget.PooledBudget = {
      ...bcf,
      host: code("E09000022"),
      contributions: [{ partner: code("08Q"), amount: pounds("-1") }, { partner: code("08Q"), amount: pounds("1") }],
      total: Money.zero
    }
    expect(PooledBudget.validate(bad).map((v) => [v.rule, v.bodies])).toEqual([
      ["pool/negative-contribution", ["08Q"]],
      ["pool/duplicate-partner", ["08Q"]],
      ["pool/single-partner", ["08Q"]],
      ["pool/host-not-partner", ["E09000022"]]
    ])
  })

  it("with a registry, every partner must be operational for the whole year", () => {
    const reg = Result.getOrThrow(
      Registry.make(
        Schema.decodeUnknownSync(Organisation.OrganisationData)({
          bodies: [
            { code: "08Q", name: "NHS Southwark CCG", kind: "clinical-commissioning-group", statutory: true, period: { opened: "2013-04-01", closed: "2020-04-01" } },
            { code: "E09000028", name: "Southwark", kind: "council", statutory: true, period: { opened: "1965-04-01" } }
          ],
          relationships: [],
          successions: []
        })
      )
    )
    expect(PooledBudget.validate(bcf, reg)).toEqual([])
    const late = { ...bcf, year: FinancialYear.make(2020) }
    expect(PooledBudget.validate(late, reg).map((v) => [v.rule, v.bodies])).toEqual([["pool/partner-not-operational", ["08Q"]]])
  })

  it("a pool built from shares always sums to the pool", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e13 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 8 }),
        (total, shares) => {
          const [first, ...rest] = shares.map((share, i) => ({ partner: code(`P${i}`), share }))
          const { contributions: _, ...fields } = bcf
          const pool = PooledBudget.fromShares({ ...fields, host: code("P0"), total: Money.pence(total) }, [first!, ...rest])
          expect(PooledBudget.contributed(pool)).toBe(pool.total)
          expect(PooledBudget.validate(pool)).toEqual([])
        }
      )
    )
  })
})
