/**
 * The NHS England returns plugin (`plugin`) and its parts.
 *
 * @since 0.1.0
 */
export * as NhsEnglandReturnsConfig from "./NhsEnglandReturnsConfig.ts"
export * as NhsEnglandReturnsPlugin from "./NhsEnglandReturnsPlugin.ts"
export * as StreamPages from "./StreamPages.ts"
export * as SubmissionRequest from "./SubmissionRequest.ts"
export { plugin } from "./NhsEnglandReturnsPlugin.ts"
