/**
 * The contract test kit every plugin runs against its simulator over real HTTP on loopback: manifest valid,
 * `check` passing and failing properly, paging to the end, resuming from a cursor, idempotent pushes, and every
 * failure mode classified (retryable or permanent). Call {@link runContractTests} inside a vitest file.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Redacted, Result, Schema } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import * as AddressPolicy from "../AddressPolicy.ts"
import * as HttpClient from "../HttpClient.ts"
import * as Manifest from "../Manifest.ts"
import type { Cursor, Page } from "../Page.ts"
import * as Plugin from "../Plugin.ts"
import type { PluginError } from "../PluginError.ts"
import * as RecordType from "../RecordType.ts"
import * as SubmissionAcknowledgement from "../records/SubmissionAcknowledgement.ts"
import type { SimulatorAdapter } from "./SimulatorControl.ts"
import { type RunningSimulator, unreachableUrl } from "./SimulatorProcess.ts"

/**
 * Which credentials a configuration should carry.
 *
 * @category models
 * @since 0.1.0
 */
export type Credentials = "valid" | "invalid" | "forbidden"

/**
 * What the kit needs to know about a plugin and its simulator.
 *
 * @category models
 * @since 0.1.0
 */
export interface ContractSuite<Config> {
  readonly plugin: Plugin.Plugin<Config>
  readonly simulator: SimulatorAdapter
  /**
   * The configuration (as the host stores it, before decoding) for a base URL. `"forbidden"` is credentials the
   * system knows but that do not allow the stream or push (403); return `undefined` if the system has no such
   * thing. The page size must make `stream` span at least three pages.
   */
  readonly config: (baseUrl: string, credentials: Credentials) => unknown
  /** The stream to page through. */
  readonly stream: string
  /** A push kind, a payload the simulator accepts and one it (or the plugin) rejects. */
  readonly push: { readonly kind: string; readonly payload: unknown; readonly rejectedPayload: unknown }
  /** The HTTP client deadline used for the timeout case (default 400 ms). */
  readonly clientTimeoutMs?: number
}

/**
 * The outcome of running a plugin operation: the value or the plugin error.
 *
 * @category models
 * @since 0.1.0
 */
export type Outcome<A> = Result.Result<A, PluginError>

/** Tests talk to loopback only: any other destination fails (as Unreachable) without a request being sent. */
const loopbackOnlyFetch: typeof globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  const host = url.hostname.replace(/^\[|\]$/gu, "")
  return host === "localhost" || AddressPolicy.classify(host) === "loopback"
    ? globalThis.fetch(input, init)
    : Promise.reject(new Error(`the contract kit only talks to loopback, not ${url.host}`))
}

/**
 * Runs a plugin operation with a loopback-only HTTP client, returning the value or the typed plugin error (a
 * defect throws).
 *
 * @category running
 * @since 0.1.0
 */
export const runOperation = async <A>(
  operation: Effect.Effect<A, PluginError, HttpClient.HttpClient>,
  options: { readonly allowedHosts: ReadonlyArray<string>; readonly timeoutMs?: number }
): Promise<Outcome<A>> => {
  const client = HttpClient.makeHttpClient({
    allowedHosts: options.allowedHosts,
    allowLoopback: true,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: loopbackOnlyFetch
  })
  const exit = await Effect.runPromiseExit(Effect.provideService(operation, HttpClient.HttpClient, client))
  if (Exit.isSuccess(exit)) return Result.succeed(exit.value)
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some") return Result.fail(error.value)
  throw new Error(Cause.pretty(exit.cause))
}

const expectFailure = <A>(outcome: Outcome<A>, tag: PluginError["_tag"] | ReadonlyArray<PluginError["_tag"]>, retryable: boolean): PluginError => {
  const tags = typeof tag === "string" ? [tag] : tag
  if (Result.isSuccess(outcome)) throw new Error(`expected ${tags.join(" or ")}, but the operation succeeded`)
  expect(tags).toContain(outcome.failure._tag)
  expect(outcome.failure.retryable).toBe(retryable)
  return outcome.failure
}

const expectSuccess = <A>(outcome: Outcome<A>): A => {
  if (Result.isFailure(outcome)) throw new Error(`expected success, got ${outcome.failure._tag}: ${outcome.failure.message}`)
  return outcome.success
}

/**
 * Declares the contract tests for a plugin (a vitest `describe` block). The simulator is started once for the
 * block and stopped afterwards; faults are reset before each test.
 *
 * @category testing
 * @since 0.1.0
 */
export const runContractTests = <Config>(suite: ContractSuite<Config>): void => {
  const { plugin } = suite
  const manifest = plugin.manifest
  const streamInfo = Manifest.stream(manifest, suite.stream)
  const recordType = streamInfo === undefined ? undefined : RecordType.recordTypes[streamInfo.recordType]
  const isAcknowledgement = Schema.is(SubmissionAcknowledgement.SubmissionAcknowledgement)
  const isRecord = recordType === undefined ? () => false : Schema.is(recordType.schema)
  const keyOf = (record: unknown): string => recordType === undefined ? "" : (recordType.naturalKey as (r: unknown) => string)(record)

  let simulator: RunningSimulator
  let deadUrl: string

  const decoded = (baseUrl: string, credentials: Credentials): Config => {
    const input = suite.config(baseUrl, credentials)
    const exit = Effect.runSyncExit(Plugin.decodeConfig(plugin, input))
    if (Exit.isFailure(exit)) throw new Error(`the suite's ${credentials} configuration does not decode: ${Cause.pretty(exit.cause)}`)
    return exit.value
  }
  const run = <A>(
    baseUrl: string,
    operation: Effect.Effect<A, PluginError, HttpClient.HttpClient>,
    timeoutMs?: number
  ): Promise<Outcome<A>> =>
    runOperation(operation, {
      allowedHosts: Plugin.allowedHosts(manifest, [baseUrl]),
      ...(timeoutMs === undefined ? {} : { timeoutMs })
    })
  const pull = (cursor: Cursor, options: { readonly credentials?: Credentials; readonly timeoutMs?: number; readonly url?: string } = {}) => {
    const url = options.url ?? simulator.url
    return run(url, plugin.pull(decoded(url, options.credentials ?? "valid"), suite.stream, cursor), options.timeoutMs)
  }
  const push = (payload: unknown, key: string) =>
    run(simulator.url, plugin.push(decoded(simulator.url, "valid"), suite.push.kind, payload, key))
  const pullAll = async (from: Cursor): Promise<ReadonlyArray<Page>> => {
    const pages: Array<Page> = []
    let cursor = from
    for (let i = 0; i < 100_000; i++) {
      const page = expectSuccess(await pull(cursor))
      pages.push(page)
      if (page.done) return pages
      expect(page.nextCursor).not.toBe(cursor)
      cursor = page.nextCursor
    }
    throw new Error("the stream never reported done")
  }

  describe(`${manifest.id} ${manifest.version} honours the plugin contract on stream ${suite.stream}`, () => {
    beforeAll(async () => {
      simulator = await suite.simulator.start()
      deadUrl = await unreachableUrl()
    }, 30_000)
    afterAll(async () => {
      await simulator?.stop()
    })
    beforeEach(async () => {
      await suite.simulator.resetFaults(simulator)
    })

    it("has a valid manifest naming the stream and push kind under test", () => {
      expect(Result.isSuccess(Manifest.validate(manifest))).toBe(true)
      expect(streamInfo).toBeDefined()
      expect(Manifest.push(manifest, suite.push.kind)).toBeDefined()
    })

    it("decodes every setting the manifest marks secret to a Redacted value", () => {
      const config = decoded(simulator.url, "valid") as Record<string, unknown>
      const secrets = manifest.configuration.filter((f) => f.secret)
      for (const field of secrets) {
        if (config[field.name] !== undefined) expect(Redacted.isRedacted(config[field.name])).toBe(true)
      }
    })

    it("check passes with good credentials", async () => {
      expectSuccess(await run(simulator.url, plugin.check(decoded(simulator.url, "valid"))))
    })

    it("check fails as Unauthorized (permanent) with wrong credentials", async () => {
      expectFailure(await run(simulator.url, plugin.check(decoded(simulator.url, "invalid"))), "Unauthorized", false)
    })

    it("check fails as Unreachable (retryable) when nothing listens", async () => {
      expectFailure(await run(deadUrl, plugin.check(decoded(deadUrl, "valid"))), "Unreachable", true)
    })

    it("pages to the end: at least three pages, canonical records, unique natural keys", async () => {
      const pages = await pullAll(null)
      expect(pages.length).toBeGreaterThanOrEqual(3)
      const records = pages.flatMap((p) => p.records)
      expect(records.length).toBeGreaterThan(0)
      for (const record of records) expect(isRecord(record)).toBe(true)
      expect(new Set(records.map(keyOf)).size).toBe(records.length)
    }, 60_000)

    it("resuming from a cursor taken mid-way returns exactly the rest", async () => {
      const pages = await pullAll(null)
      const middle = Math.floor(pages.length / 2)
      const resumeFrom = pages[middle - 1]?.nextCursor ?? null
      const expected = pages.slice(middle).flatMap((p) => p.records.map(keyOf))
      const rest = await pullAll(resumeFrom)
      expect(rest.flatMap((p) => p.records.map(keyOf))).toEqual(expected)
    }, 60_000)

    it("the same push twice with one idempotency key makes one submission (one valid receipt)", async () => {
      const before = await suite.simulator.countSubmissions(simulator, suite.push.kind)
      const key = `contract-kit-${manifest.id}-once`
      const first = expectSuccess(await push(suite.push.payload, key))
      const second = expectSuccess(await push(suite.push.payload, key))
      expect(isAcknowledgement(first)).toBe(true)
      expect(first.idempotencyKey).toBe(key)
      expect(second.submissionId).toBe(first.submissionId)
      expect(await suite.simulator.countSubmissions(simulator, suite.push.kind)).toBe(before + 1)
      expectSuccess(await push(suite.push.payload, `contract-kit-${manifest.id}-other`))
      expect(await suite.simulator.countSubmissions(simulator, suite.push.kind)).toBe(before + 2)
    })

    it("a rejected payload is Rejected (permanent) and makes no submission", async () => {
      const before = await suite.simulator.countSubmissions(simulator, suite.push.kind)
      expectFailure(await push(suite.push.rejectedPayload, `contract-kit-${manifest.id}-rejected`), "Rejected", false)
      expect(await suite.simulator.countSubmissions(simulator, suite.push.kind)).toBe(before)
    })

    it("wrong credentials on pull are Unauthorized (permanent)", async () => {
      expectFailure(await pull(null, { credentials: "invalid" }), "Unauthorized", false)
    })

    it("credentials that do not allow the stream are Unauthorized (permanent, 403)", async () => {
      if (suite.config(simulator.url, "forbidden") === undefined) return
      const failure = expectFailure(await pull(null, { credentials: "forbidden" }), "Unauthorized", false)
      expect(failure._tag === "Unauthorized" && failure.status).toBe(403)
    })

    for (const status of [500, 503]) {
      it(`a ${status} is a ServerError (retryable), and the next try succeeds`, async () => {
        await suite.simulator.injectFault(simulator, { _tag: "ServerError", status })
        expectFailure(await pull(null), "ServerError", true)
        expectSuccess(await pull(null))
      })
    }

    it("a 429 is RateLimited (retryable) with the Retry-After in milliseconds", async () => {
      await suite.simulator.injectFault(simulator, { _tag: "RateLimited", retryAfterSeconds: 7 })
      const failure = expectFailure(await pull(null), "RateLimited", true)
      expect(failure._tag === "RateLimited" && failure.retryAfterMs).toBe(7000)
    })

    it("a push during a 503 is a ServerError (retryable) and makes no submission", async () => {
      const before = await suite.simulator.countSubmissions(simulator, suite.push.kind)
      await suite.simulator.injectFault(simulator, { _tag: "ServerError", status: 503 })
      expectFailure(await push(suite.push.payload, `contract-kit-${manifest.id}-during-503`), "ServerError", true)
      expect(await suite.simulator.countSubmissions(simulator, suite.push.kind)).toBe(before)
    })

    it("an answer slower than the client deadline is a Timeout (retryable)", async () => {
      const timeoutMs = suite.clientTimeoutMs ?? 400
      await suite.simulator.injectFault(simulator, { _tag: "Hang", ms: timeoutMs * 5 })
      expectFailure(await pull(null, { timeoutMs }), "Timeout", true)
    })

    it("a slow answer within the deadline still arrives whole", async () => {
      const clean = expectSuccess(await pull(null))
      await suite.simulator.injectFault(simulator, { _tag: "Latency", ms: 300 })
      const slow = expectSuccess(await pull(null))
      expect(slow.records.length).toBe(clean.records.length)
      expect(slow.nextCursor).toBe(clean.nextCursor)
    })

    it("a body cut off mid-way is retryable, never a short page", async () => {
      await suite.simulator.injectFault(simulator, { _tag: "Truncate" })
      const outcome = await pull(null)
      if (Result.isSuccess(outcome)) throw new Error("a truncated page was accepted")
      expect(outcome.failure.retryable).toBe(true)
    })

    it("malformed rows come back as rejections while the good rows of the page still arrive", async () => {
      const clean = expectSuccess(await pull(null))
      await suite.simulator.injectFault(simulator, { _tag: "MalformedRows" })
      const faulty = expectSuccess(await pull(null))
      expect(faulty.rejections.length).toBeGreaterThan(clean.rejections.length)
      expect(faulty.records.length + faulty.rejections.length).toBe(clean.records.length + clean.rejections.length)
      expect(faulty.records.length).toBeGreaterThan(0)
      for (const r of faulty.rejections) {
        expect(r.line).toBeGreaterThanOrEqual(1)
        expect(r.field).not.toBe("")
        expect(r.reason).not.toBe("")
        expect(r.raw).not.toBe("")
      }
      expect(faulty.nextCursor).toBe(clean.nextCursor)
    })
  })
}
