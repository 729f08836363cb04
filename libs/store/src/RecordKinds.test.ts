import type * as Sdk from "@hub/plugin-sdk"
import { describe, expect, expectTypeOf, it } from "vitest"
import * as RecordKinds from "./RecordKinds.ts"

describe("RecordKinds", () => {
  it("stores the plugin SDK's canonical records as they are (checked by the type checker)", () => {
    expectTypeOf<Sdk.CouncilSpendLine.CouncilSpendLine>().toExtend<RecordKinds.CouncilSpendLine>()
    expectTypeOf<Sdk.ContractActivityLine.ContractActivityLine>().toExtend<RecordKinds.ContractActivityLine>()
    expectTypeOf<Sdk.AllocationLine.AllocationLine>().toExtend<RecordKinds.AllocationLine>()
    expectTypeOf<Sdk.BudgetLine.BudgetLine>().toExtend<RecordKinds.BudgetLine>()
    expectTypeOf<Sdk.PooledFundStatement.PooledFundStatementLine>().toExtend<RecordKinds.PooledFundStatementLine>()
    expectTypeOf<Sdk.PooledFundStatement.PooledContribution>().toExtend<RecordKinds.PooledContribution>()
    expectTypeOf<Sdk.SubmissionAcknowledgement.SubmissionAcknowledgement>().toExtend<RecordKinds.SubmissionAcknowledgement>()
    expectTypeOf<Sdk.Contract.Contract>().toExtend<RecordKinds.Contract>()
    expectTypeOf<RecordKinds.RecordKind>().toExtend<Sdk.RecordType.RecordTypeName>()
    expectTypeOf<Sdk.Page.Rejection>().toExtend<import("./IngestRepo.ts").Rejection>()
  })

  it("knows which record type names have a table", () => {
    expect(RecordKinds.isRecordKind("council-spend-line")).toBe(true)
    expect(RecordKinds.isRecordKind("contract")).toBe(true)
    expect(RecordKinds.isRecordKind("financial-return")).toBe(false)
    expect(RecordKinds.isRecordKind("toString")).toBe(false)
  })

  it("every kind's natural key is made of its own columns", () => {
    for (const kind of RecordKinds.kinds) {
      const spec = RecordKinds.tables[kind]
      const columns = spec.columns.map((c) => c.column)
      expect(spec.key.filter((k) => !columns.includes(k)), kind).toEqual([])
      expect(new Set(columns).size, kind).toBe(columns.length)
    }
  })
})
