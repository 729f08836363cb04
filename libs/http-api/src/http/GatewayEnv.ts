/**
 * The Hono environment of the gateway: the per-request variables middleware sets and handlers read, and the
 * services the shared Effect runtime provides to every use case.
 *
 * @since 0.1.0
 */
import type { AuditLog, BudgetRepo, DelegationRepo, IdempotencyRepo, OutboxRepo, RecordRepo } from "@hub/store"
import type { ManagedRuntime } from "effect"
import type { SqlClient } from "effect/sql"
import type { ApiKey, ApiKeys } from "../ports/ApiKeys.ts"
import type { Plugins } from "../ports/Plugins.ts"
import type { Readiness } from "../ports/Readiness.ts"
import type { ReferenceData } from "../ports/ReferenceData.ts"
import type { SubmissionQueue } from "../ports/SubmissionQueue.ts"
import type { SyncJobs } from "../ports/SyncJobs.ts"

/**
 * The services every handler's use case may require: the gateway's ports, and libs/store's repositories (and its
 * SQL client, for the quarantine's paging) for the read routes.
 *
 * @category models
 * @since 0.1.0
 */
export type Services = ReferenceData | ApiKeys | Readiness | AuditLog.AuditLog | BudgetRepo.BudgetRepo | SqlClient.SqlClient | Plugins | SyncJobs
  // Submissions: preparing reads records and writes the outbox; submitting claims Idempotency-Keys and enqueues.
  | RecordRepo.RecordRepo | OutboxRepo.OutboxRepo | IdempotencyRepo.IdempotencyRepo | SubmissionQueue
  // Delegations: recording one checks it against every recorded one, in the store's transaction.
  | DelegationRepo.DelegationRepo

/**
 * The one runtime the app runs use cases on, built once from the layers (see `GatewayHost.serve`).
 *
 * @category models
 * @since 0.1.0
 */
export type GatewayRuntime = ManagedRuntime.ManagedRuntime<Services, unknown>

/**
 * Per-request variables: the request id (always set) and the authenticated key (set on /v1 routes).
 *
 * @category models
 * @since 0.1.0
 */
export interface Variables {
  requestId: string
  apiKey: ApiKey | undefined
}

/**
 * @category models
 * @since 0.1.0
 */
export interface GatewayEnv {
  Variables: Variables
}
