/**
 * `POST /v1/commissioning-intentions`: the body's schema (shape errors → 400), the CBS's business rules
 * (refusals → 422, all listed) and the register of received intentions, where a later submission of the same
 * reference (commissioner, year) is a new version superseding the previous one.
 *
 * @since 0.1.0
 */
import { Pounds } from "@hub/simulator-kit"
import { Schema } from "effect"
import { isoSeconds, parseFinancialYear } from "./Dataset.ts"
import { commissionersByCode, trustsByCode } from "./ReferenceData.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

const Money = Schema.String.check(Schema.makeFilter(Pounds.isPounds, { expected: "an amount in pounds such as 1234.56" }))

const isCalendarDate = (text: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text)
  if (m === null) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days
}

const CalendarDate = Schema.String.check(Schema.makeFilter(isCalendarDate, { expected: "a date such as 2011-12-14" }))
const FinancialYear = Schema.String.check(
  Schema.makeFilter((s: string) => parseFinancialYear(s) !== undefined, { expected: "a financial year such as 2012/13" })
)

/**
 * @category schemas
 * @since 0.1.0
 */
export const PointOfDelivery = Schema.Literals(["EL", "NEL", "DC", "OPFA", "OPFUP", "AE", "MHCC", "CHS", "AMB", "SPEC"])

/**
 * One intention.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Intention = Schema.Struct({
  reference: Schema.NonEmptyString.check(Schema.isMaxLength(100)),
  version: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  providerOdsCode: Schema.optionalKey(Schema.NonEmptyString),
  service: Schema.NonEmptyString.check(Schema.isMaxLength(200)),
  pointOfDelivery: Schema.optionalKey(PointOfDelivery),
  specialtyCode: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^\d{3}$/u))),
  direction: Schema.Literals(["new-service", "increase", "decrease", "decommission", "re-procure", "maintain"]),
  activityChangePercent: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^-?\d{1,3}(?:\.\d{1,2})?$/u))),
  plannedValue: Schema.optionalKey(Money),
  narrative: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000)))
})

/**
 * The request body.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IntentionsSubmission = Schema.Struct({
  commissionerCode: Schema.NonEmptyString,
  financialYear: FinancialYear,
  agreedBy: Schema.optionalKey(Schema.NonEmptyString),
  agreedOn: CalendarDate,
  intentions: Schema.Array(Intention).check(Schema.isMinLength(1), Schema.isMaxLength(5000))
})

/**
 * @category models
 * @since 0.1.0
 */
export type IntentionsSubmission = typeof IntentionsSubmission.Type

/**
 * Shape errors the schema cannot express: a reference given twice in one submission.
 *
 * @category rules
 * @since 0.1.0
 */
export const duplicateReferences = (s: IntentionsSubmission): ReadonlyArray<FieldError> => {
  const seen = new Set<string>()
  const out: Array<FieldError> = []
  s.intentions.forEach((line, i) => {
    if (seen.has(line.reference)) out.push({ field: `intentions[${i}].reference`, message: `reference "${line.reference}" appears twice` })
    seen.add(line.reference)
  })
  return out
}

/**
 * One intention as received.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReceivedIntention {
  readonly reference: string
  readonly version: number
  readonly intentionId: string
  readonly supersedes: string | null
}

/**
 * The `201` body.
 *
 * @category models
 * @since 0.1.0
 */
export interface Receipt {
  readonly submissionId: string
  readonly commissionerCode: string
  readonly financialYear: string
  readonly receivedAt: string
  readonly status: "received"
  readonly lineCount: number
  readonly totalPlannedValue: string
  readonly intentions: ReadonlyArray<ReceivedIntention>
}

/**
 * A field and what is wrong with it.
 *
 * @category models
 * @since 0.1.0
 */
export interface FieldError {
  readonly field: string
  readonly message: string
}

// ---------------------------------------------------------------------------------------------------------
// rules
// ---------------------------------------------------------------------------------------------------------

/**
 * The CBS's refusals of a well-formed submission, each naming its field; empty when it is acceptable.
 * `latestVersion(commissioner, year, reference)` is the latest version already received.
 *
 * @category rules
 * @since 0.1.0
 */
export const refusals = (
  s: IntentionsSubmission,
  latestVersion: (reference: string) => number | undefined
): ReadonlyArray<FieldError> => {
  const out: Array<FieldError> = []
  const year = parseFinancialYear(s.financialYear) as number
  const commissioner = commissionersByCode.get(s.commissionerCode)
  if (commissioner === undefined) {
    out.push({ field: "commissionerCode", message: `unknown commissioner "${s.commissionerCode}"` })
  } else if (year < commissioner.firstYear || year > commissioner.lastYear) {
    out.push({ field: "commissionerCode", message: `${s.commissionerCode} (${commissioner.name}) did not commission in ${s.financialYear}` })
  }
  if (s.agreedOn > `${year}-04-01`) {
    out.push({ field: "agreedOn", message: `intentions for ${s.financialYear} must be agreed by ${year}-04-01, not ${s.agreedOn}` })
  }
  s.intentions.forEach((line, i) => {
    if (line.providerOdsCode !== undefined && !trustsByCode.has(line.providerOdsCode)) {
      out.push({ field: `intentions[${i}].providerOdsCode`, message: `unknown provider "${line.providerOdsCode}"` })
    }
    const latest = latestVersion(line.reference)
    if (line.version !== undefined && latest !== undefined && line.version < latest) {
      out.push({ field: `intentions[${i}].version`, message: `version ${line.version} of "${line.reference}" is older than version ${latest}, already received` })
    }
  })
  return out
}

// ---------------------------------------------------------------------------------------------------------
// register
// ---------------------------------------------------------------------------------------------------------

/**
 * A received submission with each intention's current status.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredSubmission extends Omit<Receipt, "intentions"> {
  readonly intentions: ReadonlyArray<ReceivedIntention & { readonly status: "received" | "superseded" }>
  readonly submission: IntentionsSubmission
}

/**
 * The received intentions.
 *
 * @category models
 * @since 0.1.0
 */
export interface IntentionsRegister {
  /** The latest version received of a reference. */
  readonly latestVersion: (commissionerCode: string, financialYear: string, reference: string) => number | undefined
  /** Records an acceptable submission. */
  readonly receive: (s: IntentionsSubmission) => Receipt
  readonly get: (submissionId: string) => StoredSubmission | undefined
  readonly reset: () => void
}

/** Receipts are stamped by a logical clock: the simulator never reads the wall clock. */
const clockStartMs = Date.UTC(2012, 0, 9, 9, 0, 0)

/**
 * An empty register.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeRegister = (): IntentionsRegister => {
  let submissions = new Map<string, { receipt: Receipt; submission: IntentionsSubmission }>()
  /** Per `commissioner|year|reference`: the latest intention's version and id. */
  let latest = new Map<string, { version: number; intentionId: string }>()
  let superseded = new Set<string>()
  const keyOf = (c: string, fy: string, ref: string) => JSON.stringify([c, fy, ref])
  return {
    latestVersion: (c, fy, ref) => latest.get(keyOf(c, fy, ref))?.version,
    receive: (s) => {
      const submissionId = `LCBS-CI-${String(submissions.size + 1).padStart(6, "0")}`
      const intentions = s.intentions.map((line, i): ReceivedIntention => {
        const key = keyOf(s.commissionerCode, s.financialYear, line.reference)
        const previous = latest.get(key)
        const version = line.version ?? (previous?.version ?? 0) + 1
        const intentionId = `${submissionId}-${String(i + 1).padStart(4, "0")}`
        if (previous !== undefined) superseded.add(previous.intentionId)
        latest.set(key, { version, intentionId })
        return { reference: line.reference, version, intentionId, supersedes: previous?.intentionId ?? null }
      })
      const receipt: Receipt = {
        submissionId,
        commissionerCode: s.commissionerCode,
        financialYear: s.financialYear,
        receivedAt: isoSeconds(clockStartMs + submissions.size * 1000),
        status: "received",
        lineCount: s.intentions.length,
        totalPlannedValue: Pounds.fromPence(s.intentions.reduce((sum, l) => sum + (l.plannedValue === undefined ? 0 : (Pounds.toPence(l.plannedValue) ?? 0)), 0)),
        intentions
      }
      submissions.set(submissionId, { receipt, submission: s })
      return receipt
    },
    get: (id) => {
      const found = submissions.get(id)
      if (found === undefined) return undefined
      return {
        ...found.receipt,
        intentions: found.receipt.intentions.map((i) => ({ ...i, status: superseded.has(i.intentionId) ? "superseded" : "received" })),
        submission: found.submission
      }
    },
    reset: () => {
      submissions = new Map()
      latest = new Map()
      superseded = new Set()
    }
  }
}
