/**
 * The NHS England returns simulator: `makeNhsEnglandReturnsApp(options)` for in-process use; `main.ts` for a
 * process.
 *
 * @since 0.1.0
 */
export * as Allocations from "./Allocations.ts"
export * as FinancialCalendar from "./FinancialCalendar.ts"
export * as NhsEnglandReturnsApp from "./NhsEnglandReturnsApp.ts"
export * as ReferenceData from "./ReferenceData.ts"
export * as ReturnsRegister from "./ReturnsRegister.ts"
export * as Submissions from "./Submissions.ts"
export { makeNhsEnglandReturnsApp } from "./NhsEnglandReturnsApp.ts"
