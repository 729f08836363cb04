import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.integration.test.ts"],
    // The first request of a file builds its runtime (an embedded PostgreSQL and its migrations): seconds on an
    // idle machine, far more on a loaded 2-core CI machine. The limits are there to catch hangs, not to time.
    testTimeout: 120_000,
    hookTimeout: 300_000
  }
})
