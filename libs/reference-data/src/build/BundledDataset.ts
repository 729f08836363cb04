/**
 * Derives the bundled London and Southampton dataset from the imported real files (ONS PCO list, ODS eccg
 * extract, ONS LSOA lookups of 2015 and 2020) and the curated facts of `CuratedBodies.ts`. Pure: the script
 * `BuildBundled.ts` does the reading and writing, so the derivation can be tested on its own.
 *
 * @since 0.1.0
 */
import { Geography, Organisation, Period, Registry } from "@hub/domain"
import { Result, Schema } from "effect"
import type * as OdsExtract from "../OdsExtract.ts"
import type * as OnsLookup from "../OnsLookup.ts"
import type * as PcoList from "../PcoList.ts"
import * as Bundled from "../Bundled.ts"
import * as Curated from "./CuratedBodies.ts"

/**
 * The real files the dataset is derived from, already imported.
 *
 * @category models
 * @since 0.1.0
 */
export interface Inputs {
  readonly pcos: ReadonlyArray<PcoList.PrimaryCareOrganisation>
  readonly eccg: ReadonlyArray<OdsExtract.OdsRecord>
  readonly lookup2015: OnsLookup.OnsLookup
  readonly lookup2020: OnsLookup.OnsLookup
}

/**
 * The dataset in its committed JSON form, with notes on what the derivation saw (for the build's log).
 *
 * @category models
 * @since 0.1.0
 */
export interface Dataset {
  readonly organisations: typeof Organisation.OrganisationData.Encoded
  readonly geography: typeof Bundled.GeographyFile.Encoded
  readonly notes: ReadonlyArray<string>
}

type BodyJson = typeof Organisation.Body.Encoded
type RelationshipJson = typeof Organisation.Relationship.Encoded
type SuccessionJson = typeof Organisation.Succession.Encoded
type PeriodJson = typeof Period.Period.Encoded

const sources = {
  pco: "ONS primary care organisations list, April 2011 (OGL v3)",
  eccg: "NHS Digital ODS eccg extract (OGL v3)",
  lookup2015: "ONS LSOA (2011) to CCG to LAD lookup, July 2015 (OGL v3)",
  lookup2020: "ONS LSOA (2011) to CCG to LAD lookup, April 2020 (OGL v3)"
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const intersect = (a: PeriodJson, b: PeriodJson): PeriodJson | undefined => {
  const opened = a.opened > b.opened ? a.opened : b.opened
  const closed = a.closed === undefined ? b.closed : b.closed === undefined ? a.closed : a.closed < b.closed ? a.closed : b.closed
  if (closed !== undefined && closed <= opened) return undefined
  return closed === undefined ? { opened } : { opened, closed }
}

/** Collects coverage records grouped by body, role and period, as the committed file stores them. */
class CoverageGroups {
  private readonly groups = new Map<string, { body: string; role: Geography.Role; period: PeriodJson; areas: Array<string> }>()
  add(body: string, role: Geography.Role, period: PeriodJson, area: string): void {
    const key = `${body}|${role}|${period.opened}|${period.closed ?? ""}`
    const group = this.groups.get(key)
    if (group === undefined) this.groups.set(key, { body, role, period, areas: [area] })
    else group.areas.push(area)
  }
  toJson(): typeof Bundled.GeographyFile.Encoded.coverage {
    return [...this.groups.values()]
      .map((g) => ({ ...g, areas: [...g.areas].sort(compare) }))
      .sort((a, b) => compare(a.body, b.body) || compare(a.period.opened, b.period.opened))
  }
}

/**
 * Derives the dataset, or lists every problem found (a curated code missing from a register file, a council
 * name that does not match the lookup, a CCG without ODS dates, data the domain's registry or geography
 * rejects). Derivations, each documented in the README:
 * - councils: the lookup's 33 London boroughs (GSS E09) and Southampton, names from the 2015 lookup;
 * - areas: every LSOA of those councils; council coverage from the 2015 lookup (and the 2020 one where a
 *   council changed, which none did);
 * - PCTs: `CuratedBodies` joined with the PCO list; each PCT covers its council(s)' LSOAs for its period;
 * - CCGs: every CCG of the 2015 and 2020 lookups holding those LSOAs, periods from eccg (close date + 1 day);
 *   coverage from the 2015 lookup on [2013-04-01, 2020-04-01) and the 2020 lookup from 2020-04-01, within the
 *   CCG's period;
 * - successions: a 2015 CCG whose areas all lie in one 2020 CCG with another code is succeeded by it on the
 *   2020 lookup's date (a merger when that CCG has two or more such predecessors, else a rename).
 *
 * @category constructors
 * @since 0.1.0
 */
export const build = (inputs: Inputs): Result.Result<Dataset, ReadonlyArray<string>> => {
  const problems: Array<string> = []
  const notes: Array<string> = []
  const bodies: Array<BodyJson> = []
  const relationships: Array<RelationshipJson> = []
  const successions: Array<SuccessionJson> = []
  const coverage = new CoverageGroups()
  const { lookup2015, lookup2020 } = inputs

  // Councils ---------------------------------------------------------------------------------------------
  const londonCouncils = [...lookup2015.councils.values()].filter((c) => c.gssCode.startsWith("E09"))
  const curatedPcts = [...Curated.londonPcts, Curated.southamptonPct]
  const curatedCouncils = new Map<string, string>()
  for (const pct of curatedPcts) {
    for (const [gss, name] of pct.councils) {
      if (curatedCouncils.has(gss)) problems.push(`council ${gss} is given to two PCTs in CuratedBodies`)
      curatedCouncils.set(gss, name)
      const inLookup = lookup2015.councils.get(gss)
      if (inLookup === undefined) problems.push(`council ${gss} (${name}) of PCT ${pct.ods} is not in ${lookup2015.file}`)
      else if (inLookup.name !== undefined && inLookup.name !== name) {
        problems.push(`council ${gss} is "${inLookup.name}" in ${lookup2015.file}, not "${name}" as CuratedBodies says`)
      }
    }
  }
  const londonServed = Curated.londonPcts.flatMap((p) => p.councils.map(([gss]) => gss)).sort(compare)
  const londonInLookup = londonCouncils.map((c) => c.gssCode as string).sort(compare)
  if (londonServed.join() !== londonInLookup.join()) {
    problems.push(`London PCTs serve ${londonServed.length} councils, the lookup has ${londonInLookup.length} London boroughs (E09)`)
  }
  const councilOpened = (gss: string): string =>
    gss.startsWith("E09") ? Curated.fixed.londonCouncilOpened : Curated.fixed.southamptonCouncilOpened
  for (const gss of [...curatedCouncils.keys()].sort(compare)) {
    bodies.push({
      code: gss,
      gssCode: gss,
      name: lookup2015.councils.get(gss)?.name ?? (curatedCouncils.get(gss) as string),
      kind: "council",
      statutory: true,
      period: { opened: councilOpened(gss) },
      source: sources.lookup2015
    })
  }

  // Areas and council coverage -----------------------------------------------------------------------------
  const rows2020 = new Map(lookup2020.rows.map((r) => [r.area as string, r]))
  const rows2015 = lookup2015.rows.filter((r) => curatedCouncils.has(r.council))
  const areas = rows2015.map((r) => r.area as string).sort(compare)
  const areasOfCouncil = new Map<string, Array<string>>()
  for (const row of rows2015) {
    const list = areasOfCouncil.get(row.council) ?? []
    list.push(row.area)
    areasOfCouncil.set(row.council, list)
    const later = rows2020.get(row.area)
    if (later === undefined) {
      problems.push(`LSOA ${row.area} is in ${lookup2015.file} but not in ${lookup2020.file}`)
      continue
    }
    if (later.council === row.council) {
      coverage.add(row.council, "council", { opened: councilOpened(row.council) }, row.area)
    } else {
      if (!curatedCouncils.has(later.council)) problems.push(`LSOA ${row.area} moves to council ${later.council}, outside the bundle`)
      notes.push(`LSOA ${row.area} moves from council ${row.council} to ${later.council} in the 2020 lookup`)
      coverage.add(row.council, "council", { opened: councilOpened(row.council), closed: Curated.fixed.lookup2020From }, row.area)
      coverage.add(later.council, "council", { opened: Curated.fixed.lookup2020From }, row.area)
    }
  }

  // NHS London, NHS England, sectors and PCTs --------------------------------------------------------------
  bodies.push({ ...Curated.fixed.nhsLondon }, { ...Curated.fixed.nhsEngland })
  for (const sector of Curated.sectors) {
    bodies.push({
      code: sector.code,
      name: sector.name,
      kind: "sector",
      statutory: false,
      period: { ...Curated.fixed.sectorPeriod },
      source: Curated.sectorSource
    })
  }
  const pcoByOds = new Map(inputs.pcos.map((p) => [p.odsCode as string, p]))
  for (const pct of curatedPcts) {
    const pco = pcoByOds.get(pct.ods)
    if (pco === undefined) {
      problems.push(`PCT ${pct.ods} is not in the PCO list`)
      continue
    }
    // GSS E17 is a care trust (TAK Bexley Care Trust); E16 a PCT.
    const name = `${pco.name} ${pco.gssCode.startsWith("E17") ? "Care Trust" : "PCT"}`
    bodies.push({
      code: pct.ods,
      odsCode: pct.ods,
      gssCode: pco.gssCode,
      name,
      kind: "primary-care-trust",
      statutory: true,
      period: { ...Curated.fixed.pctPeriod },
      source: `${sources.pco}; councils served: DOMAIN.md §1`
    })
    if (pct.sector !== undefined) {
      relationships.push({
        type: "member-of",
        from: pct.ods,
        to: pct.sector,
        period: { ...Curated.fixed.sectorPeriod },
        source: Curated.sectorSource
      })
    }
    // A PCT's area is its council(s)' area: London's PCTs were coterminous with their boroughs (DOMAIN.md §1).
    for (const [gss] of pct.councils) {
      for (const area of areasOfCouncil.get(gss) ?? []) coverage.add(pct.ods, "health", { ...Curated.fixed.pctPeriod }, area)
    }
  }

  // CCGs ------------------------------------------------------------------------------------------------------
  const eccgByCode = new Map(inputs.eccg.map((r) => [r.code as string, r]))
  const ccgs = new Map<string, BodyJson>()
  const ccgByGss2015 = new Map<string, string>()
  const ccgByGss2020 = new Map<string, string>()
  const addCcg = (lookup: OnsLookup.OnsLookup, gss: string, byGss: Map<string, string>, source: string): void => {
    if (byGss.has(gss)) return
    const named = lookup.healthBodies.get(gss)
    const ods = named?.odsCode
    if (ods === undefined) {
      problems.push(`health body ${gss} has no ODS code in ${lookup.file}`)
      return
    }
    byGss.set(gss, ods)
    const existing = ccgs.get(ods)
    if (existing !== undefined) {
      if (existing.gssCode !== gss) problems.push(`CCG ${ods} is ${existing.gssCode} in one lookup and ${gss} in the other`)
      return
    }
    const record = eccgByCode.get(ods)
    if (record?.period === undefined) {
      problems.push(`CCG ${ods} has no open date in the eccg extract`)
      return
    }
    const body: BodyJson = {
      code: ods,
      odsCode: ods,
      gssCode: gss,
      name: named?.name ?? record.name,
      kind: "clinical-commissioning-group",
      statutory: true,
      period: { ...record.period },
      source: `${sources.eccg} (period: close date + 1 day); ${source} (name, GSS code)`
    }
    ccgs.set(ods, body)
    bodies.push(body)
  }
  for (const row of rows2015) addCcg(lookup2015, row.health, ccgByGss2015, sources.lookup2015)
  for (const area of areas) {
    const later = rows2020.get(area)
    if (later !== undefined) addCcg(lookup2020, later.health, ccgByGss2020, sources.lookup2020)
  }
  const window2015: PeriodJson = { opened: Curated.fixed.lookup2015From, closed: Curated.fixed.lookup2020From }
  const window2020: PeriodJson = { opened: Curated.fixed.lookup2020From }
  const areasByCcg2015 = new Map<string, Array<string>>()
  for (const row of lookup2015.rows) {
    const ods = ccgByGss2015.get(row.health)
    if (ods === undefined) continue
    const list = areasByCcg2015.get(ods) ?? []
    list.push(row.area)
    areasByCcg2015.set(ods, list)
    if (!curatedCouncils.has(row.council)) problems.push(`CCG ${ods} holds LSOA ${row.area} outside the bundle's councils`)
  }
  for (const row of rows2015) {
    const early = ccgs.get(ccgByGss2015.get(row.health) ?? "")
    const period15 = early === undefined ? undefined : intersect(window2015, early.period)
    if (early !== undefined && period15 !== undefined) coverage.add(early.code, "health", period15, row.area)
    const later = rows2020.get(row.area)
    const late = later === undefined ? undefined : ccgs.get(ccgByGss2020.get(later.health) ?? "")
    const period20 = late === undefined ? undefined : intersect(window2020, late.period)
    if (late !== undefined && period20 !== undefined) coverage.add(late.code, "health", period20, row.area)
  }

  // Successions of 2020, by area ------------------------------------------------------------------------------
  const successorOf = new Map<string, string>()
  for (const [ods, list] of areasByCcg2015) {
    const next = new Set(list.map((area) => ccgByGss2020.get(rows2020.get(area)?.health ?? "") ?? "?"))
    const only = [...next][0] as string
    if (next.size === 1 && only !== ods && only !== "?") successorOf.set(ods, only)
    else if (next.size > 1) notes.push(`CCG ${ods}'s areas went to ${[...next].sort(compare).join(", ")}: no succession derived`)
  }
  const predecessorCount = new Map<string, number>()
  for (const successor of successorOf.values()) predecessorCount.set(successor, (predecessorCount.get(successor) ?? 0) + 1)
  for (const [predecessor, successor] of [...successorOf].sort((a, b) => compare(a[0], b[0]))) {
    successions.push({
      predecessor,
      successor,
      date: Curated.fixed.lookup2020From,
      type: (predecessorCount.get(successor) ?? 0) >= 2 ? "merger" : "rename",
      source: `derived by area from the ${sources.lookup2015} and ${sources.lookup2020}`
    })
  }

  // Validate as the hub will load it -------------------------------------------------------------------------
  bodies.sort((a, b) => compare(a.code, b.code))
  relationships.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to))
  const organisations = { bodies, relationships, successions }
  const geography = { areas, coverage: coverage.toJson() }
  const decoded = Schema.decodeUnknownResult(Organisation.OrganisationData)(organisations, { errors: "all" })
  if (Result.isFailure(decoded)) problems.push(`organisation data does not decode: ${String(decoded.failure)}`)
  else {
    const registry = Registry.make(decoded.success)
    if (Result.isFailure(registry)) problems.push(...registry.failure.violations.map((v) => `${v.rule}: ${v.message}`))
  }
  const geographyDecoded = Bundled.decodeGeography(geography)
  if (Result.isFailure(geographyDecoded)) problems.push(geographyDecoded.failure)

  if (problems.length > 0) return Result.fail(problems)
  notes.push(
    `${bodies.length} bodies, ${relationships.length} relationships, ${successions.length} successions, ${areas.length} areas, ${geography.coverage.length} coverage groups`
  )
  return Result.succeed({ organisations, geography, notes })
}
