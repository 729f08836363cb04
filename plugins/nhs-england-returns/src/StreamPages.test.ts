import { AllocationLine, SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as StreamPages from "./StreamPages.ts"

const allocation = (overrides: Record<string, unknown> = {}) => ({
  allocationId: "NHSE-AL-2015-08Q-core-services",
  commissionerCode: "08Q",
  commissionerName: "NHS Southwark CCG",
  financialYear: "2015/16",
  allocationType: "core-services",
  amount: "401217000.00",
  publishedOn: "2014-12-17",
  ...overrides
})

const ack = (overrides: Record<string, unknown> = {}) => ({
  acknowledgementId: "NHSE-ACK-000001",
  sequence: 1,
  submissionId: "NHSE-FR-000001",
  kind: "financial-return",
  commissionerCode: "08Q",
  financialYear: "2015/16",
  month: "M6",
  version: 1,
  idempotencyKey: "k1",
  receivedAt: "2022-06-30T09:00:00Z",
  acknowledgedAt: "2022-06-30T09:00:01Z",
  outcome: "rejected",
  supersedes: null,
  reasons: [{ code: "TOTALS_MISMATCH", field: "totals.plan", message: "does not add up" }],
  warnings: [{ code: "RUNNING_COSTS_ABOVE_CAP", field: "lines[2].forecastOutturn", message: "over" }],
  ...overrides
})

const page = (data: ReadonlyArray<unknown>) => ({ data, nextCursor: "c1", hasMore: true })

describe("allocations", () => {
  it("map to allocation lines in exact pence; a bad amount is a rejection naming the API's field", () => {
    const p = StreamPages.toPage(page([allocation(), allocation({ allocationType: "running-costs", amount: "n/a", commissionerCode: "8q" })]), StreamPages.mapAllocation, AllocationLine.naturalKey)
    expect(p.records).toEqual([{ organisationCode: "08Q", financialYear: "2015/16", allocationType: "core-services", amount: 40121700000, publishedOn: "2014-12-17" }])
    expect(p.rejections).toHaveLength(1)
    expect(p.rejections[0]?.line).toBe(2)
    expect(p.rejections[0]?.problems.map((x) => x.field).sort()).toEqual(["amount", "commissionerCode"])
    expect([p.nextCursor, p.done]).toEqual(["c1", false])
  })

  it("a repeated allocation on one page is rejected as a duplicate", () => {
    const p = StreamPages.toPage(page([allocation(), allocation()]), StreamPages.mapAllocation, AllocationLine.naturalKey)
    expect([p.records.length, p.rejections.map((r) => r.line)]).toEqual([1, [2]])
  })
})

describe("acknowledgements", () => {
  it("map outcome to status and reasons and warnings to text", () => {
    expect(StreamPages.mapAcknowledgement(ack())).toEqual(Result.succeed({
      kind: "financial-return",
      submissionId: "NHSE-FR-000001",
      idempotencyKey: "k1",
      status: "rejected",
      receivedAt: "2022-06-30T09:00:00Z",
      duplicate: false,
      reasons: ["TOTALS_MISMATCH totals.plan: does not add up", "WARNING RUNNING_COSTS_ABOVE_CAP lines[2].forecastOutturn: over"]
    }))
  })

  it("an acknowledgement without an outcome, or of a submission made without a key, is rejected naming the field", () => {
    const { outcome: _o, ...noOutcome } = ack()
    const missing = StreamPages.mapAcknowledgement(noOutcome)
    expect(Result.isFailure(missing) && missing.failure.map((p) => p.field)).toEqual(["outcome"])
    const keyless = StreamPages.mapAcknowledgement(ack({ idempotencyKey: null }))
    expect(Result.isFailure(keyless) && keyless.failure.map((p) => p.field)).toEqual(["idempotencyKey"])
  })

  it("the page keys acknowledgements by kind and submission id", () => {
    const p = StreamPages.toPage(page([ack(), ack({ acknowledgementId: "NHSE-ACK-000002" })]), StreamPages.mapAcknowledgement, SubmissionAcknowledgement.naturalKey)
    expect([p.records.length, p.rejections.length]).toEqual([1, 1])
  })
})
