/**
 * Benchmarks of the hub beside their anchors: the comparison harness, the results files, and the benchmarks
 * themselves (coterminosity report and importer vs a plain CSV parse; the hub worker vs a raw BullMQ worker;
 * the gateway vs a bare Hono route; the spend ingest vs csv-parse and PostgreSQL COPY).
 *
 * @since 0.1.0
 */
export * as Benchmark from "./Benchmark.ts"
export * as CoterminosityBench from "./CoterminosityBench.ts"
export * as GatewayBench from "./GatewayBench.ts"
export * as Harness from "./Harness.ts"
export * as IngestBench from "./IngestBench.ts"
export * as LoadRunner from "./LoadRunner.ts"
export * as Machine from "./Machine.ts"
export * as Report from "./Report.ts"
export * as Runner from "./Runner.ts"
export * as Suite from "./Suite.ts"
export * as WorkerBench from "./WorkerBench.ts"
