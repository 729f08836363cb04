import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CouncilSpendLine from "./records/CouncilSpendLine.ts"
import * as RecordType from "./RecordType.ts"
import * as RowMapping from "./RowMapping.ts"

describe("RecordType", () => {
  it("every record type decodes a batch into records and rejections naming line and field", () => {
    const allocations = RecordType.get("allocation-line")
    const items = [
      { organisationCode: "08Q", financialYear: "2015/16", allocationType: "programme", amount: "412345678.00", publishedOn: "2015-04-01" },
      { organisationCode: "08q", financialYear: "2015/17", allocationType: "programme", amount: "1.5p", publishedOn: "2015-04-01" }
    ]
    const batch = allocations.mapRows(RowMapping.jsonRows(items).map((r) => ({ ...r, candidate: r.item })))
    expect(batch.records).toHaveLength(1)
    expect(batch.records[0]?.amount).toBe(41234567800)
    expect(allocations.naturalKey(batch.records[0] as (typeof batch.records)[number])).toBe("08Q|2015/16|programme")
    expect(batch.rejections[0]?.line).toBe(2)
    expect(batch.rejections[0]?.problems.map((p) => p.field).sort()).toEqual(["amount", "financialYear", "organisationCode"])
  })

  it("the registry names every record type once, under its own name", () => {
    for (const name of RecordType.RecordTypeName.literals) expect(RecordType.recordTypes[name].name).toBe(name)
  })
})

describe("council-spend-line's fast check", () => {
  const decodeType = Schema.decodeUnknownResult(Schema.toType(CouncilSpendLine.CouncilSpendLine))
  const text = fc.oneof(fc.constantFrom("", " ", "\t", "\u00A0", "\uFEFF", "a", " b "), fc.string({ maxLength: 6 }))
  const valid = fc.record(
    {
      council: fc.constantFrom("manchester", "gla"),
      source: fc.constantFrom("spend-2019-01", "s"),
      line: fc.integer({ min: 1, max: 1_000_000 }),
      transactionNumber: fc.constantFrom("5101010974", "line-7", "T1"),
      paymentDate: fc.constantFrom("2019-01-02", "2020-02-29", "1999-12-31"),
      amount: fc.integer({ min: -1e12, max: 1e12 }),
      supplier: fc.constantFrom("Acme Ltd", "'=HYPERLINK(1)", "Ü"),
      bodyName: fc.string({ maxLength: 4 }),
      description: fc.string({ maxLength: 4 }),
      markers: fc.array(fc.constantFrom("formula:supplier", "formula:service"), { maxLength: 2 })
    },
    { requiredKeys: ["council", "source", "line", "transactionNumber", "paymentDate", "amount", "supplier", "markers"], noNullPrototype: true }
  )
  // One field replaced by something that may or may not be valid: blanks, bad dates, unsafe or fractional
  // numbers, wrong types, extra keys, a missing key.
  const junk = fc.oneof(
    text,
    fc.constantFrom("2019-02-29", "2019-13-01", "2019-1-2", "02/01/2019", 0, -1, 1.5, 2 ** 53, Number.NaN, null, undefined, true),
    fc.integer(),
    fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { maxLength: 2 })
  )
  const key = fc.constantFrom("council", "source", "line", "transactionNumber", "paymentDate", "amount", "supplier", "service", "markers", "extra")
  const candidate = fc.oneof(
    valid,
    fc.tuple(valid, key, junk).map(([record, k, value]) => ({ ...record, [k]: value })),
    fc.tuple(valid, key).map(([record, k]) => Object.fromEntries(Object.entries(record).filter(([name]) => name !== k)))
  )

  it("says valid only for records the schema accepts unchanged, and for every well-formed line", () => {
    let fast = 0
    fc.assert(
      fc.property(candidate, (record) => {
        const decoded = decodeType(record)
        if (CouncilSpendLine.isValidDecoded(record)) {
          fast++
          expect(Result.isSuccess(decoded)).toBe(true)
          if (Result.isSuccess(decoded)) expect(decoded.success).toStrictEqual(record)
        }
      }),
      { numRuns: 3000 }
    )
    fc.assert(fc.property(valid, (record) => CouncilSpendLine.isValidDecoded(record)), { numRuns: 500 })
    expect(fast).toBeGreaterThan(500)
  })

  it("the record type's check gives the schema's field problems for what the fast check declines", () => {
    const check = RecordType.get("council-spend-line").check
    const good = { council: "m", source: "s", line: 2, transactionNumber: "T1", paymentDate: "2019-01-02", amount: 100, supplier: "X", markers: [] }
    expect(Result.isSuccess(check(good))).toBe(true)
    const bad = check({ ...good, paymentDate: "2019-02-30", supplier: " ", line: 0 })
    if (Result.isSuccess(bad)) throw new Error("expected problems")
    expect(bad.failure.map((p) => p.field).sort()).toEqual(["line", "paymentDate", "supplier"])
  })
})
