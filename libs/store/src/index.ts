/**
 * The hub's database layer: PostgreSQL (or embedded PGlite) through effect's SqlClient, versioned migrations
 * and the repositories the use cases call.
 *
 * @since 0.1.0
 */
export * as ApiKeyRepo from "./ApiKeyRepo.ts"
export * as AuditLog from "./AuditLog.ts"
export * as BudgetRepo from "./BudgetRepo.ts"
export * as BulkUpsert from "./BulkUpsert.ts"
export * as DataFolderLock from "./DataFolderLock.ts"
export * as DelegationRepo from "./DelegationRepo.ts"
export * as IdempotencyRepo from "./IdempotencyRepo.ts"
export * as IngestRepo from "./IngestRepo.ts"
export * as Migrations from "./Migrations.ts"
export * as Migrator from "./Migrator.ts"
export * as OutboxRepo from "./OutboxRepo.ts"
export * as PgliteStream from "./PgliteStream.ts"
export * as RecordKinds from "./RecordKinds.ts"
export * as RecordRepo from "./RecordRepo.ts"
export * as ReferenceDataRepo from "./ReferenceDataRepo.ts"
export * as Store from "./Store.ts"
export * as StoreError from "./StoreError.ts"
export * as TableSpec from "./TableSpec.ts"
