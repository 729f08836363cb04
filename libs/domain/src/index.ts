/**
 * The pure commissioning domain kernel. Imports only `effect`; no I/O, no clocks, no randomness.
 *
 * @since 0.1.0
 */
export * as BodyKind from "./BodyKind.ts"
export * as CalendarDate from "./CalendarDate.ts"
export * as Codes from "./Codes.ts"
export * as Coterminosity from "./Coterminosity.ts"
export * as Geography from "./Geography.ts"
export * as Organisation from "./Organisation.ts"
export * as Money from "./Money.ts"
export * as Period from "./Period.ts"
export * as Registry from "./Registry.ts"
export * as Violation from "./Violation.ts"
export * as Allocation from "./Allocation.ts"
export * as Budget from "./Budget.ts"
export * as Decision from "./Decision.ts"
export * as Delegation from "./Delegation.ts"
export * as DelegationResolution from "./DelegationResolution.ts"
export * as DelegationRules from "./DelegationRules.ts"
export * as Dividend from "./Dividend.ts"
export * as FinancialYear from "./FinancialYear.ts"
export * as PooledBudget from "./PooledBudget.ts"
export * as Position from "./Position.ts"
