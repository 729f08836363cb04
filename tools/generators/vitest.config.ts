import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The workspace test copies the repository, runs `nx g` there and then the new plugin's typecheck, lint and
    // tests as child processes: about half a minute warm, more on a cold or busy machine.
    testTimeout: 30_000,
    hookTimeout: 300_000
  }
})
