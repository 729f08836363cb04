/**
 * The gateway's port to reference data: the organisation registry, the geography of small areas and the
 * delegations, validated and at hand in memory. The bundled layer reads libs/reference-data's dataset once; a
 * store-backed layer (the reference-data import of libs/store) can replace it through the same service.
 *
 * @since 0.1.0
 */
import type { CalendarDate, DelegationRules, Registry } from "@hub/domain"
import { Coterminosity, Geography } from "@hub/domain"
import { BoardPapers, Bundled } from "@hub/reference-data"
import { Context, Effect, Layer } from "effect"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * What the routes read. `assignmentsAt` is `Geography.assignmentsAt` memoised per date and `reportAt` the
 * coterminosity report memoised per date and tolerance, so repeated questions about the same date do not walk
 * every area again.
 *
 * @category models
 * @since 0.1.0
 */
export interface Shape {
  readonly registry: Registry.Registry
  readonly geography: Geography.Geography
  readonly delegations: DelegationRules.DelegationData
  readonly assignmentsAt: (date: CalendarDate.CalendarDate) => ReadonlyArray<Coterminosity.Assignment>
  readonly reportAt: (date: CalendarDate.CalendarDate, tolerance: number) => Coterminosity.Report
}

/**
 * The data a reference-data layer is built from.
 *
 * @category models
 * @since 0.1.0
 */
export interface Data {
  readonly registry: Registry.Registry
  readonly geography: Geography.Geography
  readonly delegations?: DelegationRules.DelegationData
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/** The delegations and holdings the board papers record (libs/reference-data's BoardPapers). */
const bundledDelegations = (): DelegationRules.DelegationData => ({
  delegations: BoardPapers.delegations,
  holdings: BoardPapers.holdings
})

/** How many results are kept; a handful of dates (today, financial-year starts) dominate real use. */
const memoSize = 32

/** A bounded memo: dropping the oldest entry keeps memory flat whatever dates clients ask about. */
const memoise = <A>() => {
  const memo = new Map<string, A>()
  return (key: string, compute: () => A): A => {
    const known = memo.get(key)
    if (known !== undefined) return known
    const computed = compute()
    if (memo.size >= memoSize) memo.delete(memo.keys().next().value as string)
    memo.set(key, computed)
    return computed
  }
}

/**
 * The service value over validated data, with the per-date memo.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (data: Data): Shape => {
  const assignments = memoise<ReadonlyArray<Coterminosity.Assignment>>()
  const reports = memoise<Coterminosity.Report>()
  const assignmentsAt = (date: CalendarDate.CalendarDate) =>
    assignments(date, () => Geography.assignmentsAt(data.geography, date))
  return {
    registry: data.registry,
    geography: data.geography,
    delegations: data.delegations ?? { delegations: [], holdings: [] },
    assignmentsAt,
    reportAt: (date, tolerance) =>
      reports(`${date}/${tolerance}`, () => Coterminosity.report(assignmentsAt(date), { tolerance }))
  }
}

// ---------------------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------------------

/**
 * The reference-data port.
 *
 * @category services
 * @since 0.1.0
 */
export class ReferenceData extends Context.Service<ReferenceData, Shape>()("@hub/http-api/ReferenceData") {
  /** Given data (tests, or a loader of its own). */
  static readonly layerFrom = (data: Data): Layer.Layer<ReferenceData> => Layer.succeed(ReferenceData, make(data))

  /**
   * The dataset bundled with libs/reference-data (London 2006-2021 and Southampton, with the board papers'
   * bodies, holdings and delegations), read and validated once
   * when the layer is built. Invalid bundled data is a bug and fails the layer as a defect.
   */
  static readonly layerBundled: Layer.Layer<ReferenceData> = Layer.effect(
    ReferenceData,
    Effect.sync(() =>
      make({
        registry: Bundled.registry(),
        geography: Bundled.geography(),
        delegations: bundledDelegations()
      })
    )
  )
}
