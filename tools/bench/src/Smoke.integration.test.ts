import * as Suite from "./Suite.ts"
import { describeSmokeRun, withPostgres, withPostgresPush, withRedis } from "./test-support/Smoke.ts"

// The benchmarks that need the loopback Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379) or PostgreSQL
// (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, and the psql binary), at smoke size, end to
// end through the runner and the writers. Each run uses a fresh key prefix or schema and removes it afterwards.
const config = {
  redisUrl: process.env["TEST_REDIS_URL"] ?? process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
  databaseUrl: process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
}

describeSmokeRun("smoke run of the benchmarks that need Redis", Suite.all(config), withRedis)

describeSmokeRun("smoke run of the benchmarks that need PostgreSQL", Suite.all(config), withPostgres)

describeSmokeRun("smoke run of the push benchmark (PostgreSQL and the NHS England returns simulator)", Suite.all(config), withPostgresPush)
