import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.integration.test.ts"],
    // The contract tests start the simulator as a child process.
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
