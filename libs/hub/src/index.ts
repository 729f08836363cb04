/**
 * The hub's use cases: exactly-once ingest of plugin streams and the budget positions it recomputes, preparing
 * and pushing returns through the outbox, reference-data import, and the status ops read. They talk to the store and the queues only through their service interfaces.
 *
 * @since 0.1.0
 */
export * as FinancialReturnPreparation from "./FinancialReturnPreparation.ts"
export * as HubError from "./HubError.ts"
export * as Ingest from "./Ingest.ts"
export * as PluginRegistry from "./PluginRegistry.ts"
export * as Positions from "./Positions.ts"
export * as Push from "./Push.ts"
export * as ReferenceDataImport from "./ReferenceDataImport.ts"
export * as Status from "./Status.ts"
