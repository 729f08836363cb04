/**
 * What a benchmark is to the runner: a name, what it compares, and a function that runs its comparisons (with the
 * harness) at full or smoke size. Configuration such as a Redis URL is given when the benchmark is constructed.
 *
 * @since 0.1.0
 */
import type * as Harness from "./Harness.ts"

/**
 * `full` measures at the documented sizes and judges goals; `smoke` runs tiny sizes for 1-2 rounds only to prove
 * the benchmark works end to end (goals are recorded as not enforced).
 *
 * @category models
 * @since 0.1.0
 */
export type Mode = "full" | "smoke"

/**
 * What the runner hands a benchmark.
 *
 * @category models
 * @since 0.1.0
 */
export interface Settings {
  readonly mode: Mode
  /** Progress output (the runner prints it; tests drop it). */
  readonly log: (line: string) => void
}

/**
 * A benchmark: one or more comparisons of our path against its anchor.
 *
 * @category models
 * @since 0.1.0
 */
export interface Benchmark {
  /** Key in docs/benchmarks.json and the `--only` name: `coterminosity`, `worker`. */
  readonly name: string
  /** One or two sentences: our path, the anchor, the goal. */
  readonly description: string
  readonly run: (settings: Settings) => Promise<ReadonlyArray<Harness.Result>>
}
