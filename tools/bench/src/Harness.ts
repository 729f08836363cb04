/**
 * The comparison harness every benchmark uses: runs our path and its anchor in the same process, alternating
 * which goes first, for warm-up and measured rounds; samples memory during each measurement; and reports
 * medians, the ratio of ours to the anchor and whether the goal was met. Absolute times on a shared machine
 * drift; a ratio of two paths measured side by side mostly does not.
 *
 * @since 0.1.0
 */
import { performance } from "node:perf_hooks"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * One side of a comparison. Only `measure` is timed; `prepare` (e.g. pre-adding jobs) and `cleanup` (e.g.
 * closing a worker) run around it in every round, untimed. What `prepare` returns is handed to `measure` and
 * `cleanup`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Side<C> {
  /** Short name shown in reports: `Coterminosity.report`, `raw BullMQ Worker`. */
  readonly label: string
  readonly prepare?: () => Promise<C> | C
  readonly measure: (context: C) => Promise<unknown> | unknown
  readonly cleanup?: (context: C) => Promise<void> | void
}

/**
 * How much work one measurement does (the same for both sides), so throughput can be reported.
 *
 * @category models
 * @since 0.1.0
 */
export interface Work {
  readonly count: number
  /** Plural noun: `rows`, `jobs`, `requests`. */
  readonly unit: string
}

/**
 * The goal of a comparison: ours takes at most `atMost` of the anchor's time, or ours does at least `atLeast`
 * of the anchor's throughput (needs {@link Work}).
 *
 * @category models
 * @since 0.1.0
 */
export type Goal =
  | { readonly kind: "time"; readonly atMost: number }
  | { readonly kind: "throughput"; readonly atLeast: number }

/**
 * A goal with the ratio it is judged on and the verdict. `not-enforced` in smoke runs, whose sizes are too small
 * for the figures to mean anything.
 *
 * @category models
 * @since 0.1.0
 */
export type GoalVerdict = Goal & {
  readonly measured: number
  readonly status: "pass" | "miss" | "not-enforced"
}

/**
 * The figures of one side over the measured rounds.
 *
 * @category models
 * @since 0.1.0
 */
export interface SideFigures {
  readonly label: string
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
  /** Every measured round, in order. */
  readonly samplesMs: ReadonlyArray<number>
  /**
   * Median CPU time (user + system, all threads) this process spent while the side was measured. On a shared
   * machine it is steadier than wall time, but it misses work done in other processes (Redis, PostgreSQL).
   */
  readonly cpuMedianMs: number
  /** `work.count` per second at the median time, when the comparison has {@link Work}. */
  readonly perSecond?: number
  /** Highest resident set size seen while measuring, over all rounds. */
  readonly peakRssMb: number
  /** Highest V8 heap in use seen while measuring, over all rounds. */
  readonly peakHeapUsedMb: number
  /** Median over rounds of (peak heap in use while measuring - heap in use just before). */
  readonly heapGrowthMb: number
}

/**
 * The outcome of one comparison.
 *
 * @category models
 * @since 0.1.0
 */
export interface Result {
  readonly name: string
  readonly description: string
  /** Settings that shape the figures (sizes, concurrency, file), as given by the benchmark. */
  readonly params: Readonly<Record<string, string | number | boolean>>
  readonly rounds: number
  readonly warmup: number
  readonly gcBetweenRounds: boolean
  readonly work?: Work
  readonly ours: SideFigures
  readonly anchor: SideFigures
  /** ours median time / anchor median time: below 1 means ours is faster. */
  readonly timeRatio: number
  /** ours throughput / anchor throughput (anchor median / ours median), when there is {@link Work}. */
  readonly throughputRatio?: number
  /** ours median CPU time / anchor median CPU time (this process only); absent when the anchor used none. */
  readonly cpuRatio?: number
  /** Median, lowest and highest of the per-round ratios ours/anchor (each round's pair ran back to back). */
  readonly pairedTimeRatio: { readonly median: number; readonly min: number; readonly max: number }
  readonly goal?: GoalVerdict
}

/**
 * Options of {@link compare}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options<C1, C2> {
  readonly name: string
  readonly description: string
  readonly ours: Side<C1>
  readonly anchor: Side<C2>
  /** Measured rounds; each runs both sides once (at least 1). */
  readonly rounds: number
  /** Rounds run first and thrown away (JIT, caches, connections). */
  readonly warmup: number
  readonly work?: Work | undefined
  readonly goal?: Goal | undefined
  /** Judge the goal (default true); smoke runs pass false. */
  readonly enforceGoal?: boolean | undefined
  readonly params?: Readonly<Record<string, string | number | boolean>> | undefined
  /** Memory sampling interval while a side is measured, in ms (default 5). */
  readonly sampleEveryMs?: number | undefined
  /** Progress lines (one per round); default silent. */
  readonly log?: ((line: string) => void) | undefined
}

// ---------------------------------------------------------------------------------------------------------
// statistics
// ---------------------------------------------------------------------------------------------------------

/**
 * The median of a non-empty list (mean of the middle two for an even length).
 *
 * @category statistics
 * @since 0.1.0
 */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) throw new Error("median of no values")
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * Judges a goal against the measured ratios; `enforce: false` records it as `not-enforced`.
 *
 * @category statistics
 * @since 0.1.0
 */
export const judge = (goal: Goal, ratios: { readonly time: number; readonly throughput?: number | undefined }, enforce: boolean): GoalVerdict => {
  if (goal.kind === "time") {
    const measured = ratios.time
    return { ...goal, measured, status: !enforce ? "not-enforced" : measured <= goal.atMost ? "pass" : "miss" }
  }
  if (ratios.throughput === undefined) throw new Error("a throughput goal needs the comparison's work (count and unit)")
  const measured = ratios.throughput
  return { ...goal, measured, status: !enforce ? "not-enforced" : measured >= goal.atLeast ? "pass" : "miss" }
}

// ---------------------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------------------

const mb = (bytes: number): number => Math.round((bytes / 1024 ** 2) * 10) / 10

interface Measurement {
  readonly ms: number
  readonly cpuMs: number
  readonly peakRss: number
  readonly peakHeap: number
  readonly heapGrowth: number
}

/** Samples memory on a timer while a side runs; synchronous work is only seen at its start and end. */
const startSampler = (everyMs: number) => {
  const before = process.memoryUsage()
  let peakRss = before.rss
  let peakHeap = before.heapUsed
  const sample = (): void => {
    const now = process.memoryUsage()
    if (now.rss > peakRss) peakRss = now.rss
    if (now.heapUsed > peakHeap) peakHeap = now.heapUsed
  }
  const timer = setInterval(sample, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return { peakRss, peakHeap, heapGrowth: peakHeap - before.heapUsed }
    }
  }
}

const collectGarbage = (): boolean => {
  const gc = globalThis.gc
  if (typeof gc !== "function") return false
  gc()
  return true
}

const runSide = async <C>(side: Side<C>, everyMs: number): Promise<Measurement> => {
  const context = (side.prepare === undefined ? undefined : await side.prepare()) as C
  try {
    collectGarbage()
    const sampler = startSampler(everyMs)
    const cpu = process.cpuUsage()
    const start = performance.now()
    try {
      await side.measure(context)
      const ms = performance.now() - start
      const used = process.cpuUsage(cpu)
      return { ms, cpuMs: (used.user + used.system) / 1000, ...sampler.stop() }
    } catch (error) {
      // Stopped on failure too, so a failing side leaves no timer behind.
      sampler.stop()
      throw error
    }
  } finally {
    await side.cleanup?.(context)
  }
}

const figures = (label: string, measurements: ReadonlyArray<Measurement>, work: Work | undefined): SideFigures => {
  const samples = measurements.map((m) => m.ms)
  const medianMs = median(samples)
  return {
    label,
    medianMs,
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    samplesMs: samples,
    cpuMedianMs: median(measurements.map((m) => m.cpuMs)),
    ...(work === undefined ? {} : { perSecond: work.count / (medianMs / 1000) }),
    peakRssMb: mb(Math.max(...measurements.map((m) => m.peakRss))),
    peakHeapUsedMb: mb(Math.max(...measurements.map((m) => m.peakHeap))),
    heapGrowthMb: mb(median(measurements.map((m) => m.heapGrowth)))
  }
}

const formatMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2))

/**
 * Runs `warmup` + `rounds` rounds. Each round runs both sides back to back, ours first in even rounds and the
 * anchor first in odd ones, so neither side always inherits the other's garbage or warm caches; with
 * `--expose-gc` a full collection runs before every measurement. Returns medians, the ratios, peak memory and
 * the goal's verdict.
 *
 * @category constructors
 * @since 0.1.0
 */
export const compare = async <C1, C2>(options: Options<C1, C2>): Promise<Result> => {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error(`${options.name}: rounds must be an integer >= 1`)
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new Error(`${options.name}: warmup must be an integer >= 0`)
  const everyMs = options.sampleEveryMs ?? 5
  const ours: Array<Measurement> = []
  const anchor: Array<Measurement> = []
  const total = options.warmup + options.rounds
  for (let round = 0; round < total; round++) {
    const measured = round >= options.warmup
    const oursFirst = round % 2 === 0
    let a: Measurement
    let b: Measurement
    if (oursFirst) {
      a = await runSide(options.ours, everyMs)
      b = await runSide(options.anchor, everyMs)
    } else {
      b = await runSide(options.anchor, everyMs)
      a = await runSide(options.ours, everyMs)
    }
    if (measured) {
      ours.push(a)
      anchor.push(b)
    }
    options.log?.(
      `${options.name} ${measured ? `round ${round - options.warmup + 1}/${options.rounds}` : `warm-up ${round + 1}/${options.warmup}`}: ours ${formatMs(a.ms)} ms, anchor ${formatMs(b.ms)} ms (${oursFirst ? "ours" : "anchor"} first)`
    )
  }
  const oursFigures = figures(options.ours.label, ours, options.work)
  const anchorFigures = figures(options.anchor.label, anchor, options.work)
  const timeRatio = oursFigures.medianMs / anchorFigures.medianMs
  const throughputRatio = options.work === undefined ? undefined : anchorFigures.medianMs / oursFigures.medianMs
  const paired = ours.map((m, i) => m.ms / (anchor[i] as Measurement).ms)
  return {
    name: options.name,
    description: options.description,
    params: options.params ?? {},
    rounds: options.rounds,
    warmup: options.warmup,
    gcBetweenRounds: typeof globalThis.gc === "function",
    ...(options.work === undefined ? {} : { work: options.work }),
    ours: oursFigures,
    anchor: anchorFigures,
    timeRatio,
    ...(anchorFigures.cpuMedianMs > 0 ? { cpuRatio: oursFigures.cpuMedianMs / anchorFigures.cpuMedianMs } : {}),
    ...(throughputRatio === undefined ? {} : { throughputRatio }),
    pairedTimeRatio: { median: median(paired), min: Math.min(...paired), max: Math.max(...paired) },
    ...(options.goal === undefined
      ? {}
      : { goal: judge(options.goal, { time: timeRatio, throughput: throughputRatio }, options.enforceGoal ?? true) })
  }
}
