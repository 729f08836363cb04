/**
 * The CBS simulator's deterministic dataset: contracts and monthly activity lines generated from a seed and
 * the London reference data, plus the synthetic high-volume activity stream (`?volume=N`) whose line i is
 * computed on its own, so a page from the middle of ten million lines costs only that page.
 *
 * @since 0.1.0
 */
import { Pounds, SeededRandom } from "@hub/simulator-kit"
import {
  type Commissioner,
  type ContractType,
  ccgs,
  pcts,
  type Trust,
  trustOpenIn,
  trusts
} from "./ReferenceData.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * A contract as served by `GET /v1/contracts` (see docs/external-systems/london-cbs.md).
 *
 * @category models
 * @since 0.1.0
 */
export interface Contract {
  readonly contractId: string
  readonly commissionerCode: string
  readonly providerOdsCode: string
  readonly providerName: string
  readonly financialYear: string
  readonly contractType: ContractType
  readonly startDate: string
  readonly endDate: string
  readonly annualValue: string
  readonly status: "active" | "expired"
  readonly updatedAt: string
}

/**
 * A monthly activity line as served by `GET /v1/activity`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ActivityLine {
  readonly lineId: string
  readonly contractId: string
  readonly providerOdsCode: string
  readonly commissionerCode: string
  readonly financialYear: string
  readonly month: string
  readonly pointOfDelivery: string
  readonly specialtyCode: string
  readonly hrgCode: string | null
  readonly plannedActivity: number
  readonly actualActivity: number
  readonly plannedCost: string
  readonly actualCost: string
  readonly updatedAt: string
}

/**
 * An activity line with the unit price it was costed at (kept for revisions, never served).
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredLine {
  readonly line: ActivityLine
  readonly unitPricePence: number
}

/**
 * The generated dataset, each list ordered by `(updatedAt, id)`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Dataset {
  readonly contracts: ReadonlyArray<Contract>
  readonly activity: ReadonlyArray<StoredLine>
}

/** The financial start years served, and who commissioned in them. */
const years: ReadonlyArray<readonly [number, ReadonlyArray<Commissioner>]> = [
  [2011, pcts],
  [2012, pcts],
  [2013, ccgs]
]

interface PodSpec {
  readonly pod: string
  readonly specialties: ReadonlyArray<string>
  readonly hrgCode: string | null
  /** Typical monthly activity for a full-size contract, and unit price in pence. */
  readonly monthly: number
  readonly pricePence: number
}

const electiveSpecialties = ["100", "101", "110", "120", "130", "330", "502"]
const outpatientSpecialties = ["110", "130", "300", "320", "330", "340", "400", "420", "501"]

const podsByType: Readonly<Record<ContractType, ReadonlyArray<PodSpec>>> = {
  acute: [
    { pod: "EL", specialties: electiveSpecialties, hrgCode: null, monthly: 300, pricePence: 350_000 },
    { pod: "DC", specialties: electiveSpecialties, hrgCode: null, monthly: 600, pricePence: 80_000 },
    { pod: "NEL", specialties: ["300", "420", "501"], hrgCode: null, monthly: 500, pricePence: 180_000 },
    { pod: "OPFA", specialties: outpatientSpecialties, hrgCode: "WF01B", monthly: 2_000, pricePence: 16_000 },
    { pod: "OPFUP", specialties: outpatientSpecialties, hrgCode: "WF01A", monthly: 3_500, pricePence: 9_000 },
    { pod: "AE", specialties: ["180"], hrgCode: "VB08Z", monthly: 4_000, pricePence: 11_000 }
  ],
  "mental-health": [{ pod: "MHCC", specialties: ["710"], hrgCode: null, monthly: 900, pricePence: 25_000 }],
  community: [{ pod: "CHS", specialties: ["950"], hrgCode: null, monthly: 5_000, pricePence: 6_000 }],
  ambulance: [{ pod: "AMB", specialties: ["180"], hrgCode: null, monthly: 2_500, pricePence: 22_000 }],
  specialist: [{ pod: "SPEC", specialties: ["130", "320", "370", "420", "110", "710"], hrgCode: null, monthly: 20, pricePence: 500_000 }]
}

const specialistSpecialty: Readonly<Record<string, string>> = {
  RP4: "420",
  RP6: "130",
  RPY: "370",
  RT3: "320",
  RAN: "110",
  RNK: "710"
}

// ---------------------------------------------------------------------------------------------------------
// calendar (fixed instants only: nothing here reads the clock)
// ---------------------------------------------------------------------------------------------------------

/**
 * `"2011/12"` for the year starting 1 April 2011.
 *
 * @category calendar
 * @since 0.1.0
 */
export const financialYearLabel = (startYear: number): string => `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`

/**
 * The start year of a `"YYYY/YY"` label, or `undefined` when it is not one (the two years must follow).
 *
 * @category calendar
 * @since 0.1.0
 */
export const parseFinancialYear = (label: string): number | undefined => {
  const m = /^(\d{4})\/(\d{2})$/u.exec(label)
  if (m === null) return undefined
  const start = Number(m[1])
  return (start + 1) % 100 === Number(m[2]) ? start : undefined
}

/** Calendar year and month (1-12) of financial month `m` (1 = April) in the year starting `startYear`. */
const calendarMonth = (startYear: number, m: number): readonly [number, number] =>
  m <= 9 ? [startYear, m + 3] : [startYear + 1, m - 9]

/**
 * Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (a fixed instant, not the clock).
 *
 * @category calendar
 * @since 0.1.0
 */
export const isoSeconds = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/u, "Z")

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

const byUpdatedThenId = <A>(key: (a: A) => readonly [string, string]) => (a: A, b: A): number => {
  const [ua, ia] = key(a)
  const [ub, ib] = key(b)
  return ua < ub ? -1 : ua > ub ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0
}

/**
 * Orders stored lines by `(updatedAt, lineId)`, the stream order.
 *
 * @category ordering
 * @since 0.1.0
 */
export const lineOrder = byUpdatedThenId<StoredLine>((s) => [s.line.updatedAt, s.line.lineId])

const providersOf = (commissioner: Commissioner, year: number, rng: SeededRandom.SeededRandom): ReadonlyArray<Trust> => {
  const open = trusts.filter((t) => trustOpenIn(t, year))
  const local = open.filter((t) => t.sectors.includes(commissioner.sector))
  const specialists = open.filter((t) => t.type === "specialist")
  const chosen = new Set<Trust>()
  while (chosen.size < 2) chosen.add(rng.pick(specialists))
  return [...local, ...[...chosen].sort((a, b) => (a.code < b.code ? -1 : 1)), ...open.filter((t) => t.type === "ambulance")]
}

/**
 * Generates the dataset for a seed: the same seed always gives the same contracts and lines.
 *
 * @category constructors
 * @since 0.1.0
 */
export const generate = (seed: number): Dataset => {
  const contracts: Array<Contract> = []
  const activity: Array<StoredLine> = []
  for (const [year, commissioners] of years) {
    const fy = financialYearLabel(year)
    for (const commissioner of commissioners) {
      const providers = providersOf(commissioner, year, SeededRandom.make(seed, `providers:${commissioner.code}:${year}`))
      for (const provider of providers) {
        const rng = SeededRandom.make(seed, `contract:${commissioner.code}:${provider.code}:${year}`)
        const contractId = `LCBS-C-${year}-${commissioner.code}-${provider.code}`
        // Local trusts carry most of a commissioner's activity; the size varies by contract.
        const weight = provider.sectors.includes(commissioner.sector) ? 0.3 + rng.next() * 0.9 : 0.05 + rng.next() * 0.15
        let annualPence = 0
        for (const spec of podsByType[provider.type]) {
          const specialty = provider.type === "specialist" ? (specialistSpecialty[provider.code] ?? "100") : rng.pick(spec.specialties)
          const unitPricePence = Math.round(spec.pricePence * (0.9 + rng.next() * 0.2))
          const plannedMonthly = Math.max(1, Math.round(spec.monthly * weight))
          for (let m = 1; m <= 12; m++) {
            const [cy, cm] = calendarMonth(year, m)
            const plannedActivity = Math.max(1, Math.round(plannedMonthly * (0.9 + rng.next() * 0.2)))
            const actualActivity = Math.round(plannedActivity * (0.85 + rng.next() * 0.3))
            // Published 10-25 days after the month ends, overnight.
            const published = Date.UTC(cy, cm, rng.int(10, 25), 2, rng.int(0, 59), rng.int(0, 59))
            annualPence += plannedActivity * unitPricePence
            activity.push({
              unitPricePence,
              line: {
                lineId: `LCBS-A-${year}-${commissioner.code}-${provider.code}-M${m}-${spec.pod}-${specialty}`,
                contractId,
                providerOdsCode: provider.code,
                commissionerCode: commissioner.code,
                financialYear: fy,
                month: `M${m}`,
                pointOfDelivery: spec.pod,
                specialtyCode: specialty,
                hrgCode: spec.hrgCode,
                plannedActivity,
                actualActivity,
                plannedCost: Pounds.fromPence(plannedActivity * unitPricePence),
                actualCost: Pounds.fromPence(actualActivity * unitPricePence),
                updatedAt: isoSeconds(published)
              }
            })
          }
        }
        contracts.push({
          contractId,
          commissionerCode: commissioner.code,
          providerOdsCode: provider.code,
          providerName: provider.name,
          financialYear: fy,
          contractType: provider.type,
          startDate: `${year}-04-01`,
          endDate: `${year + 1}-03-31`,
          annualValue: Pounds.fromPence(annualPence),
          status: year >= 2013 ? "active" : "expired",
          updatedAt: isoSeconds(Date.UTC(year, 2, rng.int(1, 28), 9, 0, 0))
        })
      }
    }
  }
  contracts.sort(byUpdatedThenId((c) => [c.updatedAt, c.contractId]))
  activity.sort(lineOrder)
  return { contracts, activity }
}

/**
 * Revises `count` distinct lines of `activity` (chosen by the seed and the revision number): new actuals and an
 * `updatedAt` one hour after the latest line, so they move to the end of the stream. Returns the new ordered
 * list and the revised ids.
 *
 * @category combinators
 * @since 0.1.0
 */
export const revise = (
  activity: ReadonlyArray<StoredLine>,
  seed: number,
  revision: number,
  count: number
): { readonly activity: ReadonlyArray<StoredLine>; readonly revised: ReadonlyArray<string> } => {
  const n = Math.min(count, activity.length)
  if (n === 0) return { activity, revised: [] }
  const rng = SeededRandom.make(seed, `revision:${revision}`)
  const picked = new Set<number>()
  while (picked.size < n) picked.add(rng.int(0, activity.length - 1))
  const last = activity[activity.length - 1] as StoredLine
  const updatedAt = isoSeconds(Date.parse(last.line.updatedAt) + 3_600_000)
  const revisedLines = [...picked].map((i): StoredLine => {
    const { line, unitPricePence } = activity[i] as StoredLine
    const actualActivity = Math.max(0, line.actualActivity + rng.int(-20, 20))
    return { unitPricePence, line: { ...line, actualActivity, actualCost: Pounds.fromPence(actualActivity * unitPricePence), updatedAt } }
  })
  revisedLines.sort(lineOrder)
  const kept = activity.filter((_, i) => !picked.has(i))
  return { activity: [...kept, ...revisedLines], revised: revisedLines.map((s) => s.line.lineId) }
}

/** The instant of synthetic line 0; line i is updated i seconds later. */
export const volumeEpochMs = Date.UTC(2012, 3, 1, 0, 0, 0)

const volumePods = podsByType.acute
const acuteTrusts = trusts.filter((t) => t.type === "acute" && trustOpenIn(t, 2012))

/**
 * Synthetic activity line `i` of a `?volume=N` stream: year 2012/13, a London PCT and acute trust, updated
 * `i` seconds after 2012-04-01T00:00:00Z, so stream order is index order.
 *
 * @category constructors
 * @since 0.1.0
 */
export const volumeLine = (seed: number, i: number): ActivityLine => {
  const rng = SeededRandom.make(seed, `volume:${i}`)
  const commissioner = rng.pick(pcts)
  const provider = rng.pick(acuteTrusts)
  const spec = rng.pick(volumePods)
  const m = rng.int(1, 12)
  const unitPricePence = Math.round(spec.pricePence * (0.9 + rng.next() * 0.2))
  const plannedActivity = rng.int(1, spec.monthly)
  const actualActivity = Math.round(plannedActivity * (0.85 + rng.next() * 0.3))
  return {
    lineId: `LCBS-V-${String(i).padStart(10, "0")}`,
    contractId: `LCBS-C-2012-${commissioner.code}-${provider.code}`,
    providerOdsCode: provider.code,
    commissionerCode: commissioner.code,
    financialYear: "2012/13",
    month: `M${m}`,
    pointOfDelivery: spec.pod,
    specialtyCode: rng.pick(spec.specialties),
    hrgCode: spec.hrgCode,
    plannedActivity,
    actualActivity,
    plannedCost: Pounds.fromPence(plannedActivity * unitPricePence),
    actualCost: Pounds.fromPence(actualActivity * unitPricePence),
    updatedAt: isoSeconds(volumeEpochMs + i * 1000)
  }
}
