import { EffectTest } from "@hub/testing"
import { Effect } from "effect"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const manchesterFile = join(Processes.repositoryRoot, "tools/simulators/council-finance/data/spend/manchester-2019-01.csv")
const dataRows = 400

/** The header and the first `dataRows` rows of the real Manchester file, written into the fixture's folder. */
const writeFile = (folder: string): string => {
  const lines = readFileSync(manchesterFile, "utf8").split("\n").slice(0, dataRows + 1)
  const file = join(folder, "whole-file.csv")
  writeFileSync(file, `${lines.join("\n")}\n`)
  return file
}

/**
 * Runs one pull of a file the simulator serves whole at cursor 0 (`--council-raw-file`, whatever the page size),
 * with the worker's caps set through `extra`, and checks what every refused page must leave behind: the job
 * failed once with `reason` (no retry), one data request, queues drained, nothing stored, the cursor where it
 * was, and one quarantine row naming the cap. Returns that row.
 */
const refusedRun = (fx: FaultHub.Fixture, file: string, extra: Readonly<Record<string, string>>, tag: string, reason: RegExp) =>
  Effect.gen(function*() {
    const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--council-raw-file", `manchester=${file}`], record: true, pageSize: 50, extra })
    yield* Effect.gen(function*() {
      yield* FaultHub.requestPull("ingest")
      const job = yield* FaultHub.awaitFinished("ingest", 60_000)
      expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("failed")
      expect(job?.failedReason?.startsWith(`${tag}: `), job?.failedReason).toBe(true)
      expect(job?.failedReason).toMatch(reason)
      // Not retryable: one attempt although the worker gives its jobs HUB_JOB_ATTEMPTS (5) with a 200 ms backoff.
      expect(job?.attemptsMade).toBe(1)
      // No retry storm: the whole file was asked for once, and nothing after it.
      yield* Effect.sleep("2 seconds")
      const requests = FaultHub.dataRequests(hub.proxy)
      expect(requests.map((e) => new URL(e.path, "http://x").searchParams.get("cursor"))).toEqual(["0"])
      expect(yield* FaultHub.unfinished).toBe(0)
      expect((yield* FaultHub.job("ingest"))?.attemptsMade).toBe(1)
    }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
    FaultHub.expectWorkersAlive(hub)
    expect(Processes.logOf(hub.workers[0]!)).toContain("refused a page over a cap")
    yield* FaultHub.stopWorkers(hub)

    const state = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
    expect(state.stored, "nothing of the refused page stored").toBe(0)
    expect(state.cursor, "the cursor did not move past the refused page").toBeNull()
    expect(state.openOutbox).toBe(0)
    expect(state.quarantined, "one quarantine row for the whole page").toHaveLength(1)
    const held = state.quarantined[0]!
    expect(held.reasons).toHaveLength(1)
    expect(held.reasons[0]!.reason).toMatch(reason)
    expect(held.reasons[0]!.reason).toContain("refused whole")
    return held
  })

describe("a council file over the row cap, served whole at cursor 0", () => {
  const fx = FaultHub.fixture("rowcap")
  const file = writeFile(fx.folder)

  EffectTest.effect("refused whole: nothing stored, one quarantine row at the file's first line naming the cap, the job failed once, one request", () =>
    Effect.gen(function*() {
      const held = yield* refusedRun(fx, file, { HUB_MAX_PAGE_ROWS: "300" }, "PageTooLarge", /over the row cap from cursor null: 400 rows, the limit is 300 rows/u)
      // The file's first data row is on line 2 (the header is line 1); raw keeps a bounded prefix of the page.
      expect(held.line).toBe(2)
      expect(held.raw.length).toBeGreaterThan(0)
      expect(held.raw.length).toBeLessThanOrEqual(1_000)
      const firstTransaction = readFileSync(file, "utf8").split("\n")[1]!.split(",")[4]!
      expect(held.raw).toContain(firstTransaction)
      fx.pass()
    }), 300_000)
})

describe("a council file over the size cap, served whole at cursor 0", () => {
  const fx = FaultHub.fixture("sizecap")
  const file = writeFile(fx.folder)
  const fileBytes = statSync(file).size
  const limit = 16_384

  EffectTest.effect("the read stops at the cap: nothing stored, one quarantine row at line 0 naming the cap and the URL, the job failed once, one request", () =>
    Effect.gen(function*() {
      expect(fileBytes, "the file is well over the cap").toBeGreaterThan(2 * limit)
      const held = yield* refusedRun(fx, file, { HUB_MAX_RESPONSE_BYTES: String(limit) }, "ResponseTooLarge", /size cap: \d+ bytes seen, the limit is 16384 bytes/u)
      const seen = Number(/size cap: (\d+) bytes seen/u.exec(held.reasons[0]!.reason)?.[1])
      // Refused on the announced length (the whole file) or as soon as the bytes read passed the limit.
      expect(seen).toBeGreaterThan(limit)
      expect(seen).toBeLessThanOrEqual(fileBytes)
      expect(held.line).toBe(0)
      expect(held.raw).toMatch(/\/v1\/councils\/manchester\/datasets\/spend\?cursor=0&limit=50$/u)
      fx.pass()
    }), 300_000)
})
