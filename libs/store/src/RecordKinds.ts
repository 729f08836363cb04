/**
 * The canonical record kinds the ingest stores, each in a typed table of its own with its natural key as
 * primary key. The row types mirror the plugin SDK's canonical record schemas field for field (money as
 * `Money.Pence`, dates as `CalendarDate`), so a decoded canonical record is passed to the store unchanged.
 *
 * @since 0.1.0
 */
import type { CalendarDate, Money } from "@hub/domain"
import { column, type TableSpec } from "./TableSpec.ts"

/**
 * A line of a council's spending file (the public "spending over £500" files).
 *
 * @category models
 * @since 0.1.0
 */
export interface CouncilSpendLine {
  readonly council: string
  readonly source: string
  readonly line: number
  readonly transactionNumber: string
  readonly paymentDate: CalendarDate.CalendarDate
  readonly amount: Money.Pence
  readonly supplier: string
  readonly bodyName?: string
  readonly service?: string
  readonly expenseType?: string
  readonly category?: string
  readonly capitalOrRevenue?: string
  readonly description?: string
  readonly markers: ReadonlyArray<string>
}

/**
 * A monthly contract-activity monitoring line (London CBS).
 *
 * @category models
 * @since 0.1.0
 */
export interface ContractActivityLine {
  readonly contractId: string
  readonly providerCode: string
  readonly commissionerCode: string
  readonly financialYear: string
  readonly month: number
  readonly pointOfDelivery: string
  readonly specialty: string
  readonly hrg?: string
  readonly plannedActivity: number
  readonly actualActivity: number
  readonly plannedCost: Money.Pence
  readonly actualCost: Money.Pence
}

/**
 * An allocation published by the centre (NHS England).
 *
 * @category models
 * @since 0.1.0
 */
export interface AllocationLine {
  readonly organisationCode: string
  readonly financialYear: string
  readonly allocationType: string
  readonly amount: Money.Pence
  readonly publishedOn: CalendarDate.CalendarDate
}

/**
 * A line of a council budget book.
 *
 * @category models
 * @since 0.1.0
 */
export interface BudgetLine {
  readonly organisation: string
  readonly financialYear: string
  readonly serviceCode: string
  readonly service: string
  readonly expenseCode: string
  readonly expenseType: string
  readonly capitalOrRevenue: "capital" | "revenue"
  readonly budget: Money.Pence
  readonly revisedBudget?: Money.Pence
}

/**
 * One partner's line of a pooled fund's monthly statement.
 *
 * @category models
 * @since 0.1.0
 */
export interface PooledFundStatementLine {
  readonly fundId: string
  readonly fundName: string
  readonly host: string
  readonly financialYear: string
  readonly month: number
  readonly partner: string
  readonly partnerKind: "council" | "nhs"
  readonly planned: Money.Pence
  readonly contributed: Money.Pence
  readonly spent: Money.Pence
}

/**
 * An NHS partner's contribution to a pooled fund for a month (versioned: a correction is a new version).
 *
 * @category models
 * @since 0.1.0
 */
export interface PooledContribution {
  readonly fundId: string
  readonly financialYear: string
  readonly month: number
  readonly partnerCode: string
  readonly amount: Money.Pence
  readonly version: number
  readonly reference?: string
}

/**
 * An outside system's acknowledgement of a submission.
 *
 * @category models
 * @since 0.1.0
 */
export interface SubmissionAcknowledgement {
  readonly kind: string
  readonly submissionId: string
  readonly idempotencyKey: string
  readonly status: "pending" | "accepted" | "rejected"
  readonly receivedAt: string
  readonly duplicate: boolean
  readonly reasons: ReadonlyArray<string>
}

/**
 * A contract between a commissioner and a provider for a financial year (London CBS); `endDate` inclusive.
 *
 * @category models
 * @since 0.1.0
 */
export interface Contract {
  readonly contractId: string
  readonly commissionerCode: string
  readonly providerCode: string
  readonly providerName?: string
  readonly financialYear: string
  readonly contractType: "acute" | "mental-health" | "community" | "ambulance" | "specialist"
  readonly startDate: CalendarDate.CalendarDate
  readonly endDate?: CalendarDate.CalendarDate
  readonly annualValue: Money.Pence
  readonly status: "active" | "expired"
}

/**
 * Each record kind's row type, by kind name.
 *
 * @category models
 * @since 0.1.0
 */
export interface Rows {
  readonly "council-spend-line": CouncilSpendLine
  readonly "contract-activity-line": ContractActivityLine
  readonly "allocation-line": AllocationLine
  readonly "budget-line": BudgetLine
  readonly "pooled-fund-statement-line": PooledFundStatementLine
  readonly "pooled-contribution": PooledContribution
  readonly "submission-acknowledgement": SubmissionAcknowledgement
  readonly contract: Contract
}

/**
 * The name of a canonical record kind.
 *
 * @category models
 * @since 0.1.0
 */
export type RecordKind = keyof Rows

/**
 * The table of each record kind.
 *
 * @category tables
 * @since 0.1.0
 */
export const tables: { readonly [K in RecordKind]: TableSpec<Rows[K]> } = {
  "council-spend-line": {
    table: "council_spend_lines",
    key: ["council", "source", "transaction_number", "line"],
    columns: [
      column("council", "council", "text"),
      column("source", "source", "text"),
      column("transactionNumber", "transaction_number", "text"),
      column("line", "line", "integer"),
      column("paymentDate", "payment_date", "date"),
      column("amount", "amount_pence", "pence"),
      column("supplier", "supplier", "text"),
      column("bodyName", "body_name", "text", { optional: true }),
      column("service", "service", "text", { optional: true }),
      column("expenseType", "expense_type", "text", { optional: true }),
      column("category", "category", "text", { optional: true }),
      column("capitalOrRevenue", "capital_or_revenue", "text", { optional: true }),
      column("description", "description", "text", { optional: true }),
      column("markers", "markers", "jsonb")
    ]
  },
  "contract-activity-line": {
    table: "contract_activity_lines",
    key: ["contract_id", "financial_year", "month", "point_of_delivery", "specialty", "hrg"],
    columns: [
      column("contractId", "contract_id", "text"),
      column("financialYear", "financial_year", "text"),
      column("month", "month", "integer"),
      column("pointOfDelivery", "point_of_delivery", "text"),
      column("specialty", "specialty", "text"),
      // Part of the key, so "no HRG" is stored as '' (NULLs never conflict in a unique index).
      column("hrg", "hrg", "text", { optional: true, absentAs: "" }),
      column("providerCode", "provider_code", "text"),
      column("commissionerCode", "commissioner_code", "text"),
      column("plannedActivity", "planned_activity", "integer"),
      column("actualActivity", "actual_activity", "integer"),
      column("plannedCost", "planned_cost_pence", "pence"),
      column("actualCost", "actual_cost_pence", "pence")
    ]
  },
  "allocation-line": {
    table: "allocations",
    key: ["organisation_code", "financial_year", "allocation_type"],
    columns: [
      column("organisationCode", "organisation_code", "text"),
      column("financialYear", "financial_year", "text"),
      column("allocationType", "allocation_type", "text"),
      column("amount", "amount_pence", "pence"),
      column("publishedOn", "published_on", "date")
    ]
  },
  "budget-line": {
    table: "budget_lines",
    key: ["organisation", "financial_year", "service_code", "expense_code"],
    columns: [
      column("organisation", "organisation", "text"),
      column("financialYear", "financial_year", "text"),
      column("serviceCode", "service_code", "text"),
      column("expenseCode", "expense_code", "text"),
      column("service", "service", "text"),
      column("expenseType", "expense_type", "text"),
      column("capitalOrRevenue", "capital_or_revenue", "text"),
      column("budget", "budget_pence", "pence"),
      column("revisedBudget", "revised_budget_pence", "pence", { optional: true })
    ]
  },
  "pooled-fund-statement-line": {
    table: "pooled_fund_statements",
    key: ["fund_id", "financial_year", "month", "partner"],
    columns: [
      column("fundId", "fund_id", "text"),
      column("financialYear", "financial_year", "text"),
      column("month", "month", "integer"),
      column("partner", "partner", "text"),
      column("fundName", "fund_name", "text"),
      column("host", "host", "text"),
      column("partnerKind", "partner_kind", "text"),
      column("planned", "planned_pence", "pence"),
      column("contributed", "contributed_pence", "pence"),
      column("spent", "spent_pence", "pence")
    ]
  },
  "pooled-contribution": {
    table: "pooled_fund_contributions",
    key: ["fund_id", "financial_year", "month", "partner_code", "version"],
    columns: [
      column("fundId", "fund_id", "text"),
      column("financialYear", "financial_year", "text"),
      column("month", "month", "integer"),
      column("partnerCode", "partner_code", "text"),
      column("version", "version", "integer"),
      column("amount", "amount_pence", "pence"),
      column("reference", "reference", "text", { optional: true })
    ]
  },
  "submission-acknowledgement": {
    table: "acknowledgements",
    key: ["kind", "submission_id"],
    columns: [
      column("kind", "kind", "text"),
      column("submissionId", "submission_id", "text"),
      column("idempotencyKey", "idempotency_key", "text"),
      column("status", "status", "text"),
      column("receivedAt", "received_at", "text"),
      column("duplicate", "duplicate", "boolean"),
      column("reasons", "reasons", "jsonb")
    ]
  },
  contract: {
    table: "contracts",
    key: ["contract_id"],
    columns: [
      column("contractId", "contract_id", "text"),
      column("commissionerCode", "commissioner_code", "text"),
      column("providerCode", "provider_code", "text"),
      column("providerName", "provider_name", "text", { optional: true }),
      column("financialYear", "financial_year", "text"),
      column("contractType", "contract_type", "text"),
      column("startDate", "start_date", "date"),
      column("endDate", "end_date", "date", { optional: true }),
      column("annualValue", "annual_value_pence", "pence"),
      column("status", "status", "text")
    ]
  }
}

/**
 * Every record kind, in a stable order.
 *
 * @category tables
 * @since 0.1.0
 */
export const kinds: ReadonlyArray<RecordKind> = Object.keys(tables) as Array<RecordKind>

/**
 * Whether a record type name (such as a plugin stream's declared record type) has a table in the store.
 * Push-only types (financial returns, intentions, declarations) travel as outbox payloads instead.
 *
 * @category tables
 * @since 0.1.0
 */
export const isRecordKind = (name: string): name is RecordKind => Object.hasOwn(tables, name)
