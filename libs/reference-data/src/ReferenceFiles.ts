/**
 * Where the real reference files copied into this library live (see data/ATTRIBUTION.md), as absolute paths, so
 * the build script, tests and the CLI read the same files wherever they are started from.
 *
 * @since 0.1.0
 */
import { fileURLToPath } from "node:url"

const dataFile = (relative: string): string => fileURLToPath(new URL(`../data/${relative}`, import.meta.url))

/**
 * ONS LSOA (2011) to CCG to LAD lookup, July 2015 (`LSOA11CD,LSOA11NM,CCG15CD,CCG15CDH,CCG15NM,LAD15CD,LAD15NM,FID`).
 *
 * @category files
 * @since 0.1.0
 */
export const onsLookup2015: string = dataFile("ons/lsoa11-ccg15-lad15.csv")

/**
 * ONS LSOA (2011) to CCG to LAD lookup, April 2020 (FID first; 135 CCGs after the 2020 mergers).
 *
 * @category files
 * @since 0.1.0
 */
export const onsLookup2020: string = dataFile("ons/lsoa11-ccg20-lad20.csv")

/**
 * ONS primary care organisations (PCTs and care trusts) with ODS codes, April 2011.
 *
 * @category files
 * @since 0.1.0
 */
export const pcoList: string = dataFile("ons/pco11-names-codes-2011-04.csv")

/**
 * ODS eccg extract: every CCG since 2013 and the sub-ICB locations after them.
 *
 * @category files
 * @since 0.1.0
 */
export const odsCcgs: string = dataFile("ods/eccg.csv")

/**
 * ODS etr extract of NHS trusts, January 2021.
 *
 * @category files
 * @since 0.1.0
 */
export const odsTrusts: string = dataFile("ods/etr-2021-01.csv")

/**
 * The committed bundled dataset (written by `src/build/BuildBundled.ts`).
 *
 * @category files
 * @since 0.1.0
 */
export const bundledOrganisations: string = dataFile("bundled/organisations.json")

/**
 * @category files
 * @since 0.1.0
 */
export const bundledGeography: string = dataFile("bundled/geography.json")
