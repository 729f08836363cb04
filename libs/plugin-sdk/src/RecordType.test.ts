import { describe, expect, it } from "vitest"
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
