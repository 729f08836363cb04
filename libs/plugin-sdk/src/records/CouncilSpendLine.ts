/**
 * A line of a council's published spend ("spending over £500") or ledger extract, whatever the council calls
 * its columns: the council-finance plugin's profiles map each council's headings onto these fields.
 *
 * @since 0.1.0
 */
import { CalendarDate } from "@hub/domain"
import { Schema } from "effect"
import { Amount, joinKey, PositiveInt, Text } from "./Fields.ts"

/**
 * One spend line. `council` is the hub's id of the council (profile id, e.g. `manchester`); `source` names the
 * extract it came from (e.g. `spend-2019-01`); `line` is the line of the extract the row starts on, which with
 * the transaction number identifies the line even where a council repeats a transaction number across lines.
 * `markers` flag values passed on with a warning (e.g. `formula:supplier` for a cell that started with `=`,
 * which is kept as text with its leading apostrophe, never as a formula).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CouncilSpendLine = Schema.Struct({
  council: Text,
  source: Text,
  line: PositiveInt,
  transactionNumber: Text,
  paymentDate: CalendarDate.CalendarDate,
  amount: Amount,
  supplier: Text,
  bodyName: Schema.optionalKey(Schema.String),
  service: Schema.optionalKey(Schema.String),
  expenseType: Schema.optionalKey(Schema.String),
  category: Schema.optionalKey(Schema.String),
  capitalOrRevenue: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
  markers: Schema.Array(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type CouncilSpendLine = typeof CouncilSpendLine.Type

/**
 * The natural key: council, extract, transaction number, line.
 *
 * @category keys
 * @since 0.1.0
 */
export const naturalKey = (r: CouncilSpendLine): string => joinKey([r.council, r.source, r.transactionNumber, r.line])
