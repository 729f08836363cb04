import { defineConfig } from "vitest/config"

// Unit tests: the harness, the report writers and the smoke run of the benchmarks that need no server. Tests that
// need Redis are *.integration.test.ts (vitest.integration.config.ts). Files run one after another so the smoke
// run's timings are not skewed by the other files.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.integration.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
})
