/**
 * Turning a page of a council's spend file into canonical `CouncilSpendLine`s through the council's profile:
 * every row becomes a spend line or a rejection naming its line, field and reason.
 *
 * @since 0.1.0
 */
import type { CalendarDate, Money } from "@hub/domain"
import { type CouncilSpendLine, type Page, RowMapping } from "@hub/plugin-sdk"
import { Result } from "effect"
import * as CellValues from "./CellValues.ts"
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
 * Maps a parsed spend page. `source` names the extract (part of each line's natural key). The cell rules are
 * those of `CouncilCsv.cellReader`, applied here by one set of readers per page rather than per row (the page
 * is the hot loop of an ingest), each row's problems in the same order: transaction number, payment date,
 * amount, supplier, then the optional columns.
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
  const headingCount = page.headings.length
  const optional = optionalFields.flatMap((field) => {
    const column = col[field]
    return column === undefined ? [] : [{ field, column }]
  })
  const rejectFormulas = profile.formulaCells === "reject"
  // The row being mapped: its fields, its problems (copied into its rejection) and its markers (kept).
  let fields: ReadonlyArray<string> = []
  const problems: Array<Page.FieldProblem> = []
  let markers: Array<string> = []
  const problem = (field: string, reason: string): void => {
    problems.push({ field, reason })
  }
  const cell = (column: number | undefined): string => (column === undefined ? "" : (fields[column] ?? "").trim())
  const optionalText = (field: string, column: number | undefined): string | undefined => {
    const value = cell(column)
    if (value === "") return undefined
    if (!CellValues.isFormula(value)) return value
    if (rejectFormulas) {
      problem(field, `${JSON.stringify(value)} is a spreadsheet formula`)
      return value
    }
    markers.push(`formula:${field}`)
    return CellValues.neutralise(value)
  }
  const batch = RowMapping.mapRows(page.rows, (row) => {
    const shape = CouncilCsv.shapeProblem(row, headingCount)
    if (shape !== undefined) return RowMapping.problems(shape)
    fields = row.fields
    problems.length = 0
    markers = []
    let transactionNumber = `line-${row.line}`
    if (col.transactionNumber !== undefined) {
      transactionNumber = cell(col.transactionNumber)
      if (transactionNumber === "") problem("transactionNumber", "required but empty")
      else if (CellValues.isFormula(transactionNumber)) {
        problem("transactionNumber", `${JSON.stringify(transactionNumber)} is a spreadsheet formula, not a code`)
      }
    }
    const date = CellValues.parseDate(cell(col.paymentDate), profile.dateFormats)
    if (Result.isFailure(date)) problem("paymentDate", date.failure)
    const amount = CellValues.parseAmount(cell(col.amount))
    if (Result.isFailure(amount)) problem("amount", amount.failure)
    const supplier = optionalText("supplier", col.supplier)
    if (supplier === undefined) problem("supplier", "required but empty")
    const line: Mutable<CouncilSpendLine.CouncilSpendLine> = {
      council: profile.id,
      source,
      line: row.line,
      transactionNumber,
      paymentDate: Result.isSuccess(date) ? date.success : ("" as CalendarDate.CalendarDate),
      amount: Result.isSuccess(amount) ? amount.success : (0 as Money.Pence),
      supplier: supplier ?? "",
      markers
    }
    for (const { column, field } of optional) {
      const value = optionalText(field, column)
      if (value !== undefined) line[field] = value
    }
    if (problems.length === 0) return RowMapping.ok<CouncilSpendLine.CouncilSpendLine>(line)
    const [first, ...rest] = problems
    return first === undefined ? RowMapping.ok<CouncilSpendLine.CouncilSpendLine>(line) : RowMapping.problems(first, ...rest)
  })
  const rejections = page.unreadable.length === 0
    ? batch.rejections
    : [...page.unreadable, ...batch.rejections].sort((a, b) => a.line - b.line)
  return Result.succeed({ records: batch.records, rejections })
}
