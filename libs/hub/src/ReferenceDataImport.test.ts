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

/** A temporary folder for one test, removed when its scope closes. */
const tempFolder = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "hub-lookup-"))),
  (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
)

/** The data lines of a CSV as the test counts them: non-empty lines after the header, split on commas (no quotes here). */
const dataLines = (text: string): Array<Array<string>> =>
  text.split("\n").slice(1).filter((l) => l.trim() !== "").map((l) => l.split(","))

const lookupCsv = [
  "LSOA11CD,LSOA11NM,CCG15CD,CCG15CDH,CCG15NM,LAD15CD,LAD15NM,FID",
  "E01010638,Bradford 004A,E38000001,02N,NHS Airedale CCG,E08000032,Bradford,1",
  "E01023975,Ashford 007B,E38000002,09C,NHS Ashford CCG,E07000105,Ashford,2",
  "E01010639,Bradford 004B,E38000001,02N,NHS Airedale CCG,E08000032,Bradford,3",
  "E01023976,Ashford 008A,E38000002,09C,NHS Ashford CCG,E07000105,Ashford,4",
  "E01010640,Bradford 004C,E38000001,02N,NHS Airedale CCG,E07000105,Ashford,5",
  ""
].join("\n")

describe("ReferenceDataImport.importLookup", () => {
  EffectTest.effect("imports each LSOA with its health body's ODS code and its council; counts match the file; a rerun leaves the same rows", () =>
    Effect.gen(function*() {
      const repo = yield* ReferenceDataRepo.ReferenceDataRepo
      const folder = yield* tempFolder
      const file = join(folder, "lsoa11-ccg15-lad15.csv")
      writeFileSync(file, lookupCsv)
      const lines = dataLines(lookupCsv)
      const expected = lines.flatMap(([area, , , ods, , council]) => [
        { lookup: "lsoa11-ccg15-lad15", areaCode: area, bodyCode: ods },
        { lookup: "lsoa11-ccg15-lad15", areaCode: area, bodyCode: council }
      ]).sort((a, b) => `${a.areaCode} ${a.bodyCode}`.localeCompare(`${b.areaCode} ${b.bodyCode}`))
      // An area already stored with a name keeps it: the lookup only adds the areas the store lacks.
      yield* repo.upsertAreas([{ code: "E01010638", name: "Bradford 004A", population: 1500 }])

      const first = yield* ReferenceDataImport.importLookup(file)
      expect(first).toEqual({ file, lookup: "lsoa11-ccg15-lad15", rows: lines.length, areas: lines.length, coverage: 2 * lines.length, written: lines.length - 1 + 2 * lines.length })
      expect(yield* repo.coverage("lsoa11-ccg15-lad15")).toEqual(expected)
      expect((yield* repo.coverage("lsoa11-ccg15-lad15", "02N")).map((c) => c.areaCode)).toEqual(["E01010638", "E01010639", "E01010640"])
      const areas = yield* repo.areas()
      expect(areas.map((a) => a.code)).toEqual(lines.map(([area]) => area).sort())
      expect(areas.find((a) => a.code === "E01010638")).toEqual({ code: "E01010638", name: "Bradford 004A", population: 1500 })

      const again = yield* ReferenceDataImport.importLookup(file)
      expect(again).toMatchObject({ rows: lines.length, areas: lines.length, coverage: 2 * lines.length })
      expect(yield* repo.coverage("lsoa11-ccg15-lad15")).toEqual(expected)
      expect(yield* repo.areas()).toEqual(areas)
    }).pipe(Effect.provide(Store.layerTest)), 120_000)

  EffectTest.effect("a file without ODS codes stores the health body's GSS code, under the name given", () =>
    Effect.gen(function*() {
      const repo = yield* ReferenceDataRepo.ReferenceDataRepo
      const folder = yield* tempFolder
      const file = join(folder, "lookup.csv")
      writeFileSync(file, "FID,LAD20CD,SICBL22CD,LSOA11CD\n1,E08000032,E38000232,E01010638\n")
      const outcome = yield* ReferenceDataImport.importLookup(file, { lookup: "sicbl22" })
      expect(outcome).toMatchObject({ lookup: "sicbl22", rows: 1, areas: 1, coverage: 2 })
      expect((yield* repo.coverage("sicbl22")).map((c) => c.bodyCode).sort()).toEqual(["E08000032", "E38000232"])
      expect(yield* repo.coverage("lookup")).toEqual([])
    }).pipe(Effect.provide(Store.layerTest)), 120_000)

  EffectTest.effect("a bad row fails the whole import with the file, line and column, and writes nothing", () =>
    Effect.gen(function*() {
      const repo = yield* ReferenceDataRepo.ReferenceDataRepo
      const folder = yield* tempFolder
      const good = join(folder, "lsoa11-ccg15-lad15.csv")
      writeFileSync(good, lookupCsv)
      yield* ReferenceDataImport.importLookup(good)
      const before = { areas: yield* repo.areas(), coverage: yield* repo.coverage("lsoa11-ccg15-lad15") }

      // Line 4 (header is line 1) has a council code that is no GSS code; the rows before it are good.
      const lines = lookupCsv.split("\n")
      lines[3] = "E01099999,Nowhere 001A,E38000001,02N,NHS Airedale CCG,NOTACODE,Nowhere,3"
      const bad = join(folder, "bad.csv")
      writeFileSync(bad, lines.join("\n"))
      const error = yield* Effect.flip(ReferenceDataImport.importLookup(bad, { lookup: "lsoa11-ccg15-lad15" }))
      expect(error).toMatchObject({ _tag: "RowError", file: bad, line: 4, column: 6, field: "LAD15CD" })
      expect(error.message).toContain(`${bad}:4 column 6 (LAD15CD)`)
      expect({ areas: yield* repo.areas(), coverage: yield* repo.coverage("lsoa11-ccg15-lad15") }).toEqual(before)
    }).pipe(Effect.provide(Store.layerTest)), 120_000)
})
