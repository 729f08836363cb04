/**
 * Maps a page of the CBS `GET /v1/contracts` JSON to canonical contracts, in one batch of plain code: every row
 * becomes a record or a rejection naming the CBS field (`annualValue`, `providerOdsCode`) and carrying the raw
 * row; a row repeating an earlier row's contract id on the same page is rejected as a duplicate.
 *
 * @since 0.1.0
 */
import { Contract, type Page, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import type { CbsPage } from "./CbsPage.ts"

/** Canonical field → the CBS field it comes from, so problems name what the CBS sent. */
const sourceField: Readonly<Record<string, string>> = {
  providerCode: "providerOdsCode"
}

const inCbsTerms = (problem: Page.FieldProblem): Page.FieldProblem => ({ ...problem, field: sourceField[problem.field] ?? problem.field })

/** An optional CBS field: JSON `null` and a missing key both mean absent. */
const optional = <K extends string>(key: K, value: unknown): { readonly [P in K]?: unknown } =>
  value === null || value === undefined ? {} : ({ [key]: value } as { readonly [P in K]: unknown })

const decodeContract = RowMapping.decoderFor(Contract.Contract)

/** Maps one CBS contract row (any JSON value) to a canonical contract or its problems. */
const mapRow = (row: unknown): RowMapping.RowOutcome<Contract.Contract> => {
  if (row === null || typeof row !== "object" || Array.isArray(row)) {
    return RowMapping.problems({ field: "*", reason: "the row is not a JSON object" })
  }
  const r = row as Record<string, unknown>
  const candidate = {
    contractId: r["contractId"],
    commissionerCode: r["commissionerCode"],
    providerCode: r["providerOdsCode"],
    ...optional("providerName", r["providerName"]),
    financialYear: r["financialYear"],
    contractType: r["contractType"],
    startDate: r["startDate"],
    ...optional("endDate", r["endDate"]),
    annualValue: r["annualValue"],
    status: r["status"]
  }
  const decoded = decodeContract(candidate)
  if (Result.isSuccess(decoded)) return decoded
  const [first, ...rest] = decoded.failure
  return RowMapping.problems(inCbsTerms(first), ...rest.map(inCbsTerms))
}

/**
 * Maps the rows of a page. `line` is the row's 1-based position in the page's `data` array; `raw` its JSON.
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapRows = (rows: ReadonlyArray<unknown>): RowMapping.MappedBatch<Contract.Contract> => {
  const seen = new Map<string, number>()
  return RowMapping.mapRows(
    rows.map((row, i) => ({ line: i + 1, raw: JSON.stringify(row) ?? "null", row })),
    ({ line, row }) => {
      const outcome = mapRow(row)
      if (Result.isFailure(outcome)) return outcome
      const key = Contract.naturalKey(outcome.success)
      const earlier = seen.get(key)
      if (earlier !== undefined) {
        return RowMapping.problems({ field: "contractId", reason: `repeats row ${earlier} of this page (same contract id ${outcome.success.contractId})` })
      }
      seen.set(key, line)
      return outcome
    }
  )
}

/**
 * The canonical page for a CBS contracts page.
 *
 * @category mapping
 * @since 0.1.0
 */
export const toPage = (page: CbsPage): Page.Page<Contract.Contract> => {
  const { records, rejections } = mapRows(page.data)
  return { records, rejections, nextCursor: page.nextCursor, done: !page.hasMore }
}
