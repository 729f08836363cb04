/**
 * Translates a canonical commissioning intention into the CBS `POST /v1/commissioning-intentions` body (one
 * intention per submission, identified by its reference and version) and the CBS receipt back into the hub's
 * submission acknowledgement.
 *
 * @since 0.1.0
 */
import type { CommissioningIntention, SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Money } from "@hub/domain"
import { Result, Schema } from "effect"

/**
 * The CBS word for each canonical intention.
 *
 * @category mapping
 * @since 0.1.0
 */
export const directionOf: Readonly<Record<CommissioningIntention.CommissioningIntention["intention"], string>> = {
  commission: "new-service",
  expand: "increase",
  reduce: "decrease",
  decommission: "decommission",
  retender: "re-procure"
}

/**
 * The request body for one intention.
 *
 * @category mapping
 * @since 0.1.0
 */
export const toRequestBody = (i: CommissioningIntention.CommissioningIntention): Record<string, unknown> => ({
  commissionerCode: i.commissionerCode,
  financialYear: i.financialYear,
  agreedOn: i.agreedOn,
  intentions: [
    {
      reference: i.reference,
      version: i.version,
      ...(i.providerCode === undefined ? {} : { providerOdsCode: i.providerCode }),
      service: i.service,
      direction: directionOf[i.intention],
      ...(i.indicativeValue === undefined ? {} : { plannedValue: Money.toPoundsString(i.indicativeValue) }),
      narrative: i.summary
    }
  ]
})

const Receipt = Schema.Struct({
  submissionId: Schema.NonEmptyString,
  receivedAt: Schema.NonEmptyString,
  status: Schema.Literal("received")
})

/**
 * The acknowledgement for a CBS `201` body (`duplicate` when the CBS replayed it for a known key), or what is
 * wrong with the body.
 *
 * @category mapping
 * @since 0.1.0
 */
export const toAcknowledgement = (
  kind: string,
  idempotencyKey: string,
  body: string,
  replayed: boolean
): Result.Result<SubmissionAcknowledgement.SubmissionAcknowledgement, string> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return Result.fail("the receipt is not valid JSON")
  }
  return Result.mapBoth(Schema.decodeUnknownResult(Receipt)(json), {
    onFailure: (e) => `the receipt does not decode: ${e.message}`,
    onSuccess: (r) => ({
      kind,
      submissionId: r.submissionId,
      idempotencyKey,
      // The CBS checks everything before it answers 201: received is accepted.
      status: "accepted" as const,
      receivedAt: r.receivedAt,
      duplicate: replayed,
      reasons: []
    })
  })
}
