import { defineConfig } from "vitest/config"

// Integration tests need the machine's PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test,
// a fresh schema per test, dropped afterwards) and Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379, a fresh
// queue prefix per test). Files run one after another: they start simulators and child processes.
export default defineConfig({
  test: {
    include: ["src/**/*.integration.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000
  }
})
