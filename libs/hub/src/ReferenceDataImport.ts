/**
 * Loads the bundled reference data (the organisation registry of London 2006-2021 and Southampton: bodies,
 * relationships, successions) into the store, once: the first start of a hub fills an empty store, later
 * starts find it there and leave it alone.
 *
 * @since 0.1.0
 */
import type { Organisation } from "@hub/domain"
import { Bundled } from "@hub/reference-data"
import { ReferenceDataRepo } from "@hub/store"
import { Effect } from "effect"
import { type StoreFailure, storeFailure } from "./HubError.ts"

/**
 * What loading did: how many bodies, relationships and successions the bundled data holds, how many rows were
 * written, and whether the store already held bodies (then nothing is written).
 *
 * @category models
 * @since 0.1.0
 */
export interface LoadOutcome {
  readonly alreadyLoaded: boolean
  readonly bodies: number
  readonly relationships: number
  readonly successions: number
  readonly written: number
}

/**
 * Loads `data` into the store unless the store already holds bodies (`force` loads anyway: the upsert by
 * natural key makes that harmless).
 *
 * @category use cases
 * @since 0.1.0
 */
export const load = (
  data: Organisation.OrganisationData,
  options: { readonly force?: boolean } = {}
): Effect.Effect<LoadOutcome, StoreFailure, ReferenceDataRepo.ReferenceDataRepo> =>
  Effect.gen(function*() {
    const repo = yield* ReferenceDataRepo.ReferenceDataRepo
    const stored = yield* repo.organisations().pipe(Effect.mapError(storeFailure("reading the registry")))
    const counts = { bodies: data.bodies.length, relationships: data.relationships.length, successions: data.successions.length }
    if (stored.bodies.length > 0 && options.force !== true) return { alreadyLoaded: true, ...counts, written: 0 }
    const { written } = yield* repo.upsertOrganisations(data).pipe(Effect.mapError(storeFailure("loading the registry")))
    return { alreadyLoaded: false, ...counts, written }
  })

/**
 * Loads the bundled registry (see {@link load}).
 *
 * @category use cases
 * @since 0.1.0
 */
export const loadBundled = (options: { readonly force?: boolean } = {}) => load(Bundled.organisations(), options)
