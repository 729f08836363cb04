/**
 * The hub's HTTP application: `App.createApp` builds the Hono app over a runtime of the ports (`ReferenceData`,
 * `ApiKeys`, `Readiness`) and libs/store's repositories; `StoreApiKeys`, `StoreReadiness`, `QueueReadiness` and
 * `QueueMetrics` plug libs/store and libs/queue in; `GatewayServer.serve` serves it for the life of a scope.
 * Configuration is passed in as options: the apps that serve it (apps/gateway, the hub start in apps/worker)
 * read the environment.
 *
 * @since 0.1.0
 */
export * as App from "./App.ts"
export * as ApiKeys from "./ports/ApiKeys.ts"
export * as GatewayEnv from "./http/GatewayEnv.ts"
export * as GatewayErrors from "./problems/GatewayErrors.ts"
export * as GatewayMetrics from "./middleware/metrics/GatewayMetrics.ts"
export * as GatewayServer from "./GatewayServer.ts"
export * as ProblemDetails from "./problems/ProblemDetails.ts"
export * as Plugins from "./ports/Plugins.ts"
export * as Readiness from "./ports/Readiness.ts"
export * as SubmissionQueue from "./ports/SubmissionQueue.ts"
export * as SyncJobs from "./ports/SyncJobs.ts"
export * as ReferenceData from "./ports/ReferenceData.ts"
export * as QueueMetrics from "./adapters/QueueMetrics.ts"
export * as QueueReadiness from "./adapters/QueueReadiness.ts"
export * as QueueSubmissions from "./adapters/QueueSubmissions.ts"
export * as QueueSyncJobs from "./adapters/QueueSyncJobs.ts"
export * as StoreApiKeys from "./adapters/StoreApiKeys.ts"
export * as StoreReadiness from "./adapters/StoreReadiness.ts"
export * as GatewayHost from "./GatewayHost.ts"
export * as GatewayLimitsConfig from "./GatewayLimitsConfig.ts"
