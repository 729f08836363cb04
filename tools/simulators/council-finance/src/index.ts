/**
 * The council finance system simulator (docs/external-systems/council-finance.md), for embedding in the demo and
 * in benchmarks; `main.ts` runs it as a process.
 *
 * @since 0.1.0
 */
export * as CouncilFinanceApp from "./CouncilFinanceApp.ts"
export * as Councils from "./Councils.ts"
export * as CsvText from "./CsvText.ts"
export * as GeneratedDatasets from "./GeneratedDatasets.ts"
export * as SourceDataset from "./SourceDataset.ts"
