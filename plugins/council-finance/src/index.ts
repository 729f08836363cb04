/**
 * The council-finance plugin (`@hub/plugin-council-finance`): the plugin itself, its configuration, the council
 * profiles and the CSV readers they drive.
 *
 * @since 0.1.0
 */
export * as BudgetBookCsv from "./BudgetBookCsv.ts"
export * as CellValues from "./CellValues.ts"
export * as CouncilCsv from "./CouncilCsv.ts"
export * as CouncilFinanceConfig from "./CouncilFinanceConfig.ts"
export * as CouncilFinancePlugin from "./CouncilFinancePlugin.ts"
export * as CouncilProfile from "./CouncilProfile.ts"
export * as CouncilProfiles from "./CouncilProfiles.ts"
export * as CouncilSpendCsv from "./CouncilSpendCsv.ts"
export * as PooledFundCsv from "./PooledFundCsv.ts"
