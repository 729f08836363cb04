/**
 * The London CBS plugin (`plugin`) and its parts.
 *
 * @since 0.1.0
 */
export * as ActivityPage from "./ActivityPage.ts"
export * as CbsPage from "./CbsPage.ts"
export * as ContractPage from "./ContractPage.ts"
export * as IntentionRequest from "./IntentionRequest.ts"
export * as LondonCbsConfig from "./LondonCbsConfig.ts"
export * as LondonCbsPlugin from "./LondonCbsPlugin.ts"
export { plugin } from "./LondonCbsPlugin.ts"
