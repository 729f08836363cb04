import { describe, expect, it } from "vitest"
import * as Suite from "./Suite.ts"
import { describeSmokeRun, withoutServer, withPostgres, withPostgresPush, withRedis } from "./test-support/Smoke.ts"

// Building the suite connects to nothing; only running the worker and ingest benchmarks does.
const config = { redisUrl: "redis://127.0.0.1:6379", databaseUrl: "postgres://postgres@127.0.0.1:5432/test" }

// The benchmarks that need no server, at smoke size, end to end through the runner and the writers. Those that
// need the loopback Redis run in Smoke.integration.test.ts (the `test-integration` target).
describeSmokeRun("smoke run of the benchmarks that need no server", Suite.all(config), withoutServer)

describe("the smoke runs", () => {
  it("cover every benchmark of the suite between the unit and the integration test, once each", () => {
    const names = Suite.all(config).map((b) => b.name)
    const covered = [...Object.keys(withoutServer.results), ...Object.keys(withRedis.results), ...Object.keys(withPostgres.results), ...Object.keys(withPostgresPush.results)]
    expect([...covered].sort()).toEqual([...names].sort())
  })
})
