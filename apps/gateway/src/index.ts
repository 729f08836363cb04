/**
 * The gateway process (`main.ts`) and its configuration (`GatewayConfig`). The HTTP application itself lives in
 * libs/http-api; its namespaces are re-exported here for callers that still import `@hub/gateway` (tools/bench).
 *
 * @since 0.1.0
 */
export { ApiKeys, App, GatewayErrors, GatewayMetrics, GatewayServer, ProblemDetails, QueueMetrics, QueueReadiness, Readiness, ReferenceData, StoreApiKeys, StoreReadiness } from "@hub/http-api"
export * as GatewayConfig from "./GatewayConfig.ts"
