import { Bundled, ReferenceFiles } from "@hub/reference-data"
import { IngestRepo, ReferenceDataRepo, Store } from "@hub/store"
import { EffectTest } from "@hub/testing"
import { Effect, Result } from "effect"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as ReferenceDataImport from "./ReferenceDataImport.ts"

/** The bundled geography file as the source counts it: its areas, and one row per area of each coverage group. */
const source = JSON.parse(readFileSync(ReferenceFiles.bundledGeography, "utf8")) as {
  readonly areas: ReadonlyArray<string>
  readonly coverage: ReadonlyArray<{ readonly body: string; readonly role: string; readonly areas: ReadonlyArray<string> }>
}
const sourceCoverageRows = source.coverage.reduce((n, g) => n + g.areas.length, 0)

describe("ReferenceDataImport", () => {
  EffectTest.effect("loads the bundled registry and geography in one go; the store's counts equal the source rows; loading again writes nothing", () =>
    Effect.gen(function*() {
      const repo = yield* ReferenceDataRepo.ReferenceDataRepo
      const first = yield* ReferenceDataImport.loadBundled()
      const organisations = Bundled.organisations()
      expect(first).toMatchObject({ alreadyLoaded: false, bodies: organisations.bodies.length })
      expect(first.geography).toMatchObject({ sourceAreas: source.areas.length, sourceCoverage: sourceCoverageRows, areas: source.areas.length, coverage: sourceCoverageRows, rejected: [] })
      const counts = yield* repo.counts()
      expect(counts).toEqual({
        bodies: new Set(organisations.bodies.map((b) => b.code)).size,
        relationships: organisations.relationships.length,
        successions: organisations.successions.length,
        areas: source.areas.length,
        areaCoverage: sourceCoverageRows
      })
      // A council's areas in the store are the source's.
      const southampton = source.coverage.filter((g) => g.body === "E06000045").flatMap((g) => g.areas).sort()
      expect((yield* repo.areaCoverage({ bodyCode: "E06000045", role: "council" })).map((c) => c.areaCode)).toEqual(southampton)

      expect(yield* ReferenceDataImport.loadBundled()).toMatchObject({ alreadyLoaded: true, written: 0 })
      const forced = yield* ReferenceDataImport.loadBundled({ force: true })
      expect(forced).toMatchObject({ alreadyLoaded: false, written: 0, geography: { written: 0 } })
      expect(yield* repo.counts()).toEqual(counts)
    }).pipe(Effect.provide(Store.layerPglite())), 300_000)

  EffectTest.effect("a geography file with broken rows imports the good ones and quarantines each bad one with its record number and field", () =>
    Effect.gen(function*() {
      const folder = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "hub-geo-"))),
        (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
      )
      const file = join(folder, "geo.json")
      writeFileSync(file, JSON.stringify({
        areas: ["E01000001", "E0100000X", "E01000002", "E01000001"],
        coverage: [
          { body: "07L", role: "health", period: { opened: "2013-04-01", closed: "2020-04-01" }, areas: ["E01000001", "E01000003"] },
          { body: "E09000001", role: "council", period: { opened: "1965-04-01" }, areas: ["E01000001", "E01000002"] },
          { body: "08Q", role: "mayor", period: { opened: "2013-04-01" }, areas: ["E01000002"] }
        ]
      }))
      const outcome = yield* ReferenceDataImport.importGeography(file)
      expect(outcome).toMatchObject({ sourceAreas: 4, sourceCoverage: 5, areas: 2, coverage: 3 })
      expect(outcome.rejected.map((r) => [r.line, r.problems[0]?.field])).toEqual([
        [2, "areas[1]"],
        [4, "areas[3]"],
        [6, "coverage[0].areas[1]"],
        [9, "coverage[2]"]
      ])
      expect(outcome.rejected[2]?.problems[0]?.reason).toMatch(/E01000003 is not one of the file's areas/u)
      const held = yield* IngestRepo.IngestRepo.use((r) => r.quarantined({ plugin: ReferenceDataRepo.quarantinePlugin, stream: "geo.json" }))
      expect(held.map((q) => q.line)).toEqual([2, 4, 6, 9])
      const again = yield* ReferenceDataImport.importGeography(file)
      expect(again.written).toBe(0)
    }).pipe(Effect.provide(Store.layerPglite())), 300_000)

  it("refuses a file that is no geography, or whose coverage overlaps, naming the rule", () => {
    expect(Result.isFailure(ReferenceDataImport.checkGeography("x.json", { areas: 1 }))).toBe(true)
    const overlapping = ReferenceDataImport.checkGeography("x.json", {
      areas: ["E01000001"],
      coverage: [
        { body: "07L", role: "health", period: { opened: "2013-04-01" }, areas: ["E01000001"] },
        { body: "07M", role: "health", period: { opened: "2015-04-01" }, areas: ["E01000001"] }
      ]
    })
    expect(Result.isFailure(overlapping) && overlapping.failure).toMatch(/geography\/overlapping-coverage/u)
  })
})
