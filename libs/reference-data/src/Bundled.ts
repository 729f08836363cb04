/**
 * The bundled dataset: London 2006-2021 (NHS London, its 31 PCTs in six sectors, the 33 councils, the 32 CCGs
 * of 2013 and the CCGs they merged into in 2020) and Southampton, built from real ONS/ODS files by
 * `src/build/BuildBundled.ts` into data/bundled/, merged here with the bodies the board papers name.
 * Files are read on first use and the results cached.
 *
 * @since 0.1.0
 */
import { Codes, Geography, Organisation, Period, Registry } from "@hub/domain"
import { Result, Schema } from "effect"
import { readFileSync } from "node:fs"
import * as BoardPapers from "./BoardPapers.ts"
import * as ReferenceFiles from "./ReferenceFiles.ts"

// ---------------------------------------------------------------------------------------------------------
// file format
// ---------------------------------------------------------------------------------------------------------

/**
 * The committed geography file: the areas, and coverage grouped by body, role and period (one record per group
 * rather than per area keeps the file small).
 *
 * @category schemas
 * @since 0.1.0
 */
export const GeographyFile = Schema.Struct({
  areas: Schema.Array(Codes.LsoaCode),
  coverage: Schema.Array(
    Schema.Struct({
      body: Codes.BodyCode,
      role: Schema.Literals(["health", "council"]),
      period: Period.Period,
      areas: Schema.Array(Codes.LsoaCode)
    })
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type GeographyFile = typeof GeographyFile.Type

/**
 * Decodes a geography file's JSON and builds the domain geography, or explains why it cannot be built.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeGeography = (json: unknown): Result.Result<Geography.Geography, string> => {
  const file = Schema.decodeUnknownResult(GeographyFile)(json, { errors: "all" })
  if (Result.isFailure(file)) return Result.fail(`geography file does not decode: ${String(file.failure)}`)
  const coverage: Array<Geography.Coverage> = []
  for (const group of file.success.coverage) {
    for (const area of group.areas) coverage.push({ area, body: group.body, role: group.role, period: group.period })
  }
  const geography = Geography.make(file.success.areas.map((code) => ({ code })), coverage)
  return Result.isFailure(geography) ? Result.fail(geography.failure.message) : Result.succeed(geography.success)
}

// ---------------------------------------------------------------------------------------------------------
// merging the register data with the board papers
// ---------------------------------------------------------------------------------------------------------

const sameBody = (a: Organisation.Body, b: Organisation.Body): boolean =>
  a.kind === b.kind && a.period.opened === b.period.opened && a.period.closed === b.period.closed

/**
 * Merges organisation data from several sources, the first winning: a body already present with the same code,
 * kind and period is not repeated; one with the same code but another kind or period is kept, so the registry
 * reports the conflict (`registry/duplicate-code`) instead of one source silently overriding the other.
 * Identical relationships and successions are listed once.
 *
 * @category combinators
 * @since 0.1.0
 */
export const merge = (...sources: ReadonlyArray<Organisation.OrganisationData>): Organisation.OrganisationData => {
  const bodies: Array<Organisation.Body> = []
  const byCode = new Map<string, Organisation.Body>()
  const relationships = new Map<string, Organisation.Relationship>()
  const successions = new Map<string, Organisation.Succession>()
  for (const source of sources) {
    for (const body of source.bodies) {
      const known = byCode.get(body.code)
      if (known !== undefined && sameBody(known, body)) continue
      if (known === undefined) byCode.set(body.code, body)
      bodies.push(body)
    }
    for (const r of source.relationships) {
      const key = JSON.stringify([r.type, r.from, r.to, r.period.opened, r.period.closed ?? null])
      if (!relationships.has(key)) relationships.set(key, r)
    }
    for (const s of source.successions) {
      const key = JSON.stringify([s.predecessor, s.successor, s.date])
      if (!successions.has(key)) successions.set(key, s)
    }
  }
  return { bodies, relationships: [...relationships.values()], successions: [...successions.values()] }
}

/**
 * The organisation data from board papers that joins the register data: the one place the two meet. The
 * groups of `BoardPapers.ts` (joint committees, Local Commissioning Groups, the London Commissioning Group, the
 * CBS, Southampton's consortium) and their memberships of the register's PCTs.
 *
 * @category constants
 * @since 0.1.0
 */
export const boardPaperSources: ReadonlyArray<Organisation.OrganisationData> = [BoardPapers.organisations]

// ---------------------------------------------------------------------------------------------------------
// loaders
// ---------------------------------------------------------------------------------------------------------

const cache: {
  register?: Organisation.OrganisationData
  organisations?: Organisation.OrganisationData
  registry?: Registry.Registry
  geography?: Geography.Geography
} = {}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"))

/**
 * The register part of the bundle alone (bodies, memberships and successions derived from the ONS/ODS files),
 * without the board papers. Throws only if the committed file is corrupt, which is a bug.
 *
 * @category loaders
 * @since 0.1.0
 */
export const registerOrganisations = (): Organisation.OrganisationData => {
  cache.register ??= Schema.decodeUnknownSync(Organisation.OrganisationData)(readJson(ReferenceFiles.bundledOrganisations), {
    errors: "all"
  })
  return cache.register
}

/**
 * Every body, relationship and succession of the bundle: the register data merged with the board papers'.
 *
 * @category loaders
 * @since 0.1.0
 */
export const organisations = (): Organisation.OrganisationData => {
  cache.organisations ??= merge(registerOrganisations(), ...boardPaperSources)
  return cache.organisations
}

/**
 * The bundle's registry, built and validated once. Throws if the bundled data breaks a registry rule, which is
 * a bug in the data (the library's tests build it).
 *
 * @category loaders
 * @since 0.1.0
 */
export const registry = (): Registry.Registry => {
  if (cache.registry === undefined) {
    const built = Registry.make(organisations())
    if (Result.isFailure(built)) throw new Error(`the bundled organisation data is invalid: ${built.failure.message}`)
    cache.registry = built.success
  }
  return cache.registry
}

/**
 * The bundle's geography: every LSOA of London and Southampton, covered by councils, PCTs and CCGs over time.
 * Throws if the committed file is invalid, which is a bug.
 *
 * @category loaders
 * @since 0.1.0
 */
export const geography = (): Geography.Geography => {
  if (cache.geography === undefined) {
    const built = decodeGeography(readJson(ReferenceFiles.bundledGeography))
    if (Result.isFailure(built)) throw new Error(`the bundled geography is invalid: ${built.failure}`)
    cache.geography = built.success
  }
  return cache.geography
}
