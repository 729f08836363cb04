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

const optionalTexts: ReadonlySet<string> = new Set(["bodyName", "service", "expenseType", "category", "capitalOrRevenue", "description"])

const required: ReadonlySet<string> = new Set(["council", "source", "line", "transactionNumber", "paymentDate", "amount", "supplier", "markers"])

/** `Text`'s rule (not blank) without trimming when the first character already shows it. */
const isText = (u: unknown): u is string => {
  if (typeof u !== "string" || u.length === 0) return false
  const first = u.charCodeAt(0)
  return (first > 32 && first < 127) || u.trim().length > 0
}

/**
 * A plain check of a spend line in its decoded form (money as pence) for the ingest's hot loop: `true` only for a
 * plain object that the schema's type side accepts as it is (no other keys, every field valid), so the value
 * can be stored without a Schema decode; `false` says nothing more than "ask the schema", which stays the
 * source of truth and names the bad fields (a property test holds the two together).
 *
 * @category guards
 * @since 0.1.0
 */
export const isValidDecoded = (u: unknown): u is CouncilSpendLine => {
  // A plain object, so `for ... in` below sees exactly its own keys and the schema's output equals it.
  if (typeof u !== "object" || u === null || Object.getPrototypeOf(u) !== Object.prototype) return false
  const r = u as Record<string, unknown>
  if (!isText(r["council"]) || !isText(r["source"]) || !isText(r["transactionNumber"]) || !isText(r["supplier"])) return false
  const line = r["line"]
  if (typeof line !== "number" || !Number.isSafeInteger(line) || line < 1) return false
  if (!Number.isSafeInteger(r["amount"])) return false
  const paymentDate = r["paymentDate"]
  if (typeof paymentDate !== "string" || CalendarDate.parse(paymentDate) === undefined) return false
  const markers = r["markers"]
  if (!Array.isArray(markers)) return false
  for (let i = 0; i < markers.length; i++) if (typeof markers[i] !== "string") return false
  for (const key in r) {
    if (!required.has(key) && !(optionalTexts.has(key) && typeof r[key] === "string")) return false
  }
  return true
}
