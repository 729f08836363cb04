import { Money } from "@hub/domain"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CouncilSpendLine from "./records/CouncilSpendLine.ts"
import * as RowMapping from "./RowMapping.ts"

const decodeSpend = RowMapping.decoderFor(CouncilSpendLine.CouncilSpendLine)

const good = {
  council: "manchester",
  source: "spend",
  line: 2,
  transactionNumber: "5101010974",
  paymentDate: "2019-01-02",
  amount: "7033.53",
  supplier: "Clearview Event Services Limited",
  markers: []
}

describe("RowMapping", () => {
  it("decodes a canonical record from its wire form (money to exact pence)", () => {
    const result = decodeSpend(good)
    if (Result.isFailure(result)) throw new Error(JSON.stringify(result.failure))
    expect(result.success.amount).toBe(Money.pence(703353))
  })

  it("names every bad field, not only the first", () => {
    const result = decodeSpend({ ...good, paymentDate: "2019-02-30", amount: "12.345", supplier: " " })
    if (Result.isSuccess(result)) throw new Error("expected problems")
    expect(result.failure.map((p) => p.field).sort()).toEqual(["amount", "paymentDate", "supplier"])
  })

  it("a batch keeps good rows and turns bad ones into rejections with line and raw", () => {
    const rows = [
      { line: 2, raw: "a,1", value: "1.00" },
      { line: 3, raw: "b,x", value: "x" },
      { line: 5, raw: "c,2", value: "2.50" }
    ]
    const batch = RowMapping.mapRows(rows, (row) => {
      const pence = Money.parsePounds(row.value)
      return pence === undefined ? RowMapping.problems({ field: "amount", reason: `not an amount: ${row.value}` }) : RowMapping.ok(pence)
    })
    expect(batch.records).toEqual([100, 250])
    expect(batch.rejections).toEqual([
      { line: 3, field: "amount", reason: "not an amount: x", raw: "b,x", problems: [{ field: "amount", reason: "not an amount: x" }] }
    ])
  })

  it("a mapper that throws loses one row, not the batch", () => {
    const batch = RowMapping.mapRows([{ line: 2, raw: "x" }, { line: 3, raw: "y" }], (row) => {
      if (row.raw === "x") throw new Error("boom")
      return RowMapping.ok(row.raw)
    })
    expect(batch.records).toEqual(["y"])
    expect(batch.rejections[0]).toMatchObject({ line: 2, field: "*", reason: "mapping failed: boom" })
  })

  it("natural keys cannot collide through the separator", () => {
    const a = Schema.decodeUnknownSync(CouncilSpendLine.CouncilSpendLine)({ ...good, council: "a|b", source: "c" })
    const b = Schema.decodeUnknownSync(CouncilSpendLine.CouncilSpendLine)({ ...good, council: "a", source: "b|c" })
    expect(CouncilSpendLine.naturalKey(a)).not.toBe(CouncilSpendLine.naturalKey(b))
  })
})

describe("RowMapping.jsonRows", () => {
  it("numbers JSON items by their position in the stream", () => {
    const rows = RowMapping.jsonRows([{ a: 1 }, { a: 2 }], 100)
    expect(rows.map((r) => [r.line, r.raw])).toEqual([
      [101, "{\"a\":1}"],
      [102, "{\"a\":2}"]
    ])
  })
})
