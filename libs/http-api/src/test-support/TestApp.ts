/**
 * Builds the gateway for tests: the bundled reference data (read once per process), keys held in memory, a
 * fixed clock for "today", a controllable millisecond clock for rate limits and the auth cache, and the pino
 * output captured in memory so tests can read every log line.
 *
 * @since 0.1.0
 */
import { CalendarDate } from "@hub/domain"
import { type AuditLog, type BudgetRepo, type DelegationRepo, type IdempotencyRepo, type OutboxRepo, type RecordRepo, Store } from "@hub/store"
import type { Queue } from "bullmq"
import { Clock, Effect, Layer, ManagedRuntime } from "effect"
import type { SqlClient } from "effect/sql"
import { Writable } from "node:stream"
import { pino } from "pino"
import { afterAll } from "vitest"
import { type AppOptions, createApp, type Limits } from "../App.ts"
import { type ApiKey, ApiKeys, type KeyWithToken, type Scope, scopes } from "../ports/ApiKeys.ts"
import { type Installed, Plugins } from "../ports/Plugins.ts"
import { type Check, Readiness } from "../ports/Readiness.ts"
import { ReferenceData } from "../ports/ReferenceData.ts"
import { type PushRequest, SubmissionQueue } from "../ports/SubmissionQueue.ts"
import { SyncJobs } from "../ports/SyncJobs.ts"

/** The day the tests' "today" falls on (a day when London's 2013 CCGs were all operational). */
export const today = CalendarDate.unsafeMake("2015-06-01")

/** A clock that says it is `today` at noon UTC; everything else (sleeping, monotonic time) is the real clock's. */
const fixedClock = (): Clock.Clock => {
  const real = Clock.Clock.defaultValue()
  const millis = CalendarDate.toEpochDay(today) * 86_400_000 + 12 * 3_600_000
  return {
    currentTimeMillisUnsafe: () => millis,
    currentTimeMillis: Effect.succeed(millis),
    currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
    currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: real.monotonicTimeNanos,
    sleep: (duration) => real.sleep(duration)
  }
}

/** Tokens of the test keys, one per scope (`read`, `write`, `ops`, `admin`), plus a revoked and a scopeless key. */
export const tokens = {
  read: "test-token-read-0123456789",
  write: "test-token-write-0123456789",
  ops: "test-token-ops-0123456789",
  admin: "test-token-admin-0123456789",
  none: "test-token-none-0123456789",
  revoked: "test-token-revoked-0123456789"
} as const

const key = (id: string, keyScopes: ReadonlyArray<Scope>, revoked = false): ApiKey => ({ id, name: `${id} key`, scopes: keyScopes, revoked })

/** The keys behind `tokens`. */
export const testKeys: ReadonlyArray<KeyWithToken> = [
  ...scopes.map((scope) => ({ token: tokens[scope], key: key(`key-${scope}`, [scope]) })),
  { token: tokens.none, key: key("key-none", []) },
  { token: tokens.revoked, key: key("key-revoked", scopes, true) }
]

/** A token for every scope but the one named (and never admin, which implies them all). */
export const tokenWithout = (scope: Scope): string => (scope === "read" ? tokens.ops : tokens.read)

/** A stream that keeps every pino line in memory. */
export const logCapture = () => {
  const lines: Array<string> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.length > 0))
      done()
    }
  })
  return { stream, lines, records: (): Array<Record<string, unknown>> => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}


/**
 * @since 0.1.0
 */
export interface TestAppOptions {
  readonly limits?: Partial<Limits>
  readonly checks?: ReadonlyArray<Check>
  readonly keys?: ReadonlyArray<KeyWithToken>
  readonly apiKeys?: Layer.Layer<ApiKeys, unknown>
  readonly readiness?: Layer.Layer<Readiness, unknown>
  readonly now?: AppOptions["now"]
  /** The store behind the read routes (default: a fresh, migrated in-memory database, built on first use). */
  readonly store?: Layer.Layer<
    | AuditLog.AuditLog | BudgetRepo.BudgetRepo | SqlClient.SqlClient | RecordRepo.RecordRepo | OutboxRepo.OutboxRepo | IdempotencyRepo.IdempotencyRepo
    | DelegationRepo.DelegationRepo,
    unknown
  >
  readonly dashboardQueues?: ReadonlyArray<Queue>
  readonly metrics?: AppOptions["metrics"]
  /** The installed plugins (default: none). */
  readonly plugins?: ReadonlyArray<Installed>
  /** The pull jobs (default: an empty in-memory queue). */
  readonly syncJobs?: Layer.Layer<SyncJobs, unknown>
  /** The push queue of submissions (default: an in-memory queue holding its jobs in `pushJobs`). */
  readonly submissionQueue?: Layer.Layer<SubmissionQueue, unknown>
  readonly pushJobs?: Map<string, PushRequest>
}

/**
 * A gateway over test layers, its captured log, and its runtime (disposed after the file's tests).
 *
 * @since 0.1.0
 */
export const makeTestApp = (options: TestAppOptions = {}) => {
  const layer = Layer.mergeAll(
    ReferenceData.layerBundled,
    options.apiKeys ?? ApiKeys.layerInMemory(options.keys ?? testKeys),
    options.readiness ?? Readiness.layer(options.checks ?? [], { timeoutMs: 200 }),
    options.store ?? Store.layerTest,
    Plugins.layer(options.plugins ?? []),
    options.syncJobs ?? SyncJobs.layerInMemory(),
    options.submissionQueue ?? SubmissionQueue.layerInMemory(options.pushJobs),
    Layer.succeed(Clock.Clock, fixedClock())
  )
  const runtime = ManagedRuntime.make(layer)
  afterAll(() => runtime.dispose())
  const log = logCapture()
  const logger = pino({ level: "info" }, log.stream)
  const app = createApp({
    runtime,
    logger,
    // Generous by default so walks over many pages are not throttled; the rate-limit tests set their own.
    limits: { rateCapacity: 100_000, ...options.limits },
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.dashboardQueues === undefined ? {} : { dashboardQueues: options.dashboardQueues }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics })
  })
  return { app, log, runtime }
}

/** Headers carrying a bearer token. */
export const bearer = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  ...extra
})
