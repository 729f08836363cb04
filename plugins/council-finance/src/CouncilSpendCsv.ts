/**
 * Turning a page of a council's spend file into canonical `CouncilSpendLine`s through the council's profile:
 * every row becomes a spend line or a rejection naming its line, field and reason.
 *
 * @since 0.1.0
 */
import { type CouncilSpendLine, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import * as CouncilCsv from "./CouncilCsv.ts"
import type { CouncilProfile } from "./CouncilProfile.ts"
import { resolveColumns } from "./CouncilProfile.ts"

/**
 * Why a page cannot be read at all: its headings lack columns the profile requires.
 *
 * @category models
 * @since 0.1.0
 */
export interface MissingColumns {
  readonly missing: ReadonlyArray<string>
  readonly headings: ReadonlyArray<string>
}

const required = ["paymentDate", "amount", "supplier"] as const

const optionalFields = ["bodyName", "service", "expenseType", "category", "capitalOrRevenue", "description"] as const

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Maps a parsed spend page. `source` names the extract (part of each line's natural key).
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapPage = (
  page: CouncilCsv.ParsedCsv,
  profile: CouncilProfile,
  source: string
): Result.Result<RowMapping.MappedBatch<CouncilSpendLine.CouncilSpendLine>, MissingColumns> => {
  const resolved = resolveColumns(page.headings, profile.spend, required)
  if (Result.isFailure(resolved)) return Result.fail({ missing: resolved.failure, headings: page.headings })
  const col = resolved.success
  const batch = RowMapping.mapRows(page.rows, (row) => {
    const shape = CouncilCsv.shapeProblem(row, page.headings.length)
    if (shape !== undefined) return RowMapping.problems(shape)
    const read = CouncilCsv.cellReader(row, profile)
    const transactionNumber = col.transactionNumber === undefined ? `line-${row.line}` : read.code("transactionNumber", col.transactionNumber)
    const paymentDate = read.date("paymentDate", col.paymentDate)
    const amount = read.amount("amount", col.amount)
    const supplier = read.text("supplier", col.supplier)
    const line: Mutable<CouncilSpendLine.CouncilSpendLine> = {
      council: profile.id,
      source,
      line: row.line,
      transactionNumber,
      paymentDate,
      amount,
      supplier,
      markers: read.markers
    }
    for (const field of optionalFields) {
      const value = read.optionalText(field, col[field])
      if (value !== undefined) line[field] = value
    }
    const [first, ...rest] = read.problems
    return first === undefined ? RowMapping.ok<CouncilSpendLine.CouncilSpendLine>(line) : RowMapping.problems(first, ...rest)
  })
  return Result.succeed({ records: batch.records, rejections: [...page.unreadable, ...batch.rejections].sort((a, b) => a.line - b.line) })
}
