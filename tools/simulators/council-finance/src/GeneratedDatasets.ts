/**
 * The budget books and pooled-fund statements the simulator serves. No council publishes these in a form we can
 * copy, so they are generated deterministically from the council's real spend file: the budget book
 * annualises spend by service and expense type; the pooled fund takes a share of adult social care spend.
 * Synthetic, but shaped like the real thing (`£` signs, thousands separators, brackets for negatives).
 *
 * @since 0.1.0
 */
import { Money } from "@hub/domain"
import { formatRecord } from "./CsvText.ts"

/**
 * What generation needs from a council's spend file.
 *
 * @category models
 * @since 0.1.0
 */
export interface SpendFacts {
  readonly service: string
  readonly expenseType: string
  readonly amount: Money.Pence
}

/**
 * The pooled fund a council hosts in the simulator.
 *
 * @category models
 * @since 0.1.0
 */
export interface FundSpec {
  readonly id: string
  readonly name: string
  readonly host: string
  readonly financialYear: string
  readonly councilPartner: string
  readonly nhsPartner: string
}

/**
 * Reads an amount as councils print it (`£1,234.56`, `(12.00)`, `-5`), or `undefined`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const readAmount = (text: string): Money.Pence | undefined => {
  let t = text.trim().replace(/[£,\s]/gu, "")
  let negative = false
  if (/^\(.*\)$/u.test(t)) {
    negative = true
    t = t.slice(1, -1)
  }
  const pence = Money.parsePounds(t)
  return pence === undefined ? undefined : negative ? Money.negate(pence) : pence
}

/**
 * Prints pence the way budget books do: `"£1,234,500.00"`, negatives in brackets `"(£12.00)"`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const printPounds = (amount: Money.Pence): string => {
  const plain = Money.toPoundsString(amount < 0 ? Money.negate(amount) : amount)
  const [whole = "0", pence = "00"] = plain.split(".")
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ",")
  return amount < 0 ? `(£${grouped}.${pence})` : `£${grouped}.${pence}`
}

const roundTo = (amount: number, unit: number): Money.Pence => Money.pence(Math.round(amount / unit) * unit)

const budgetHeadings = [
  "Financial Year",
  "Cost Centre",
  "Cost Centre Name",
  "Subjective Code",
  "Subjective Name",
  "Capital/Revenue",
  "Original Budget",
  "Revised Budget"
]

/**
 * A budget book: one line per (service, expense type) seen in the spend file, the month's spend annualised
 * (x12, to the nearest £100); revised budgets move by -2%..+2% in a fixed pattern.
 *
 * @category generators
 * @since 0.1.0
 */
export const budgetBook = (financialYear: string, spend: ReadonlyArray<SpendFacts>): string => {
  const groups = new Map<string, Map<string, number>>()
  for (const s of spend) {
    const service = s.service.trim() === "" ? "Unallocated" : s.service.trim()
    const expense = s.expenseType.trim() === "" ? "Miscellaneous" : s.expenseType.trim()
    const byExpense = groups.get(service) ?? new Map<string, number>()
    byExpense.set(expense, (byExpense.get(expense) ?? 0) + s.amount)
    groups.set(service, byExpense)
  }
  const services = [...groups.keys()].sort()
  const expenseCodes = new Map<string, string>()
  const lines: Array<string> = [formatRecord(budgetHeadings)]
  let index = 0
  services.forEach((service, s) => {
    const byExpense = groups.get(service) as Map<string, number>
    for (const expense of [...byExpense.keys()].sort()) {
      if (!expenseCodes.has(expense)) expenseCodes.set(expense, `S${String(expenseCodes.size + 1).padStart(4, "0")}`)
      const original = roundTo((byExpense.get(expense) as number) * 12, 10_000)
      const revised = roundTo(original * (1 + ((index % 5) - 2) / 100), 10_000)
      lines.push(
        formatRecord([
          financialYear,
          `CC${String(s + 1).padStart(4, "0")}`,
          service,
          expenseCodes.get(expense) as string,
          expense,
          /capital/iu.test(expense) ? "Capital" : "Revenue",
          printPounds(original),
          printPounds(revised)
        ])
      )
      index++
    }
  })
  return `${lines.join("\r\n")}\r\n`
}

const fundHeadings = [
  "Fund Reference",
  "Fund Name",
  "Host",
  "Financial Year",
  "Month",
  "Partner",
  "Partner Type",
  "Planned Contribution",
  "Actual Contribution",
  "Expenditure"
]

/**
 * A pooled-fund statement for a year: per month, the council's and the NHS partner's planned and actual
 * contributions and the spend charged to each. The council's share is a tenth of a month's adult social care
 * spend (to the nearest £1,000), the NHS share 1.2 times that; actuals and spend vary by month in a fixed pattern.
 * `nhsContributions` (month -> pence) replaces the NHS partner's actual contribution where the partner has
 * pushed one.
 *
 * @category generators
 * @since 0.1.0
 */
export const pooledFundStatement = (
  fund: FundSpec,
  spend: ReadonlyArray<SpendFacts>,
  nhsContributions: ReadonlyMap<number, Money.Pence> = new Map()
): string => {
  const social = spend.filter((s) => /social care|adult/iu.test(s.service)).reduce((sum, s) => sum + s.amount, 0)
  const base = Math.max(social, spend.reduce((sum, s) => sum + Math.max(0, s.amount), 0) / 20)
  const councilPlanned = roundTo(base / 10, 100_000)
  const nhsPlanned = roundTo(councilPlanned * 1.2, 100_000)
  const lines: Array<string> = [formatRecord(fundHeadings)]
  for (let month = 1; month <= 12; month++) {
    const partners = [
      { code: fund.councilPartner, kind: "Council", planned: councilPlanned },
      { code: fund.nhsPartner, kind: "NHS", planned: nhsPlanned }
    ]
    for (const p of partners) {
      const pushed = p.kind === "NHS" ? nhsContributions.get(month) : undefined
      const actual = pushed ?? (month % 4 === 0 ? roundTo(p.planned * 0.97, 100) : p.planned)
      const spent = roundTo(actual * (0.9 + ((month * 7) % 13) / 100), 1)
      lines.push(
        formatRecord([
          fund.id,
          fund.name,
          fund.host,
          fund.financialYear,
          String(month),
          p.code,
          p.kind,
          Money.toPoundsString(p.planned),
          Money.toPoundsString(actual),
          Money.toPoundsString(spent)
        ])
      )
    }
  }
  return `${lines.join("\r\n")}\r\n`
}
