/**
 * Maps a page of the CBS `GET /v1/activity` JSON to canonical contract-activity lines, in one batch of plain
 * code: every row becomes a record or a rejection naming the CBS field (`actualCost`, `month`) and carrying the
 * raw row; a row repeating an earlier row's natural key on the same page is rejected as a duplicate.
 *
 * @since 0.1.0
 */
import { ContractActivityLine, type Page, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import type { CbsPage } from "./CbsPage.ts"

/** Canonical field → the CBS field it comes from, so problems name what the CBS sent. */
const sourceField: Readonly<Record<string, string>> = {
  providerCode: "providerOdsCode",
  specialty: "specialtyCode",
  hrg: "hrgCode"
}

const monthNumber = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined
  const m = /^M(1[0-2]|[1-9])$/u.exec(value)
  return m === null ? undefined : Number(m[1])
}

const decodeLine = RowMapping.decoderFor(ContractActivityLine.ContractActivityLine)

/** Maps one CBS activity row (any JSON value) to a canonical line or its problems. */
const mapRow = (row: unknown): RowMapping.RowOutcome<ContractActivityLine.ContractActivityLine> => {
  if (row === null || typeof row !== "object" || Array.isArray(row)) {
    return RowMapping.problems({ field: "*", reason: "the row is not a JSON object" })
  }
  const r = row as Record<string, unknown>
  const month = monthNumber(r["month"])
  const candidate = {
    contractId: r["contractId"],
    providerCode: r["providerOdsCode"],
    commissionerCode: r["commissionerCode"],
    financialYear: r["financialYear"],
    month: month ?? r["month"],
    pointOfDelivery: r["pointOfDelivery"],
    specialty: r["specialtyCode"],
    ...(r["hrgCode"] === null || r["hrgCode"] === undefined ? {} : { hrg: r["hrgCode"] }),
    plannedActivity: r["plannedActivity"],
    actualActivity: r["actualActivity"],
    plannedCost: r["plannedCost"],
    actualCost: r["actualCost"]
  }
  const decoded = decodeLine(candidate)
  const monthProblem = month === undefined
    ? [{ field: "month", reason: `expected a month M1 (April) to M12 (March), got ${JSON.stringify(r["month"])}` }]
    : []
  if (Result.isSuccess(decoded) && monthProblem.length === 0) return decoded
  const others = Result.isFailure(decoded)
    ? decoded.failure.filter((p) => p.field !== "month" || month !== undefined).map((p) => ({ ...p, field: sourceField[p.field] ?? p.field }))
    : []
  const [first, ...rest] = [...monthProblem, ...others]
  return first === undefined ? RowMapping.problems({ field: "*", reason: "the row does not decode" }) : RowMapping.problems(first, ...rest)
}

/**
 * Maps the rows of a page. `line` is the row's 1-based position in the page's `data` array; `raw` its JSON.
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapRows = (rows: ReadonlyArray<unknown>): RowMapping.MappedBatch<ContractActivityLine.ContractActivityLine> => {
  const seen = new Map<string, number>()
  return RowMapping.mapRows(
    rows.map((row, i) => ({ line: i + 1, raw: JSON.stringify(row) ?? "null", row })),
    ({ line, row }) => {
      const outcome = mapRow(row)
      if (Result.isFailure(outcome)) return outcome
      const key = ContractActivityLine.naturalKey(outcome.success)
      const earlier = seen.get(key)
      if (earlier !== undefined) {
        return RowMapping.problems({ field: "lineId", reason: `repeats row ${earlier} of this page (same contract, year, month, point of delivery, specialty, HRG)` })
      }
      seen.set(key, line)
      return outcome
    }
  )
}

/**
 * The canonical page for a CBS page.
 *
 * @category mapping
 * @since 0.1.0
 */
export const toPage = (page: CbsPage): Page.Page<ContractActivityLine.ContractActivityLine> => {
  const { records, rejections } = mapRows(page.data)
  return { records, rejections, nextCursor: page.nextCursor, done: !page.hasMore }
}
