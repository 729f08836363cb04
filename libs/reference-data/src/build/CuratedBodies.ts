/**
 * The facts of the bundled dataset that no register file holds, written down once with where they come from:
 * which PCTs were London's (and Southampton's), the council(s) each PCT served, NHS London's six sectors and
 * their members, NHS London and NHS England, and the periods fixed for the bundled dataset (see ../README.md).
 *
 * @since 0.1.0
 */

/**
 * A PCT of the bundle: its ODS code (looked up in the ONS PCO list for its GSS code and name), the GSS codes
 * and names of the councils whose population it served, and its NHS London sector (none outside London).
 *
 * @category models
 * @since 0.1.0
 */
export interface CuratedPct {
  readonly ods: string
  readonly councils: ReadonlyArray<readonly [gss: string, name: string]>
  readonly sector?: string
}

/**
 * The six NHS London sectors (DOMAIN.md §1; southwark-2010 §2; london-councils-2009 §7, §20).
 *
 * @category constants
 * @since 0.1.0
 */
export const sectors: ReadonlyArray<{ readonly code: string; readonly name: string }> = [
  { code: "LDN-SECTOR-NW", name: "NHS London North West sector" },
  { code: "LDN-SECTOR-NC", name: "NHS London North Central sector" },
  { code: "LDN-SECTOR-INE", name: "NHS London Inner North East sector" },
  { code: "LDN-SECTOR-ONE", name: "NHS London Outer North East sector" },
  { code: "LDN-SECTOR-SE", name: "NHS London South East sector" },
  { code: "LDN-SECTOR-SW", name: "NHS London South West sector" }
]

/**
 * Where the sector memberships come from.
 *
 * @category constants
 * @since 0.1.0
 */
export const sectorSource = "DOMAIN.md §1 (southwark-2010 §2; london-councils-2009 §7, §20)"

/**
 * London's 31 PCTs: the PCTs of the ONS PCO list (April 2011) whose population is that of the 33 London
 * boroughs. Each served the borough of its name; City and Hackney (5C3) also served the City of London and
 * Sutton and Merton (5M7) two boroughs (DOMAIN.md §1). The build checks every code against the PCO list, every
 * council code and name against the ONS lookup, and that together they hold exactly the lookup's 33 E09
 * councils, each once. Sectors as DOMAIN.md §1 lists them.
 *
 * @category constants
 * @since 0.1.0
 */
export const londonPcts: ReadonlyArray<CuratedPct> = [
  // North West
  { ods: "5K5", councils: [["E09000005", "Brent"]], sector: "LDN-SECTOR-NW" },
  { ods: "5HX", councils: [["E09000009", "Ealing"]], sector: "LDN-SECTOR-NW" },
  { ods: "5H1", councils: [["E09000013", "Hammersmith and Fulham"]], sector: "LDN-SECTOR-NW" },
  { ods: "5K6", councils: [["E09000015", "Harrow"]], sector: "LDN-SECTOR-NW" },
  { ods: "5AT", councils: [["E09000017", "Hillingdon"]], sector: "LDN-SECTOR-NW" },
  { ods: "5HY", councils: [["E09000018", "Hounslow"]], sector: "LDN-SECTOR-NW" },
  { ods: "5LA", councils: [["E09000020", "Kensington and Chelsea"]], sector: "LDN-SECTOR-NW" },
  { ods: "5LC", councils: [["E09000033", "Westminster"]], sector: "LDN-SECTOR-NW" },
  // North Central
  { ods: "5A9", councils: [["E09000003", "Barnet"]], sector: "LDN-SECTOR-NC" },
  { ods: "5K7", councils: [["E09000007", "Camden"]], sector: "LDN-SECTOR-NC" },
  { ods: "5C1", councils: [["E09000010", "Enfield"]], sector: "LDN-SECTOR-NC" },
  { ods: "5C9", councils: [["E09000014", "Haringey"]], sector: "LDN-SECTOR-NC" },
  { ods: "5K8", councils: [["E09000019", "Islington"]], sector: "LDN-SECTOR-NC" },
  // Inner North East
  { ods: "5C3", councils: [["E09000001", "City of London"], ["E09000012", "Hackney"]], sector: "LDN-SECTOR-INE" },
  { ods: "5C5", councils: [["E09000025", "Newham"]], sector: "LDN-SECTOR-INE" },
  { ods: "5C4", councils: [["E09000030", "Tower Hamlets"]], sector: "LDN-SECTOR-INE" },
  // Outer North East
  { ods: "5C2", councils: [["E09000002", "Barking and Dagenham"]], sector: "LDN-SECTOR-ONE" },
  { ods: "5A4", councils: [["E09000016", "Havering"]], sector: "LDN-SECTOR-ONE" },
  { ods: "5NA", councils: [["E09000026", "Redbridge"]], sector: "LDN-SECTOR-ONE" },
  { ods: "5NC", councils: [["E09000031", "Waltham Forest"]], sector: "LDN-SECTOR-ONE" },
  // South East
  { ods: "TAK", councils: [["E09000004", "Bexley"]], sector: "LDN-SECTOR-SE" },
  { ods: "5A7", councils: [["E09000006", "Bromley"]], sector: "LDN-SECTOR-SE" },
  { ods: "5A8", councils: [["E09000011", "Greenwich"]], sector: "LDN-SECTOR-SE" },
  { ods: "5LD", councils: [["E09000022", "Lambeth"]], sector: "LDN-SECTOR-SE" },
  { ods: "5LF", councils: [["E09000023", "Lewisham"]], sector: "LDN-SECTOR-SE" },
  { ods: "5LE", councils: [["E09000028", "Southwark"]], sector: "LDN-SECTOR-SE" },
  // South West
  { ods: "5K9", councils: [["E09000008", "Croydon"]], sector: "LDN-SECTOR-SW" },
  { ods: "5A5", councils: [["E09000021", "Kingston upon Thames"]], sector: "LDN-SECTOR-SW" },
  { ods: "5M6", councils: [["E09000027", "Richmond upon Thames"]], sector: "LDN-SECTOR-SW" },
  { ods: "5M7", councils: [["E09000024", "Merton"], ["E09000029", "Sutton"]], sector: "LDN-SECTOR-SW" },
  { ods: "5LG", councils: [["E09000032", "Wandsworth"]], sector: "LDN-SECTOR-SW" }
]

/**
 * Southampton City PCT and the unitary council it served.
 *
 * @category constants
 * @since 0.1.0
 */
export const southamptonPct: CuratedPct = { ods: "5L1", councils: [["E06000045", "Southampton"]] }

/**
 * The fixed periods and the bodies no register file lists (codes.md).
 *
 * @category constants
 * @since 0.1.0
 */
export const fixed = {
  pctPeriod: { opened: "2006-10-01", closed: "2013-04-01" },
  sectorPeriod: { opened: "2006-10-01", closed: "2013-04-01" },
  londonCouncilOpened: "1965-04-01",
  southamptonCouncilOpened: "1997-04-01",
  /** The 2015 lookup's boundaries are used from the CCGs' start; the 2020 lookup's from the 2020 mergers. */
  lookup2015From: "2013-04-01",
  lookup2020From: "2020-04-01",
  nhsLondon: {
    code: "Q36",
    odsCode: "Q36",
    name: "NHS London",
    kind: "strategic-health-authority",
    statutory: true,
    period: { opened: "2006-07-01", closed: "2013-04-01" },
    source: "codes.md; DOMAIN.md §1 (london-2006 §103, §112)"
  },
  nhsEngland: {
    code: "X24",
    odsCode: "X24",
    name: "NHS England (NHS Commissioning Board)",
    kind: "nhs-england",
    statutory: true,
    period: { opened: "2012-10-01" },
    source: "codes.md; DOMAIN.md §1 (southampton-2011 §8; southwark-2015 §14)"
  }
} as const
