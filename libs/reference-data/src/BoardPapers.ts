/**
 * The records of the bundled dataset that come from the five board papers in the shared board papers (`shared/seeds`) rather than
 * from a register: the groups the papers describe (joint committees, the London Commissioning Group and Local
 * Commissioning Groups, the London CBS, Southampton's GP commissioning consortium) with their memberships of
 * register PCTs, who holds which function, and the delegations the papers record. Every record's `source` names
 * the paper and paragraph; where a paper gives no date, the record says which date was taken and why.
 *
 * @since 0.1.0
 */
import type { Codes, Delegation, Organisation } from "@hub/domain"
import { Allocation, FinancialYear, Period } from "@hub/domain"

// ---------------------------------------------------------------------------------------------------------
// helpers (literals below are checked by the tests against the domain schemas)
// ---------------------------------------------------------------------------------------------------------

const code = (text: string): Codes.BodyCode => text as Codes.BodyCode

const codes = (texts: ReadonlyArray<string>): readonly [Codes.BodyCode, ...Array<Codes.BodyCode>] =>
  texts.map(code) as unknown as readonly [Codes.BodyCode, ...Array<Codes.BodyCode>]

/** The PCTs' period in codes.md: 1 October 2006 to their abolition on 1 April 2013. */
const pctEra = Period.unsafeMake("2006-10-01", "2013-04-01")

const membership = (
  group: string,
  members: ReadonlyArray<string>,
  period: Period.Period,
  source: string
): ReadonlyArray<Organisation.Relationship> =>
  members.map((member) => ({ type: "member-of", from: code(member), to: code(group), period, source }))

// ---------------------------------------------------------------------------------------------------------
// the PCTs the groups are made of (register codes, codes.md; sectors as DOMAIN.md §1)
// ---------------------------------------------------------------------------------------------------------

/**
 * London's 31 PCTs by NHS London sector (DOMAIN.md §1), by ODS code.
 *
 * @category constants
 * @since 0.1.0
 */
export const londonPctsBySector: { readonly [sector: string]: ReadonlyArray<string> } = {
  NW: ["5K5", "5HX", "5H1", "5K6", "5AT", "5HY", "5LA", "5LC"],
  NC: ["5A9", "5K7", "5C1", "5C9", "5K8"],
  INE: ["5C3", "5C5", "5C4"],
  ONE: ["5C2", "5A4", "5NA", "5NC"],
  SE: ["TAK", "5A7", "5A8", "5LD", "5LF", "5LE"],
  SW: ["5K9", "5A5", "5M6", "5M7", "5LG"]
}

const allLondonPcts = Object.values(londonPctsBySector).flat()

const sectorNames: { readonly [sector: string]: string } = {
  NW: "North West London",
  NC: "North Central London",
  INE: "Inner North East London",
  ONE: "Outer North East London",
  SE: "South East London",
  SW: "South West London"
}

/** Lambeth, Southwark and Lewisham: inner South East London (southwark-2010 §2). */
const innerSouthEast = ["5LD", "5LE", "5LF"]

// ---------------------------------------------------------------------------------------------------------
// bodies and relationships
// ---------------------------------------------------------------------------------------------------------

const jcLslPeriod = Period.unsafeMake("2009-04-01", "2010-07-01")
const jcLslSource =
  "southwark-2010 §2 (opened: the PCTs agreed in early 2009 to work in sectors, taken as 1 April 2009; closed: replaced by the single South East London sector arrangement from 1 July 2010)"
const jcSelPeriod = Period.unsafeMake("2010-07-01", "2013-04-01")
const jcSelSource = "southwark-2010 §2 (from 1 July 2010; closed with the PCTs on 1 April 2013)"
const lcgSource =
  "london-2006 §2.1, §5, §106-110 (the paper leaves the groupings blank, '[x] PCTs in [xx] London'; taken as NHS London's six sectors of DOMAIN.md §1; period: the PCTs' own)"
const londonGroupSource = "london-2006 §2.2, §104-105, §110 (all London PCTs; period: the PCTs' own)"
const consortiumPeriod = Period.unsafeMake("2010-12-09", "2013-04-01")

/**
 * The groups the board papers describe, with their memberships of the register PCTs and NHS London's
 * nomination to the London Commissioning Group. Periods lie within the PCTs' period of codes.md.
 *
 * @category constants
 * @since 0.1.0
 */
export const organisations: Organisation.OrganisationData = {
  bodies: [
    {
      code: code("JC-LSL"),
      name: "Joint Committee of Lambeth, Southwark and Lewisham PCTs",
      kind: "joint-committee",
      statutory: false,
      period: jcLslPeriod,
      source: jcLslSource
    },
    {
      code: code("JC-SEL"),
      name: "Joint Committee of the six South East London PCTs",
      kind: "joint-committee",
      statutory: false,
      period: jcSelPeriod,
      source: jcSelSource
    },
    {
      code: code("LDN-CBS"),
      name: "London Commissioning Business Service",
      kind: "commissioning-support",
      statutory: false,
      period: pctEra,
      source: "london-2006 §3.1-3.2, §109; london-councils-2009 §7 (LCBSA) (period: the PCTs' own)"
    },
    {
      code: code("LDN-COMMISSIONING-GROUP"),
      name: "London Commissioning Group",
      kind: "london-commissioning-group",
      statutory: false,
      period: pctEra,
      source: londonGroupSource
    },
    ...Object.keys(londonPctsBySector).map((sector) => ({
      code: code(`LDN-LCG-${sector}`),
      name: `${sectorNames[sector]} Local Commissioning Group`,
      kind: "local-commissioning-group" as const,
      statutory: false,
      period: pctEra,
      source: lcgSource
    })),
    {
      code: code("SOUTHAMPTON-GP-CONSORTIUM"),
      name: "Southampton City commissioning consortium",
      kind: "gp-consortium",
      statutory: false,
      period: consortiumPeriod,
      source:
        "southampton-2011 §3, §9 (practices agreed to work together on 9 December 2010; closed when the NHS Commissioning Board established the CCGs on 1 April 2013, §4)"
    }
  ],
  relationships: [
    ...membership("JC-LSL", innerSouthEast, jcLslPeriod, jcLslSource),
    ...membership("JC-SEL", londonPctsBySector["SE"]!, jcSelPeriod, jcSelSource),
    ...membership("LDN-COMMISSIONING-GROUP", allLondonPcts, pctEra, londonGroupSource),
    ...Object.entries(londonPctsBySector).flatMap(([sector, pcts]) => membership(`LDN-LCG-${sector}`, pcts, pctEra, lcgSource)),
    {
      type: "nominated-to",
      from: code("Q36"),
      to: code("LDN-COMMISSIONING-GROUP"),
      period: pctEra,
      source: "london-2006 §103, §105 (the SHA nominates its representative)"
    }
  ],
  successions: []
}

// ---------------------------------------------------------------------------------------------------------
// holdings and delegations
// ---------------------------------------------------------------------------------------------------------

const southwarkPopulation = codes(["5LE", "E09000028"])
const southwarkCcgPopulation = codes(["08Q", "E09000028"])
const southamptonPopulation = codes(["5L1", "E06000045"])

/**
 * Who holds the functions the papers delegate: NHS Southwark its acute commissioning, contract management and
 * financial control (southwark-2010 §2), Southampton City PCT its urgent care budget (southampton-2011 §13), and
 * NHS England primary care commissioning for Southwark CCG's population (southwark-2015 §14). Populations name
 * the body and the council area it was coterminous with.
 *
 * @category constants
 * @since 0.1.0
 */
export const holdings: ReadonlyArray<Delegation.Holding> = [
  ...(["acute-commissioning", "contract-management", "financial-control"] as const).map((fn) => ({
    function: fn,
    holder: code("5LE"),
    population: southwarkPopulation,
    period: pctEra,
    source: "southwark-2010 §2 (NHS Southwark's responsibilities, delegated to the joint committees)"
  })),
  {
    function: "urgent-care-budget",
    holder: code("5L1"),
    population: southamptonPopulation,
    period: pctEra,
    source: "southampton-2011 §13 (the PCT's budget the consortium asks to be delegated)"
  },
  {
    function: "primary-care-commissioning",
    holder: code("X24"),
    population: southwarkCcgPopulation,
    period: Period.unsafeMake("2013-04-01", "2020-04-01"),
    source: "southwark-2015 §14 (statutory responsibility remains with NHS England; period: Southwark CCG's)"
  }
]

/**
 * The delegations the papers record. Status `proposed` marks what a paper only proposes or requests (the
 * London Commissioning Group's lead on specialised commissioning, Southampton's request for the urgent care
 * budget, Southwark CCG's possible step up to delegated commissioning from 1 April 2016); resolution follows
 * those only when asked.
 *
 * @category constants
 * @since 0.1.0
 */
export const delegations: ReadonlyArray<Delegation.Delegation> = [
  {
    id: "southwark-2010-acute-lsl",
    function: "acute-commissioning",
    delegator: code("5LE"),
    delegate: { _tag: "Body", code: code("JC-LSL") },
    population: southwarkPopulation,
    period: jcLslPeriod,
    source: "southwark-2010 §2 (NHS Southwark delegating acute hospital commissioning to the Lambeth, Southwark and Lewisham joint committee; dates as the committee's)"
  },
  {
    id: "southwark-2010-acute-sel",
    function: "acute-commissioning",
    delegator: code("5LE"),
    delegate: { _tag: "Body", code: code("JC-SEL") },
    population: southwarkPopulation,
    period: jcSelPeriod,
    source: "southwark-2010 §2 (from 1 July 2010 acute commissioning by a single sector team under the six-PCT joint committee)"
  },
  {
    id: "southwark-2010-contract-management-sel",
    function: "contract-management",
    delegator: code("5LE"),
    delegate: { _tag: "Body", code: code("JC-SEL") },
    population: southwarkPopulation,
    period: jcSelPeriod,
    source: "southwark-2010 §2 (contract management formally delegated to a Joint Committee of the six PCTs from 1 July 2010)"
  },
  {
    id: "southwark-2010-financial-control-sel",
    function: "financial-control",
    delegator: code("5LE"),
    delegate: { _tag: "Body", code: code("JC-SEL") },
    population: southwarkPopulation,
    period: jcSelPeriod,
    source: "southwark-2010 §2 (financial control formally delegated to a Joint Committee of the six PCTs from 1 July 2010)"
  },
  {
    id: "southwark-2015-primary-care-joint",
    function: "primary-care-commissioning",
    delegator: code("X24"),
    delegate: { _tag: "Body", code: code("08Q") },
    population: southwarkCcgPopulation,
    period: Period.unsafeMake("2015-04-01", "2016-04-01"),
    level: "joint",
    source: "southwark-2015 §1, §6, §17 (joint commissioning with NHS England from 1 April 2015, in the first instance for one year)"
  },
  {
    id: "southwark-2015-primary-care-delegated",
    function: "primary-care-commissioning",
    delegator: code("X24"),
    delegate: { _tag: "Body", code: code("08Q") },
    population: southwarkCcgPopulation,
    period: Period.unsafeMake("2016-04-01", "2020-04-01"),
    level: "delegated",
    status: "proposed",
    source: "southwark-2015 §1, §6, §16-17 (full delegation to be explored and potentially applied for from 1 April 2016; until Southwark CCG closed)"
  },
  {
    id: "southampton-2011-urgent-care-budget",
    function: "urgent-care-budget",
    delegator: code("5L1"),
    delegate: { _tag: "Body", code: code("SOUTHAMPTON-GP-CONSORTIUM") },
    population: southamptonPopulation,
    period: Period.unsafeMake("2011-04-01", "2013-04-01"),
    status: "proposed",
    source: "southampton-2011 §13 (the consortium intends to request delegated responsibility for the urgent care budget; from 2011/12, taken as 1 April 2011)"
  },
  ...allLondonPcts.map(
    (pct): Delegation.Delegation => ({
      id: `london-2006-specialised-${pct.toLowerCase()}`,
      function: "specialised-commissioning",
      delegator: code(pct),
      delegate: { _tag: "Body", code: code("LDN-COMMISSIONING-GROUP") },
      population: codes([pct]),
      period: pctEra,
      status: "proposed",
      source: "london-2006 §2.2a, §104 (the London Commissioning Group takes the lead for specialised commissioning London-wide)"
    })
  )
]

// ---------------------------------------------------------------------------------------------------------
// allocations
// ---------------------------------------------------------------------------------------------------------

/**
 * The PCT allocations announced on 8 December 2008 for 2009/10-2010/11: most London PCTs received 10.6% over
 * the two years against an average rise of 11.3% (london-councils-2009 §7). `from` is the base year.
 *
 * @category constants
 * @since 0.1.0
 */
export const londonAllocationUplift2009 = {
  from: FinancialYear.make(2008),
  to: FinancialYear.make(2010),
  years: 2,
  received: Allocation.percent("10.6"),
  benchmark: Allocation.percent("11.3"),
  source: "london-councils-2009 §7"
} as const
