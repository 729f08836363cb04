import { defineConfig } from "vitest/config"

// Integration tests: the smoke run of the benchmarks that need the loopback Redis (TEST_REDIS_URL, default
// redis://127.0.0.1:6379). Files run one after another so benchmarks do not overlap.
export default defineConfig({
  test: {
    include: ["src/**/*.integration.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
})
