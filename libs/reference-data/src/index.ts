/**
 * Reference data for the hub: importers for the real ONS and ODS files (LSOA lookups of any year, the PCO list,
 * ODS standard-layout extracts, area weights) and the bundled London 2006-2021 and Southampton dataset.
 *
 * @since 0.1.0
 */
export * as AreaWeights from "./AreaWeights.ts"
export * as BoardPapers from "./BoardPapers.ts"
export * as Bundled from "./Bundled.ts"
export * as CsvFile from "./CsvFile.ts"
export * as ImportError from "./ImportError.ts"
export * as OdsExtract from "./OdsExtract.ts"
export * as OnsLookup from "./OnsLookup.ts"
export * as PcoList from "./PcoList.ts"
export * as ReferenceFiles from "./ReferenceFiles.ts"
