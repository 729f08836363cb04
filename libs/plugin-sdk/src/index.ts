/**
 * The plugin SDK: the contract every integration implements (manifest, check, pull, push), its errors, the HTTP
 * client the host provides, and the canonical records plugins produce. The contract test kit is the separate
 * entry `@hub/plugin-sdk/testing`.
 *
 * @since 0.1.0
 */
export * as AddressPolicy from "./AddressPolicy.ts"
export * as HttpClient from "./HttpClient.ts"
export * as Manifest from "./Manifest.ts"
export * as Page from "./Page.ts"
export * as Plugin from "./Plugin.ts"
export * as PluginError from "./PluginError.ts"
export * as RecordType from "./RecordType.ts"
export * as RowMapping from "./RowMapping.ts"
export * as AllocationLine from "./records/AllocationLine.ts"
export * as BudgetLine from "./records/BudgetLine.ts"
export * as CoCommissioningDeclaration from "./records/CoCommissioningDeclaration.ts"
export * as CommissioningIntention from "./records/CommissioningIntention.ts"
export * as Contract from "./records/Contract.ts"
export * as ContractActivityLine from "./records/ContractActivityLine.ts"
export * as CouncilSpendLine from "./records/CouncilSpendLine.ts"
export * as Fields from "./records/Fields.ts"
export * as FinancialReturn from "./records/FinancialReturn.ts"
export * as PooledFundStatement from "./records/PooledFundStatement.ts"
export * as SubmissionAcknowledgement from "./records/SubmissionAcknowledgement.ts"
