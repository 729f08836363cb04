/**
 * The commissioners NHS England's returns service knows: the London CCGs of 2013, Southampton CCG, and the
 * merged London CCGs of 2020 and 2021 with their predecessors. Codes and open dates from the ODS `eccg`
 * extract; close dates are the eccg close date + 1 day, or 2022-07-01 when CCGs were abolished; merger
 * groupings from the ONS 2015/2020 CCG lookups (Open Government Licence v3, see /work/shared/data/SOURCES.md).
 *
 * @since 0.1.0
 */

/**
 * A commissioner with its operational period `[opened, closed)` (ISO dates).
 *
 * @category models
 * @since 0.1.0
 */
export interface Commissioner {
  readonly code: string
  readonly name: string
  readonly opened: string
  readonly closed: string
  /** The CCGs it was formed from (merged CCGs only). */
  readonly predecessors: ReadonlyArray<string>
}

const ccg = (code: string, name: string, closed: string, predecessors: ReadonlyArray<string> = [], opened = "2013-04-01"): Commissioner =>
  ({ code, name, opened, closed, predecessors })

const ccgEnd = "2022-07-01"

/**
 * Every commissioner, by code.
 *
 * @category data
 * @since 0.1.0
 */
export const commissioners: ReadonlyArray<Commissioner> = [
  ccg("07L", "NHS Barking and Dagenham CCG", "2021-04-01"),
  ccg("07M", "NHS Barnet CCG", "2020-04-01"),
  ccg("07N", "NHS Bexley CCG", "2020-04-01"),
  ccg("07P", "NHS Brent CCG", "2021-04-01"),
  ccg("07Q", "NHS Bromley CCG", "2020-04-01"),
  ccg("07R", "NHS Camden CCG", "2020-04-01"),
  ccg("07T", "NHS City and Hackney CCG", "2021-04-01"),
  ccg("07V", "NHS Croydon CCG", "2020-04-01"),
  ccg("07W", "NHS Ealing CCG", "2021-04-01"),
  ccg("07X", "NHS Enfield CCG", "2020-04-01"),
  ccg("07Y", "NHS Hounslow CCG", "2021-04-01"),
  ccg("08A", "NHS Greenwich CCG", "2020-04-01"),
  ccg("08C", "NHS Hammersmith and Fulham CCG", "2021-04-01"),
  ccg("08D", "NHS Haringey CCG", "2020-04-01"),
  ccg("08E", "NHS Harrow CCG", "2021-04-01"),
  ccg("08F", "NHS Havering CCG", "2021-04-01"),
  ccg("08G", "NHS Hillingdon CCG", "2021-04-01"),
  ccg("08H", "NHS Islington CCG", "2020-04-01"),
  ccg("08J", "NHS Kingston CCG", "2020-04-01"),
  ccg("08K", "NHS Lambeth CCG", "2020-04-01"),
  ccg("08L", "NHS Lewisham CCG", "2020-04-01"),
  ccg("08M", "NHS Newham CCG", "2021-04-01"),
  ccg("08N", "NHS Redbridge CCG", "2021-04-01"),
  ccg("08P", "NHS Richmond CCG", "2020-04-01"),
  ccg("08Q", "NHS Southwark CCG", "2020-04-01"),
  ccg("08R", "NHS Merton CCG", "2020-04-01"),
  ccg("08T", "NHS Sutton CCG", "2020-04-01"),
  ccg("08V", "NHS Tower Hamlets CCG", "2021-04-01"),
  ccg("08W", "NHS Waltham Forest CCG", "2021-04-01"),
  ccg("08X", "NHS Wandsworth CCG", "2020-04-01"),
  ccg("08Y", "NHS West London CCG", "2021-04-01"),
  ccg("09A", "NHS Central London (Westminster) CCG", "2021-04-01"),
  ccg("10X", "NHS Southampton CCG", "2021-04-01"),
  ccg("72Q", "NHS South East London CCG", ccgEnd, ["07N", "07Q", "08A", "08K", "08L", "08Q"], "2020-04-01"),
  ccg("36L", "NHS South West London CCG", ccgEnd, ["07V", "08J", "08P", "08R", "08T", "08X"], "2020-04-01"),
  ccg("93C", "NHS North Central London CCG", ccgEnd, ["07M", "07R", "07X", "08D", "08H"], "2020-04-01"),
  ccg("A3A8R", "NHS North East London CCG", ccgEnd, ["07L", "07T", "08F", "08M", "08N", "08V", "08W"], "2021-04-01"),
  ccg("W2U3Z", "NHS North West London CCG", ccgEnd, ["07P", "07W", "07Y", "08C", "08E", "08G", "08Y", "09A"], "2021-04-01")
]

/**
 * Commissioners by code.
 *
 * @category data
 * @since 0.1.0
 */
export const commissionersByCode: ReadonlyMap<string, Commissioner> = new Map(commissioners.map((c) => [c.code, c]))

/**
 * Whether the commissioner was operational for the whole financial year starting 1 April `startYear`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const operationalForYear = (c: Commissioner, startYear: number): boolean =>
  c.opened <= `${startYear}-04-01` && c.closed >= `${startYear + 1}-04-01`
