import { defineConfig } from "vitest/config"

// Unit tests only: the fault tests (`*.faults.test.ts`) start real processes and run with `npm run test-faults`.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.faults.test.ts"],
    // No unit tests yet: the harness is exercised by the fault tests themselves.
    passWithNoTests: true
  }
})
