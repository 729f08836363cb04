/**
 * The London bodies the CBS simulator knows: the 31 London PCTs with their sectors, the 32 London CCGs with
 * their NHS England area teams, and the London NHS trusts that are its providers. Codes and names are copied
 * from public registers (Open Government Licence v3): PCTs from the ONS "PCO11" list (April 2011), CCGs from
 * the ODS `eccg` extract, trusts from the ODS `etr` extract (January 2021), see /work/shared/data/SOURCES.md.
 *
 * @since 0.1.0
 */

/**
 * The six NHS London sectors of PCTs (2006-2013), and for CCGs the NHS England London area team their
 * providers mostly belong to, mapped onto the same five provider groupings.
 *
 * @category models
 * @since 0.1.0
 */
export type Sector = "NW" | "NC" | "INE" | "ONE" | "SE" | "SW"

/**
 * @category models
 * @since 0.1.0
 */
export interface Commissioner {
  readonly code: string
  readonly name: string
  readonly kind: "pct" | "ccg"
  readonly sector: Sector
  /** First financial year (start year) the body commissioned in, and the last one. */
  readonly firstYear: number
  readonly lastYear: number
}

/**
 * @category models
 * @since 0.1.0
 */
export type ContractType = "acute" | "mental-health" | "community" | "ambulance" | "specialist"

/**
 * @category models
 * @since 0.1.0
 */
export interface Trust {
  readonly code: string
  readonly name: string
  readonly type: ContractType
  /** Local sectors; empty for London-wide providers (specialist trusts, ambulance). */
  readonly sectors: ReadonlyArray<Sector>
  /** Operational period as financial start years [opened, closed). */
  readonly openedYear: number
  readonly closedYear: number | undefined
}

const pct = (code: string, name: string, sector: Sector): Commissioner => ({ code, name, kind: "pct", sector, firstYear: 2006, lastYear: 2012 })
const ccg = (code: string, name: string, sector: Sector, lastYear: number): Commissioner => ({ code, name, kind: "ccg", sector, firstYear: 2013, lastYear })

/**
 * The 31 London PCTs (ONS PCO11 codes), by NHS London sector (DOMAIN.md §1).
 *
 * @category data
 * @since 0.1.0
 */
export const pcts: ReadonlyArray<Commissioner> = [
  pct("5K5", "NHS Brent", "NW"), pct("5HX", "NHS Ealing", "NW"), pct("5H1", "NHS Hammersmith and Fulham", "NW"),
  pct("5K6", "NHS Harrow", "NW"), pct("5AT", "NHS Hillingdon", "NW"), pct("5HY", "NHS Hounslow", "NW"),
  pct("5LA", "NHS Kensington and Chelsea", "NW"), pct("5LC", "NHS Westminster", "NW"),
  pct("5A9", "NHS Barnet", "NC"), pct("5K7", "NHS Camden", "NC"), pct("5C1", "NHS Enfield", "NC"),
  pct("5C9", "NHS Haringey", "NC"), pct("5K8", "NHS Islington", "NC"),
  pct("5C3", "NHS City and Hackney", "INE"), pct("5C5", "NHS Newham", "INE"), pct("5C4", "NHS Tower Hamlets", "INE"),
  pct("5C2", "NHS Barking and Dagenham", "ONE"), pct("5A4", "NHS Havering", "ONE"), pct("5NA", "NHS Redbridge", "ONE"),
  pct("5NC", "NHS Waltham Forest", "ONE"),
  pct("TAK", "Bexley Care Trust", "SE"), pct("5A7", "NHS Bromley", "SE"), pct("5A8", "NHS Greenwich", "SE"),
  pct("5LD", "NHS Lambeth", "SE"), pct("5LF", "NHS Lewisham", "SE"), pct("5LE", "NHS Southwark", "SE"),
  pct("5K9", "NHS Croydon", "SW"), pct("5A5", "NHS Kingston", "SW"), pct("5M6", "NHS Richmond and Twickenham", "SW"),
  pct("5M7", "NHS Sutton and Merton", "SW"), pct("5LG", "NHS Wandsworth", "SW")
]

/**
 * The 32 London CCGs (ODS eccg, opened 2013-04-01); `lastYear` from the eccg close date.
 *
 * @category data
 * @since 0.1.0
 */
export const ccgs: ReadonlyArray<Commissioner> = [
  ccg("07L", "NHS Barking and Dagenham CCG", "ONE", 2020), ccg("07M", "NHS Barnet CCG", "NC", 2019),
  ccg("07N", "NHS Bexley CCG", "SE", 2019), ccg("07P", "NHS Brent CCG", "NW", 2020),
  ccg("07Q", "NHS Bromley CCG", "SE", 2019), ccg("07R", "NHS Camden CCG", "NC", 2019),
  ccg("07T", "NHS City and Hackney CCG", "INE", 2020), ccg("07V", "NHS Croydon CCG", "SW", 2019),
  ccg("07W", "NHS Ealing CCG", "NW", 2020), ccg("07X", "NHS Enfield CCG", "NC", 2019),
  ccg("07Y", "NHS Hounslow CCG", "NW", 2020), ccg("08A", "NHS Greenwich CCG", "SE", 2019),
  ccg("08C", "NHS Hammersmith and Fulham CCG", "NW", 2020), ccg("08D", "NHS Haringey CCG", "NC", 2019),
  ccg("08E", "NHS Harrow CCG", "NW", 2020), ccg("08F", "NHS Havering CCG", "ONE", 2020),
  ccg("08G", "NHS Hillingdon CCG", "NW", 2020), ccg("08H", "NHS Islington CCG", "NC", 2019),
  ccg("08J", "NHS Kingston CCG", "SW", 2019), ccg("08K", "NHS Lambeth CCG", "SE", 2019),
  ccg("08L", "NHS Lewisham CCG", "SE", 2019), ccg("08M", "NHS Newham CCG", "INE", 2020),
  ccg("08N", "NHS Redbridge CCG", "ONE", 2020), ccg("08P", "NHS Richmond CCG", "SW", 2019),
  ccg("08Q", "NHS Southwark CCG", "SE", 2019), ccg("08R", "NHS Merton CCG", "SW", 2019),
  ccg("08T", "NHS Sutton CCG", "SW", 2019), ccg("08V", "NHS Tower Hamlets CCG", "INE", 2020),
  ccg("08W", "NHS Waltham Forest CCG", "ONE", 2020), ccg("08X", "NHS Wandsworth CCG", "SW", 2019),
  ccg("08Y", "NHS West London CCG", "NW", 2020), ccg("09A", "NHS Central London (Westminster) CCG", "NW", 2020)
]

const trust = (
  code: string,
  name: string,
  type: ContractType,
  sectors: ReadonlyArray<Sector>,
  openedYear: number,
  closedYear?: number
): Trust => ({ code, name, type, sectors, openedYear, closedYear })

/**
 * London NHS trusts (ODS etr, national grouping Y56) with the kind of contract commissioners hold with them.
 *
 * @category data
 * @since 0.1.0
 */
export const trusts: ReadonlyArray<Trust> = [
  trust("RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "acute", ["SE"], 1993),
  trust("RJZ", "KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST", "acute", ["SE"], 1993),
  trust("RJ2", "LEWISHAM AND GREENWICH NHS TRUST", "acute", ["SE"], 1993),
  trust("RV5", "SOUTH LONDON AND MAUDSLEY NHS FOUNDATION TRUST", "mental-health", ["SE"], 1999),
  trust("RPG", "OXLEAS NHS FOUNDATION TRUST", "mental-health", ["SE"], 1994),
  trust("RJ7", "ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST", "acute", ["SW"], 1993),
  trust("RJ6", "CROYDON HEALTH SERVICES NHS TRUST", "acute", ["SW"], 1993),
  trust("RAX", "KINGSTON HOSPITAL NHS FOUNDATION TRUST", "acute", ["SW"], 1991),
  trust("RVR", "EPSOM AND ST HELIER UNIVERSITY HOSPITALS NHS TRUST", "acute", ["SW"], 1999),
  trust("RQY", "SOUTH WEST LONDON AND ST GEORGE'S MENTAL HEALTH NHS TRUST", "mental-health", ["SW"], 1995),
  trust("RY9", "HOUNSLOW AND RICHMOND COMMUNITY HEALTHCARE NHS TRUST", "community", ["SW", "NW"], 2011),
  trust("RYJ", "IMPERIAL COLLEGE HEALTHCARE NHS TRUST", "acute", ["NW"], 2007),
  trust("RQM", "CHELSEA AND WESTMINSTER HOSPITAL NHS FOUNDATION TRUST", "acute", ["NW"], 1994),
  trust("RAS", "THE HILLINGDON HOSPITALS NHS FOUNDATION TRUST", "acute", ["NW"], 1991),
  trust("RFW", "WEST MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST", "acute", ["NW"], 1993, 2015),
  trust("R1K", "LONDON NORTH WEST HEALTHCARE NHS TRUST", "acute", ["NW"], 2014),
  trust("RKL", "WEST LONDON MENTAL HEALTH NHS TRUST", "mental-health", ["NW"], 2001),
  trust("RV3", "CENTRAL AND NORTH WEST LONDON NHS FOUNDATION TRUST", "mental-health", ["NW"], 1999),
  trust("RYX", "CENTRAL LONDON COMMUNITY HEALTHCARE NHS TRUST", "community", ["NW", "NC"], 2010),
  trust("RRV", "UNIVERSITY COLLEGE LONDON HOSPITALS NHS FOUNDATION TRUST", "acute", ["NC"], 1996),
  trust("RAL", "ROYAL FREE LONDON NHS FOUNDATION TRUST", "acute", ["NC"], 1991),
  trust("RAP", "NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST", "acute", ["NC"], 1991),
  trust("RKE", "THE WHITTINGTON HOSPITAL NHS TRUST", "acute", ["NC"], 1993),
  trust("RRP", "BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST", "mental-health", ["NC"], 2001),
  trust("R1H", "BARTS HEALTH NHS TRUST", "acute", ["INE", "ONE"], 2012),
  trust("RQX", "HOMERTON UNIVERSITY HOSPITAL NHS FOUNDATION TRUST", "acute", ["INE"], 1995),
  trust("RWK", "EAST LONDON NHS FOUNDATION TRUST", "mental-health", ["INE"], 2000),
  trust("RF4", "BARKING, HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST", "acute", ["ONE"], 2001),
  trust("RAT", "NORTH EAST LONDON NHS FOUNDATION TRUST", "mental-health", ["ONE"], 2001),
  trust("RP4", "GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST", "specialist", [], 1994),
  trust("RP6", "MOORFIELDS EYE HOSPITAL NHS FOUNDATION TRUST", "specialist", [], 1994),
  trust("RPY", "THE ROYAL MARSDEN NHS FOUNDATION TRUST", "specialist", [], 1994),
  trust("RT3", "ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST", "specialist", [], 1998),
  trust("RAN", "ROYAL NATIONAL ORTHOPAEDIC HOSPITAL NHS TRUST", "specialist", [], 1991),
  trust("RNK", "TAVISTOCK AND PORTMAN NHS FOUNDATION TRUST", "specialist", [], 1994),
  trust("RRU", "LONDON AMBULANCE SERVICE NHS TRUST", "ambulance", [], 1996)
]

/**
 * Every commissioner by code.
 *
 * @category data
 * @since 0.1.0
 */
export const commissionersByCode: ReadonlyMap<string, Commissioner> = new Map([...pcts, ...ccgs].map((c) => [c.code, c]))

/**
 * Every trust by code.
 *
 * @category data
 * @since 0.1.0
 */
export const trustsByCode: ReadonlyMap<string, Trust> = new Map(trusts.map((t) => [t.code, t]))

/**
 * Whether a trust was operational for the whole financial year starting in `year`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const trustOpenIn = (t: Trust, year: number): boolean =>
  t.openedYear <= year && (t.closedYear === undefined || t.closedYear > year)
