/**
 * The national coterminosity report on the real ONS LSOA lookup (32,844 areas), against the time it takes merely
 * to parse that file with the same CSV library: computing the report from assignments already in memory should
 * cost at most a quarter of the parse. Also the full importer (`OnsLookup.load`) against the same plain parse,
 * which shows what validation and bookkeeping add to reading the file.
 *
 * @since 0.1.0
 */
import { Coterminosity } from "@hub/domain"
import { OnsLookup, ReferenceFiles } from "@hub/reference-data"
import { parse } from "csv-parse"
import { Effect } from "effect"
import { createReadStream } from "node:fs"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Benchmark, Settings } from "./Benchmark.ts"
import * as Harness from "./Harness.ts"

const workspaceRoot = fileURLToPath(new URL("../../../", import.meta.url))

/**
 * @category models
 * @since 0.1.0
 */
export interface Config {
  /** The lookup to read (default: the 2015 LSOA-CCG-LAD lookup shipped in @hub/reference-data). */
  readonly file?: string | undefined
  /** Rows kept for a smoke run (default 400). */
  readonly smokeRows?: number | undefined
}

/**
 * The goal: the report's compute time is at most this share of the plain parse time.
 *
 * @category constants
 * @since 0.1.0
 */
export const reportGoal: Harness.Goal = { kind: "time", atMost: 0.25 }

/**
 * The anchor: reads and parses the file with csv-parse's streaming parser and default options (plus BOM
 * handling), doing nothing with the records but counting them. Returns the number of records, header included.
 *
 * @category anchors
 * @since 0.1.0
 */
export const plainParse = async (file: string): Promise<number> => {
  let records = 0
  for await (const _record of createReadStream(file).pipe(parse({ bom: true }))) records++
  return records
}

const loadLookup = (file: string): Promise<OnsLookup.OnsLookup> => Effect.runPromise(OnsLookup.load(file))

/** The first `rows` data rows of `file` (with its header) in a temporary file, for smoke runs. */
const smokeCopy = async (file: string, rows: number): Promise<{ readonly file: string; readonly remove: () => Promise<void> }> => {
  const dir = await mkdtemp(path.join(tmpdir(), "hub-bench-cot-"))
  const lines = (await readFile(file, "utf8")).split(/\r?\n/u).slice(0, rows + 1)
  const copy = path.join(dir, path.basename(file))
  await writeFile(copy, `${lines.join("\n")}\n`)
  return { file: copy, remove: () => rm(dir, { recursive: true, force: true }) }
}

/**
 * The coterminosity benchmark: `coterminosity.report` (goal: at most 0.25 of the plain parse) and
 * `coterminosity.importer` (no goal; the importer's overhead over a plain parse).
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchmark = (config: Config = {}): Benchmark => ({
  name: "coterminosity",
  description:
    "The national coterminosity report computed from LSOA assignments already in memory, and the full ONS lookup importer, each against a plain csv-parse of the same file.",
  run: async (settings: Settings) => {
    const source = config.file ?? ReferenceFiles.onsLookup2015
    const smoke = settings.mode === "smoke"
    const copy = smoke ? await smokeCopy(source, config.smokeRows ?? 400) : undefined
    const file = copy?.file ?? source
    try {
      const lookup = await loadLookup(file)
      const assignments = OnsLookup.assignments(lookup)
      const records = await plainParse(file)
      // The anchor must read the same data the importer does, or the ratio compares different work.
      if (records !== lookup.rows.length + 1) {
        throw new Error(`${file}: the plain parse read ${records} records but the importer ${lookup.rows.length} rows plus a header`)
      }
      const once = Coterminosity.report(assignments)
      const params = {
        file: path.relative(workspaceRoot, source),
        rows: lookup.rows.length,
        healthBodies: once.bodies.length,
        councils: lookup.councils.size,
        smoke
      }
      const parseSide: Harness.Side<void> = {
        label: "csv-parse (stream, default options), records counted",
        measure: () => plainParse(file)
      }
      const rows: Harness.Work = { count: lookup.rows.length, unit: "rows" }
      let sink = 0
      const report = await Harness.compare({
        name: "coterminosity.report",
        description: "Coterminosity.report over the lookup's assignments (in memory) vs a plain csv-parse of the file",
        ours: {
          label: "Coterminosity.report(assignments)",
          measure: () => {
            sink += Coterminosity.report(assignments).bodies.length
          }
        },
        anchor: parseSide,
        rounds: smoke ? 2 : 15,
        warmup: smoke ? 0 : 3,
        work: rows,
        goal: reportGoal,
        enforceGoal: !smoke,
        params,
        log: settings.log
      })
      const importer = await Harness.compare({
        name: "coterminosity.importer",
        description: "OnsLookup.load (stream, validate, dedupe, collect bodies) vs a plain csv-parse of the file",
        ours: { label: "OnsLookup.load(file)", measure: () => loadLookup(file).then((l) => (sink += l.rows.length)) },
        anchor: parseSide,
        rounds: smoke ? 2 : 9,
        warmup: smoke ? 0 : 2,
        work: rows,
        params,
        log: settings.log
      })
      if (sink <= 0) throw new Error("coterminosity benchmark: the measured code produced nothing")
      return [report, importer]
    } finally {
      await copy?.remove()
    }
  }
})
