/**
 * Maps pages of the NHS England returns API's two streams to canonical records in one batch of plain code:
 * published allocations to `allocation-line`, acknowledgements to `submission-acknowledgement`. A row that does
 * not map is a rejection naming the API's field, with its raw JSON and its 1-based position in the page.
 *
 * @since 0.1.0
 */
import { AllocationLine, type Page, RowMapping, SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Result } from "effect"

/**
 * The envelope of a list page.
 *
 * @category models
 * @since 0.1.0
 */
export interface ApiPage {
  readonly data: ReadonlyArray<unknown>
  readonly nextCursor: string
  readonly hasMore: boolean
}

/**
 * Reads the page envelope from a response body, or says what is wrong with it.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseEnvelope = (body: string): Result.Result<ApiPage, string> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return Result.fail("the page is not valid JSON")
  }
  if (json === null || typeof json !== "object") return Result.fail("the page is not a JSON object")
  const page = json as Record<string, unknown>
  if (!Array.isArray(page["data"])) return Result.fail("the page has no data array")
  if (typeof page["nextCursor"] !== "string" || page["nextCursor"] === "") return Result.fail("the page has no nextCursor")
  if (typeof page["hasMore"] !== "boolean") return Result.fail("the page has no hasMore flag")
  return Result.succeed({ data: page["data"], nextCursor: page["nextCursor"], hasMore: page["hasMore"] })
}

const asObject = (row: unknown): Record<string, unknown> | undefined =>
  row !== null && typeof row === "object" && !Array.isArray(row) ? (row as Record<string, unknown>) : undefined

const notAnObject = RowMapping.problems({ field: "*", reason: "the row is not a JSON object" })

/** Renames canonical fields in problems back to the API's names. */
const renamed = <A>(outcome: RowMapping.RowOutcome<A>, names: Readonly<Record<string, string>>): RowMapping.RowOutcome<A> =>
  Result.mapError(outcome, ([first, ...rest]) => [
    { ...first, field: names[first.field] ?? first.field },
    ...rest.map((p) => ({ ...p, field: names[p.field] ?? p.field }))
  ] as const)

const decodeAllocation = RowMapping.decoderFor(AllocationLine.AllocationLine)
const decodeAcknowledgement = RowMapping.decoderFor(SubmissionAcknowledgement.SubmissionAcknowledgement)

/**
 * One published allocation → `AllocationLine` (`commissionerCode` → `organisationCode`).
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapAllocation = (row: unknown): RowMapping.RowOutcome<AllocationLine.AllocationLine> => {
  const r = asObject(row)
  if (r === undefined) return notAnObject
  return renamed(
    decodeAllocation({
      organisationCode: r["commissionerCode"],
      financialYear: r["financialYear"],
      allocationType: r["allocationType"],
      amount: r["amount"],
      publishedOn: r["publishedOn"]
    }),
    { organisationCode: "commissionerCode" }
  )
}

const reasonText = (value: unknown): string | undefined => {
  const r = asObject(value)
  return r === undefined || typeof r["code"] !== "string" || typeof r["message"] !== "string"
    ? undefined
    : `${r["code"]}${typeof r["field"] === "string" ? ` ${r["field"]}` : ""}: ${r["message"]}`
}

/**
 * One acknowledgement → `SubmissionAcknowledgement`: `outcome` → `status`, each reason as
 * `"CODE field: message"`, each warning (accepted with a warning) as `"WARNING CODE field: message"`. An
 * acknowledgement of a submission made without an idempotency key was not made by the hub: it is rejected.
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapAcknowledgement = (row: unknown): RowMapping.RowOutcome<SubmissionAcknowledgement.SubmissionAcknowledgement> => {
  const r = asObject(row)
  if (r === undefined) return notAnObject
  const problems: Array<{ readonly field: string; readonly reason: string }> = []
  const list = (name: string): ReadonlyArray<string> => {
    const value = r[name] ?? []
    const texts = Array.isArray(value) ? value.map(reasonText) : [undefined]
    if (texts.some((t) => t === undefined)) problems.push({ field: name, reason: `expected a list of { code, field, message }` })
    return texts.filter((t): t is string => t !== undefined)
  }
  const reasons = [...list("reasons"), ...list("warnings").map((w) => `WARNING ${w}`)]
  if (r["idempotencyKey"] === null) {
    problems.push({ field: "idempotencyKey", reason: "the submission was made without an idempotency key, so not by the hub" })
  }
  const decoded = renamed(
    decodeAcknowledgement({
      kind: r["kind"],
      submissionId: r["submissionId"],
      idempotencyKey: r["idempotencyKey"],
      status: r["outcome"],
      receivedAt: r["receivedAt"],
      duplicate: false,
      reasons
    }),
    { status: "outcome" }
  )
  const all = [...problems, ...(Result.isFailure(decoded) ? decoded.failure.filter((p) => !(p.field === "idempotencyKey" && r["idempotencyKey"] === null)) : [])]
  const [first, ...rest] = all
  return first === undefined ? decoded : RowMapping.problems(first, ...rest)
}

/**
 * The canonical page for an API page, mapping each row with `mapRow`; a row repeating an earlier row's natural
 * key (`keyOf`) on the same page is rejected as a duplicate, so every row is a record or a rejection.
 *
 * @category mapping
 * @since 0.1.0
 */
export const toPage = <A>(
  page: ApiPage,
  mapRow: (row: unknown) => RowMapping.RowOutcome<A>,
  keyOf: (record: A) => string
): Page.Page<A> => {
  const seen = new Map<string, number>()
  const { records, rejections } = RowMapping.mapRows(
    page.data.map((row, i) => ({ line: i + 1, raw: JSON.stringify(row) ?? "null", row })),
    ({ line, row }) => {
      const outcome = mapRow(row)
      if (Result.isFailure(outcome)) return outcome
      const key = keyOf(outcome.success)
      const earlier = seen.get(key)
      if (earlier !== undefined) return RowMapping.problems({ field: "*", reason: `repeats row ${earlier} of this page (same natural key)` })
      seen.set(key, line)
      return outcome
    }
  )
  return { records, rejections, nextCursor: page.nextCursor, done: !page.hasMore }
}
