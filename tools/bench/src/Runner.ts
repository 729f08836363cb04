/**
 * Runs benchmarks one after another in one mode, stamps each with its date, duration and machine, and writes
 * them to the results files. The command-line entry point (`main.ts`) and the smoke test both go through it.
 *
 * @since 0.1.0
 */
import { performance } from "node:perf_hooks"
import type { Benchmark, Mode } from "./Benchmark.ts"
import * as Machine from "./Machine.ts"
import * as Report from "./Report.ts"

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly benchmarks: ReadonlyArray<Benchmark>
  readonly mode: Mode
  /** Names of the benchmarks to run (default all). */
  readonly only?: ReadonlyArray<string> | undefined
  readonly jsonFile: string
  readonly markdownFile: string
  /** The command that reproduces the run, recorded with it. */
  readonly command: string
  /** Where git is asked for the commit (default the current directory). */
  readonly cwd?: string | undefined
  readonly log: (line: string) => void
}

/**
 * What a run produced: this run's entries and the merged results file as written.
 *
 * @category models
 * @since 0.1.0
 */
export interface Outcome {
  readonly entries: ReadonlyArray<Report.Entry>
  readonly file: Report.ResultsFile
}

/**
 * The benchmarks `only` names, in suite order; an unknown name fails listing the known ones.
 *
 * @category constructors
 * @since 0.1.0
 */
export const select = (benchmarks: ReadonlyArray<Benchmark>, only: ReadonlyArray<string> | undefined): ReadonlyArray<Benchmark> => {
  if (only === undefined || only.length === 0) return benchmarks
  const known = new Set(benchmarks.map((b) => b.name))
  const unknown = only.filter((name) => !known.has(name))
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${[...known].join(", ")}`)
  return benchmarks.filter((b) => only.includes(b.name))
}

/**
 * Runs the selected benchmarks, writing each one's entry as soon as it ends (replacing its earlier entry).
 *
 * @category running
 * @since 0.1.0
 */
export const run = async (options: Options): Promise<Outcome> => {
  const entries: Array<Report.Entry> = []
  let file: Report.ResultsFile | undefined
  for (const benchmark of select(options.benchmarks, options.only)) {
    const machine = Machine.current(options.cwd)
    const date = new Date().toISOString()
    const started = performance.now()
    options.log(`${benchmark.name}: ${options.mode} run on ${Machine.describe(machine)}`)
    const results = await benchmark.run({ mode: options.mode, log: options.log })
    const entry: Report.Entry = {
      benchmark: benchmark.name,
      description: benchmark.description,
      mode: options.mode,
      date,
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      machine,
      command: options.command,
      results
    }
    entries.push(entry)
    // Written after each benchmark, so a later one failing does not lose the figures already measured.
    file = await Report.write([entry], options.jsonFile, options.markdownFile)
  }
  return { entries, file: file ?? (await Report.write([], options.jsonFile, options.markdownFile)) }
}
