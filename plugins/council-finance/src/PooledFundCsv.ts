/**
 * Turning a page of a pooled-fund statement into canonical `PooledFundStatementLine`s through the profile's
 * pooled-fund columns (the protocol's standard columns unless the profile says otherwise).
 *
 * @since 0.1.0
 */
import { type PooledFundStatement, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import * as CouncilCsv from "./CouncilCsv.ts"
import { type CouncilProfile, resolveColumns } from "./CouncilProfile.ts"
import { standardPooledFundColumns } from "./CouncilProfiles.ts"
import type { MissingColumns } from "./CouncilSpendCsv.ts"

const required = ["fundId", "fundName", "host", "financialYear", "month", "partner", "partnerKind", "planned", "contributed", "spent"] as const

/**
 * Maps a parsed pooled-fund statement page.
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapPage = (
  page: CouncilCsv.ParsedCsv,
  profile: CouncilProfile
): Result.Result<RowMapping.MappedBatch<PooledFundStatement.PooledFundStatementLine>, MissingColumns> => {
  const resolved = resolveColumns(page.headings, profile.pooledFund ?? standardPooledFundColumns, required)
  if (Result.isFailure(resolved)) return Result.fail({ missing: resolved.failure, headings: page.headings })
  const col = resolved.success
  const batch = RowMapping.mapRows(page.rows, (row) => {
    const shape = CouncilCsv.shapeProblem(row, page.headings.length)
    if (shape !== undefined) return RowMapping.problems(shape)
    const read = CouncilCsv.cellReader(row, profile)
    const financialYear = read.financialYear("financialYear", col.financialYear)
    const month = read.month("month", col.month)
    const kindText = read.text("partnerKind", col.partnerKind).toLowerCase()
    const partnerKind = kindText === "nhs" ? "nhs" : kindText === "council" ? "council" : undefined
    if (kindText !== "" && partnerKind === undefined) {
      read.problems.push({ field: "partnerKind", reason: `${JSON.stringify(kindText)} is neither Council nor NHS` })
    }
    const line = {
      fundId: read.code("fundId", col.fundId),
      fundName: read.text("fundName", col.fundName),
      host: read.text("host", col.host),
      financialYear,
      month,
      partner: read.code("partner", col.partner),
      partnerKind: partnerKind ?? "council",
      planned: read.amount("planned", col.planned),
      contributed: read.amount("contributed", col.contributed),
      spent: read.amount("spent", col.spent)
    } satisfies PooledFundStatement.PooledFundStatementLine
    const [first, ...rest] = read.problems
    return first === undefined ? RowMapping.ok(line) : RowMapping.problems(first, ...rest)
  })
  return Result.succeed({ records: batch.records, rejections: [...page.unreadable, ...batch.rejections].sort((a, b) => a.line - b.line) })
}
