import { defineConfig } from "vitest/config"

// Integration tests talk to the real Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379), each test under
// its own key prefix, obliterated afterwards. Files run one after another so timing assertions are not skewed.
export default defineConfig({
  test: {
    include: ["src/**/*.integration.test.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
