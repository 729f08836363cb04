/**
 * A council as configuration: how its files name their columns (heading names or regular expressions), which
 * date forms it uses, and what to do with spreadsheet formula cells. Adding a council is writing one of these;
 * no code changes (README.md, "Adding a council").
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { dateFormats } from "./CellValues.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * How to find a column: any of `headings` (compared ignoring case, surrounding spaces, repeated spaces and a
 * BOM), else the first heading matching any of `patterns` (regular expressions, case-insensitive).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ColumnMatch = Schema.Struct({
  headings: Schema.Array(Schema.String),
  patterns: Schema.optionalKey(
    Schema.Array(
      Schema.String.pipe(
        Schema.check(
          Schema.makeFilter((source: string) => {
            try {
              new RegExp(source, "iu")
              return true
            } catch {
              return false
            }
          }, { expected: "a valid regular expression" })
        )
      )
    )
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type ColumnMatch = typeof ColumnMatch.Type

/**
 * Columns of a spend file. `transactionNumber` may be absent for councils that publish none; the line number
 * then stands in for it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SpendColumns = Schema.Struct({
  transactionNumber: Schema.optionalKey(ColumnMatch),
  paymentDate: ColumnMatch,
  amount: ColumnMatch,
  supplier: ColumnMatch,
  bodyName: Schema.optionalKey(ColumnMatch),
  service: Schema.optionalKey(ColumnMatch),
  expenseType: Schema.optionalKey(ColumnMatch),
  category: Schema.optionalKey(ColumnMatch),
  capitalOrRevenue: Schema.optionalKey(ColumnMatch),
  description: Schema.optionalKey(ColumnMatch)
})

/**
 * Columns of a budget book.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BudgetColumns = Schema.Struct({
  financialYear: ColumnMatch,
  serviceCode: ColumnMatch,
  service: ColumnMatch,
  expenseCode: ColumnMatch,
  expenseType: ColumnMatch,
  capitalOrRevenue: ColumnMatch,
  budget: ColumnMatch,
  revisedBudget: Schema.optionalKey(ColumnMatch)
})

/**
 * Columns of a pooled-fund statement.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PooledFundColumns = Schema.Struct({
  fundId: ColumnMatch,
  fundName: ColumnMatch,
  host: ColumnMatch,
  financialYear: ColumnMatch,
  month: ColumnMatch,
  partner: ColumnMatch,
  partnerKind: ColumnMatch,
  planned: ColumnMatch,
  contributed: ColumnMatch,
  spent: ColumnMatch
})

/**
 * A council profile. `id` is the council's id on its finance system (and in the hub's spend-line keys);
 * `dateFormats` are tried in order; `formulaCells` says what happens to a text cell that is a spreadsheet
 * formula: `mark` keeps it made inert (leading apostrophe) with a `formula:<field>` marker, `reject` turns the
 * row into a rejection. Amount and date cells holding formulas are always rejections.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CouncilProfile = Schema.Struct({
  id: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a lower-case id such as manchester" }))),
  name: Schema.NonEmptyString,
  dateFormats: Schema.NonEmptyArray(Schema.Literals(dateFormats)),
  formulaCells: Schema.Literals(["mark", "reject"]),
  spend: SpendColumns,
  budget: Schema.optionalKey(BudgetColumns),
  pooledFund: Schema.optionalKey(PooledFundColumns)
})

/**
 * @category models
 * @since 0.1.0
 */
export type CouncilProfile = typeof CouncilProfile.Type

// ---------------------------------------------------------------------------------------------------------
// column resolution
// ---------------------------------------------------------------------------------------------------------

const normalise = (heading: string): string => heading.replace(/^\uFEFF/u, "").trim().replace(/\s+/gu, " ").toLowerCase()

/**
 * The index of the column a match picks among a file's headings, or `undefined`.
 *
 * @category resolution
 * @since 0.1.0
 */
export const findColumn = (headings: ReadonlyArray<string>, match: ColumnMatch): number | undefined => {
  const normalised = headings.map(normalise)
  for (const wanted of match.headings) {
    const i = normalised.indexOf(normalise(wanted))
    if (i >= 0) return i
  }
  for (const source of match.patterns ?? []) {
    const re = new RegExp(source, "iu")
    const i = headings.findIndex((h) => re.test(h.replace(/^\uFEFF/u, "").trim()))
    if (i >= 0) return i
  }
  return undefined
}

/**
 * Resolves every column of a column set against a file's headings: the index of each field found, or the
 * names of the required fields that were not (optional fields, given as `optional`, may be missing).
 *
 * @category resolution
 * @since 0.1.0
 */
export const resolveColumns = <Columns extends { readonly [K in keyof Columns]?: ColumnMatch }>(
  headings: ReadonlyArray<string>,
  columns: Columns,
  required: ReadonlyArray<keyof Columns & string>
): Result.Result<{ readonly [K in keyof Columns]?: number }, ReadonlyArray<string>> => {
  const found: { [K in keyof Columns]?: number } = {}
  for (const field of Object.keys(columns) as Array<keyof Columns & string>) {
    const match = columns[field] as ColumnMatch | undefined
    const index = match === undefined ? undefined : findColumn(headings, match)
    if (index !== undefined) found[field] = index
  }
  const missing = required.filter((field) => found[field] === undefined)
  return missing.length === 0 ? Result.succeed(found) : Result.fail(missing)
}
