/**
 * The London CBS simulator: `makeLondonCbsApp(options)` for in-process use; `main.ts` for a process.
 *
 * @since 0.1.0
 */
export * as ChangeStream from "./ChangeStream.ts"
export * as CommissioningIntentions from "./CommissioningIntentions.ts"
export * as Dataset from "./Dataset.ts"
export * as LondonCbsApp from "./LondonCbsApp.ts"
export * as ReferenceData from "./ReferenceData.ts"
export { makeLondonCbsApp } from "./LondonCbsApp.ts"
