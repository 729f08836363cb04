/**
 * Translates the hub's canonical financial returns and co-commissioning declarations into the NHS England
 * request bodies, and the `202` receipt into a pending submission acknowledgement (the outcome arrives later on
 * the `acknowledgements` stream).
 *
 * @since 0.1.0
 */
import type { CoCommissioningDeclaration, FinancialReturn, SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Money } from "@hub/domain"
import { Result, Schema } from "effect"

/**
 * The line codes NHS England's return template knows (`FinancialReturnLine.code`).
 *
 * @category constants
 * @since 0.1.0
 */
export const lineCodes: ReadonlyArray<string> = [
  "acute",
  "mental-health",
  "community",
  "continuing-care",
  "primary-care",
  "prescribing",
  "other-programme",
  "running-costs"
]

/**
 * The request body for a financial return, or the reasons NHS England would refuse its shape (unknown or
 * repeated line codes). Totals are the sums of the lines; the allocation is the planned total.
 *
 * @category mapping
 * @since 0.1.0
 */
export const financialReturnBody = (r: FinancialReturn.FinancialReturn): Result.Result<Record<string, unknown>, ReadonlyArray<string>> => {
  const reasons: Array<string> = []
  const seen = new Set<string>()
  r.lines.forEach((line, i) => {
    if (!lineCodes.includes(line.code)) reasons.push(`lines.${i}.code: ${JSON.stringify(line.code)} is not a line of the return (${lineCodes.join(", ")})`)
    else if (seen.has(line.code)) reasons.push(`lines.${i}.code: ${JSON.stringify(line.code)} appears twice`)
    seen.add(line.code)
  })
  if (reasons.length > 0) return Result.fail(reasons)
  const sum = (pick: (l: FinancialReturn.FinancialReturn["lines"][number]) => Money.Pence): string =>
    Money.toPoundsString(r.lines.reduce((acc, l) => acc + pick(l), 0) as Money.Pence)
  const plan = sum((l) => l.plan)
  return Result.succeed({
    commissionerCode: r.organisationCode,
    financialYear: r.financialYear,
    month: `M${r.month}`,
    version: r.version,
    allocation: plan,
    lines: r.lines.map((l) => ({
      category: l.code,
      plan: Money.toPoundsString(l.plan),
      actualYearToDate: Money.toPoundsString(l.actualToDate),
      forecastOutturn: Money.toPoundsString(l.forecastOutturn)
    })),
    totals: { plan, actualYearToDate: sum((l) => l.actualToDate), forecastOutturn: sum((l) => l.forecastOutturn) }
  })
}

const levelOf: Readonly<Record<CoCommissioningDeclaration.CoCommissioningDeclaration["level"], string>> = {
  "greater-involvement": "greater-involvement",
  joint: "joint-commissioning",
  delegated: "delegated-commissioning"
}

/**
 * The request body for a declaration: the level takes effect on 1 April of its year; `declaredOn` is the
 * approval date.
 *
 * @category mapping
 * @since 0.1.0
 */
export const declarationBody = (d: CoCommissioningDeclaration.CoCommissioningDeclaration): Record<string, unknown> => ({
  commissionerCode: d.ccgCode,
  financialYear: d.financialYear,
  level: levelOf[d.level],
  effectiveFrom: `${d.financialYear.slice(0, 4)}-04-01`,
  approvedOn: d.declaredOn,
  version: d.version
})

const Receipt = Schema.Struct({
  submissionId: Schema.NonEmptyString,
  receivedAt: Schema.NonEmptyString,
  status: Schema.Literals(["pending", "accepted", "rejected", "superseded"])
})

/**
 * The acknowledgement for a `202` body: `pending` until the `acknowledgements` stream says otherwise (a replay
 * of a known key may already carry the outcome).
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
      status: r.status === "rejected" ? "rejected" as const : r.status === "pending" ? "pending" as const : "accepted" as const,
      receivedAt: r.receivedAt,
      duplicate: replayed,
      reasons: []
    })
  })
}
