/**
 * Turning a page of a council's budget book into canonical `BudgetLine`s through the profile's budget columns
 * (the protocol's standard columns unless the profile says otherwise).
 *
 * @since 0.1.0
 */
import { type BudgetLine, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import * as CouncilCsv from "./CouncilCsv.ts"
import { type CouncilProfile, resolveColumns } from "./CouncilProfile.ts"
import { standardBudgetColumns } from "./CouncilProfiles.ts"
import type { MissingColumns } from "./CouncilSpendCsv.ts"

const required = ["financialYear", "serviceCode", "service", "expenseCode", "expenseType", "capitalOrRevenue", "budget"] as const

/**
 * Reads `Capital`/`Revenue` (also `C`/`R`, any case).
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseCapitalOrRevenue = (text: string): "capital" | "revenue" | undefined => {
  const t = text.trim().toLowerCase()
  return t === "capital" || t === "c" ? "capital" : t === "revenue" || t === "r" ? "revenue" : undefined
}

/**
 * Maps a parsed budget-book page for an organisation (the council's id).
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapPage = (
  page: CouncilCsv.ParsedCsv,
  profile: CouncilProfile
): Result.Result<RowMapping.MappedBatch<BudgetLine.BudgetLine>, MissingColumns> => {
  const resolved = resolveColumns(page.headings, profile.budget ?? standardBudgetColumns, required)
  if (Result.isFailure(resolved)) return Result.fail({ missing: resolved.failure, headings: page.headings })
  const col = resolved.success
  const batch = RowMapping.mapRows(page.rows, (row) => {
    const shape = CouncilCsv.shapeProblem(row, page.headings.length)
    if (shape !== undefined) return RowMapping.problems(shape)
    const read = CouncilCsv.cellReader(row, profile)
    const financialYear = read.financialYear("financialYear", col.financialYear)
    const serviceCode = read.code("serviceCode", col.serviceCode)
    const service = read.text("service", col.service)
    const expenseCode = read.code("expenseCode", col.expenseCode)
    const expenseType = read.text("expenseType", col.expenseType)
    const kindText = read.text("capitalOrRevenue", col.capitalOrRevenue)
    const capitalOrRevenue = parseCapitalOrRevenue(kindText)
    if (kindText !== "" && capitalOrRevenue === undefined) {
      read.problems.push({ field: "capitalOrRevenue", reason: `${JSON.stringify(kindText)} is neither Capital nor Revenue` })
    }
    const budget = read.amount("budget", col.budget)
    const revised = read.optionalText("revisedBudget", col.revisedBudget) === undefined ? undefined : read.amount("revisedBudget", col.revisedBudget)
    const [first, ...rest] = read.problems
    if (first !== undefined || capitalOrRevenue === undefined) {
      return RowMapping.problems(first ?? { field: "capitalOrRevenue", reason: "required but empty" }, ...rest)
    }
    const line: BudgetLine.BudgetLine = {
      organisation: profile.id,
      financialYear,
      serviceCode,
      service,
      expenseCode,
      expenseType,
      capitalOrRevenue,
      budget,
      ...(revised === undefined ? {} : { revisedBudget: revised })
    }
    return RowMapping.ok(line)
  })
  return Result.succeed({ records: batch.records, rejections: [...page.unreadable, ...batch.rejections].sort((a, b) => a.line - b.line) })
}
