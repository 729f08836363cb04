/**
 * The canonical record types by name, each with its schema, natural key and batch decoder: what a manifest's
 * streams and push kinds refer to, and what the host uses to validate a page and to upsert it idempotently.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as RowMapping from "./RowMapping.ts"
import * as AllocationLine from "./records/AllocationLine.ts"
import * as BudgetLine from "./records/BudgetLine.ts"
import * as CoCommissioningDeclaration from "./records/CoCommissioningDeclaration.ts"
import * as CommissioningIntention from "./records/CommissioningIntention.ts"
import * as Contract from "./records/Contract.ts"
import * as ContractActivityLine from "./records/ContractActivityLine.ts"
import * as CouncilSpendLine from "./records/CouncilSpendLine.ts"
import * as FinancialReturn from "./records/FinancialReturn.ts"
import * as PooledFundStatement from "./records/PooledFundStatement.ts"
import * as SubmissionAcknowledgement from "./records/SubmissionAcknowledgement.ts"

/**
 * A canonical record type: its schema (wire form: money as pounds strings) and its natural key.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordTypeInfo<A> {
  readonly name: RecordTypeName
  readonly schema: Schema.Codec<A, unknown>
  readonly naturalKey: (record: A) => string
  /** Decodes one candidate in wire form (money as pounds strings), naming every bad field. */
  readonly decode: (candidate: unknown) => RowMapping.RowOutcome<A>
  /**
   * Decodes a batch of candidates in wire form (e.g. JSON items a system sent): records, and rejections with
   * each row's line, failing fields and raw text. Plain code, no per-row Effect.
   */
  readonly mapRows: (rows: Iterable<RowMapping.SourceRow & { readonly candidate: unknown }>) => RowMapping.MappedBatch<A>
  /**
   * Checks one record in decoded form (money as pence), naming every bad field: what the host runs over each
   * pulled page. Compiled once; a type with a plain fast check skips the Schema decode for records it proves
   * valid.
   */
  readonly check: (record: unknown) => RowMapping.RowOutcome<A>
}

const info = <A>(
  name: RecordTypeName,
  schema: Schema.Codec<A, unknown>,
  naturalKey: (record: A) => string,
  isValidDecoded?: (record: unknown) => record is A
): RecordTypeInfo<A> => {
  const decode = RowMapping.decoderFor(schema)
  const check = RowMapping.checkerFor(schema, isValidDecoded)
  return { name, schema, naturalKey, decode, mapRows: (rows) => RowMapping.mapRows(rows, (row) => decode(row.candidate)), check }
}

/**
 * Names of the canonical record types.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RecordTypeName = Schema.Literals([
  "contract-activity-line",
  "commissioning-intention",
  "council-spend-line",
  "budget-line",
  "pooled-fund-statement-line",
  "pooled-contribution",
  "allocation-line",
  "financial-return",
  "co-commissioning-declaration",
  "submission-acknowledgement",
  "contract"
])

/**
 * @category models
 * @since 0.1.0
 */
export type RecordTypeName = typeof RecordTypeName.Type

/**
 * Every canonical record type by name.
 *
 * @category constants
 * @since 0.1.0
 */
export const recordTypes = {
  "contract-activity-line": info(
    "contract-activity-line",
    ContractActivityLine.ContractActivityLine,
    ContractActivityLine.naturalKey
  ),
  "commissioning-intention": info(
    "commissioning-intention",
    CommissioningIntention.CommissioningIntention,
    CommissioningIntention.naturalKey
  ),
  "council-spend-line": info(
    "council-spend-line",
    CouncilSpendLine.CouncilSpendLine,
    CouncilSpendLine.naturalKey,
    CouncilSpendLine.isValidDecoded
  ),
  "budget-line": info("budget-line", BudgetLine.BudgetLine, BudgetLine.naturalKey),
  "pooled-fund-statement-line": info(
    "pooled-fund-statement-line",
    PooledFundStatement.PooledFundStatementLine,
    PooledFundStatement.naturalKey
  ),
  "pooled-contribution": info(
    "pooled-contribution",
    PooledFundStatement.PooledContribution,
    PooledFundStatement.contributionKey
  ),
  "allocation-line": info("allocation-line", AllocationLine.AllocationLine, AllocationLine.naturalKey),
  "financial-return": info("financial-return", FinancialReturn.FinancialReturn, FinancialReturn.naturalKey),
  "co-commissioning-declaration": info(
    "co-commissioning-declaration",
    CoCommissioningDeclaration.CoCommissioningDeclaration,
    CoCommissioningDeclaration.naturalKey
  ),
  "submission-acknowledgement": info(
    "submission-acknowledgement",
    SubmissionAcknowledgement.SubmissionAcknowledgement,
    SubmissionAcknowledgement.naturalKey
  ),
  contract: info("contract", Contract.Contract, Contract.naturalKey)
} as const

/**
 * The record type of a name (schema and natural key), typed for known names.
 *
 * @category accessors
 * @since 0.1.0
 */
export const get = <N extends RecordTypeName>(name: N): (typeof recordTypes)[N] => recordTypes[name]
