/**
 * The hub's benchmarks in the order a full run takes them. A new benchmark is added here (and gets its
 * configuration, such as a database URL, from the entry point that reads the environment).
 *
 * @since 0.1.0
 */
import type { Benchmark } from "./Benchmark.ts"
import * as CoterminosityBench from "./CoterminosityBench.ts"
import * as GatewayBench from "./GatewayBench.ts"
import * as IngestBench from "./IngestBench.ts"
import * as PushBench from "./PushBench.ts"
import * as WorkerBench from "./WorkerBench.ts"

/**
 * What the benchmarks need from outside.
 *
 * @category models
 * @since 0.1.0
 */
export interface Config {
  /** Redis for the worker benchmark (loopback). */
  readonly redisUrl: string
  /** PostgreSQL for the ingest and push benchmarks (loopback; a fresh schema per run, dropped after). */
  readonly databaseUrl: string
  /** Rows of the ingest benchmark's two sizes in a full run (default 100,000 and 1,000,000). */
  readonly ingestRows?: { readonly small: number; readonly large: number } | undefined
  /** Returns the push benchmark prepares and pushes per measurement (default 1,000, 20 in a smoke run). */
  readonly pushReturns?: number | undefined
}

/**
 * Every benchmark.
 *
 * @category constructors
 * @since 0.1.0
 */
export const all = (config: Config): ReadonlyArray<Benchmark> => [
  CoterminosityBench.benchmark(),
  GatewayBench.benchmark(),
  WorkerBench.benchmark({ redisUrl: config.redisUrl }),
  IngestBench.benchmark({ databaseUrl: config.databaseUrl, sizes: config.ingestRows }),
  PushBench.benchmark({ databaseUrl: config.databaseUrl, returns: config.pushReturns })
]
