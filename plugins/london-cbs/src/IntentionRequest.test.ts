import { CommissioningIntention } from "@hub/plugin-sdk"
import { Result, Schema } from "effect"
import { expect, it } from "vitest"
import * as IntentionRequest from "./IntentionRequest.ts"

const decode = Schema.decodeUnknownSync(CommissioningIntention.CommissioningIntention)

it("an intention becomes a one-line CBS submission in the CBS's words", () => {
  const intention = decode({
    reference: "SE-ORTHO-01",
    version: 2,
    commissionerCode: "5LE",
    providerCode: "RJ1",
    financialYear: "2012/13",
    service: "Elective orthopaedics",
    intention: "retender",
    summary: "Re-procure the service",
    indicativeValue: "1000.5",
    agreedOn: "2011-12-14"
  })
  expect(IntentionRequest.toRequestBody(intention)).toEqual({
    commissionerCode: "5LE",
    financialYear: "2012/13",
    agreedOn: "2011-12-14",
    intentions: [{
      reference: "SE-ORTHO-01",
      version: 2,
      providerOdsCode: "RJ1",
      service: "Elective orthopaedics",
      direction: "re-procure",
      plannedValue: "1000.50",
      narrative: "Re-procure the service"
    }]
  })
})

it("every canonical intention has a CBS direction", () => {
  expect(Object.keys(IntentionRequest.directionOf).sort()).toEqual(["commission", "decommission", "expand", "reduce", "retender"])
})

it("a 201 receipt becomes an accepted acknowledgement; a replay is marked duplicate; a bad body is an error", () => {
  const body = JSON.stringify({ submissionId: "LCBS-CI-000001", receivedAt: "2012-01-09T09:00:00Z", status: "received", intentions: [] })
  expect(IntentionRequest.toAcknowledgement("commissioning-intentions", "k", body, true)).toEqual(Result.succeed({
    kind: "commissioning-intentions",
    submissionId: "LCBS-CI-000001",
    idempotencyKey: "k",
    status: "accepted",
    receivedAt: "2012-01-09T09:00:00Z",
    duplicate: true,
    reasons: []
  }))
  expect(Result.isFailure(IntentionRequest.toAcknowledgement("commissioning-intentions", "k", "{}", false))).toBe(true)
  expect(IntentionRequest.toAcknowledgement("commissioning-intentions", "k", "<html>", false)).toEqual(Result.fail("the receipt is not valid JSON"))
})
