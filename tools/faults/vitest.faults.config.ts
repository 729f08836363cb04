import { defineConfig } from "vitest/config"

// Fault tests: each starts its own redis-server (AOF, free loopback port), simulators and workers as child
// processes, and uses a fresh schema in TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
// Files run one after another: they are timing-sensitive and start many processes.
export default defineConfig({
  test: {
    include: ["src/**/*.faults.test.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000
  }
})
