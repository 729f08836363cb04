import { CoCommissioningDeclaration, FinancialReturn } from "@hub/plugin-sdk"
import { Result, Schema } from "effect"
import { expect, it } from "vitest"
import * as SubmissionRequest from "./SubmissionRequest.ts"

const decodeReturn = Schema.decodeUnknownSync(FinancialReturn.FinancialReturn)
const decodeDeclaration = Schema.decodeUnknownSync(CoCommissioningDeclaration.CoCommissioningDeclaration)

it("a financial return becomes the NHS England body with totals and allocation summed exactly", () => {
  const r = decodeReturn({
    organisationCode: "08Q",
    financialYear: "2015/16",
    month: 10,
    version: 2,
    lines: [
      { code: "acute", plan: "0.10", actualToDate: "0.05", forecastOutturn: "0.10" },
      { code: "running-costs", plan: "0.20", actualToDate: "0.05", forecastOutturn: "0.21" }
    ]
  })
  expect(SubmissionRequest.financialReturnBody(r)).toEqual(Result.succeed({
    commissionerCode: "08Q",
    financialYear: "2015/16",
    month: "M10",
    version: 2,
    allocation: "0.30",
    lines: [
      { category: "acute", plan: "0.10", actualYearToDate: "0.05", forecastOutturn: "0.10" },
      { category: "running-costs", plan: "0.20", actualYearToDate: "0.05", forecastOutturn: "0.21" }
    ],
    totals: { plan: "0.30", actualYearToDate: "0.10", forecastOutturn: "0.31" }
  }))
})

it("unknown or repeated line codes are refused, naming the line", () => {
  const r = decodeReturn({
    organisationCode: "08Q",
    financialYear: "2015/16",
    month: 1,
    version: 1,
    lines: [
      { code: "acute", plan: "1", actualToDate: "1", forecastOutturn: "1" },
      { code: "acute", plan: "1", actualToDate: "1", forecastOutturn: "1" },
      { code: "catering", plan: "1", actualToDate: "1", forecastOutturn: "1" }
    ]
  })
  const body = SubmissionRequest.financialReturnBody(r)
  expect(Result.isFailure(body) && body.failure.map((m) => m.split(":")[0])).toEqual(["lines.1.code", "lines.2.code"])
})

it("a declaration takes effect on 1 April of its year, in NHS England's level names", () => {
  const d = decodeDeclaration({ ccgCode: "08Q", financialYear: "2016/17", level: "delegated", declaredOn: "2016-02-01", version: 1 })
  expect(SubmissionRequest.declarationBody(d)).toEqual({
    commissionerCode: "08Q",
    financialYear: "2016/17",
    level: "delegated-commissioning",
    effectiveFrom: "2016-04-01",
    approvedOn: "2016-02-01",
    version: 1
  })
})

it("a 202 receipt is a pending acknowledgement", () => {
  const body = JSON.stringify({ submissionId: "NHSE-CC-000001", status: "pending", receivedAt: "2022-06-30T09:00:00Z", version: 1 })
  expect(SubmissionRequest.toAcknowledgement("co-commissioning-declaration", "k", body, false)).toEqual(Result.succeed({
    kind: "co-commissioning-declaration",
    submissionId: "NHSE-CC-000001",
    idempotencyKey: "k",
    status: "pending",
    receivedAt: "2022-06-30T09:00:00Z",
    duplicate: false,
    reasons: []
  }))
})
