import { Money } from "@hub/domain"
import { EffectTest } from "@hub/testing"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect } from "vitest"
import * as FaultHub from "./support/FaultHub.ts"
import * as Processes from "./support/Processes.ts"

const manchesterFile = join(Processes.repositoryRoot, "tools/simulators/council-finance/data/spend/manchester-2019-01.csv")

describe("malformed council file end to end", () => {
  const fx = FaultHub.fixture("malformed")
  const lines = readFileSync(manchesterFile, "utf8").split("\n").slice(0, 201).map((l) => Buffer.from(l, "utf8"))
  const setField = (line: number, column: number, value: string) => {
    const fields = lines[line - 1]!.toString("utf8").split(",")
    fields[column] = value
    lines[line - 1] = Buffer.from(fields.join(","), "utf8")
  }
  // Columns: Body Name,Service Area,Expenses Type,Invoice Payment Date,Transaction Number,Net Amount,Supplier Name
  setField(5, 3, "2019-02-31")
  setField(10, 5, "=1+1")
  setField(20, 5, "99999999999999999999.99")
  setField(30, 5, "12.345")
  lines[40 - 1] = Buffer.from(`${lines[40 - 1]!.toString("utf8")},extra`, "utf8")
  // A row repeated on the next line: the same transaction number, its own line (both stored, keys stay unique).
  lines[61 - 1] = lines[60 - 1]!
  const file = join(fx.folder, "faulty.csv")
  writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])))

  /** The file's data rows by file line (header on line 1), read independently with csv-parse. */
  const fileRows = (): ReadonlyMap<number, ReadonlyArray<string>> => {
    // csv-parse's sync typings do not follow the `info` option: the records are `{ record, info }`.
    const records = parse(readFileSync(file), { relax_column_count: true, info: true }) as unknown as Array<{ record: Array<string>; info: { lines: number } }>
    return new Map(records.slice(1).map((r) => [r.info.lines, r.record]))
  }
  const badLines: Readonly<Record<number, string>> = { 5: "paymentDate", 10: "amount", 20: "amount", 30: "amount", 40: "*" }

  EffectTest.effect("good rows stored, each bad row quarantined with its line and reason, the job succeeds once, no retries", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--council-file", `manchester=${file}`], record: true, pageSize: 50 })
      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const job = yield* FaultHub.awaitFinished("ingest", 60_000)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("completed")
        expect(job?.attemptsMade).toBe(1)
        expect(job?.returnValue).toMatchObject({ accepted: 200, stored: 195, quarantined: 5, done: true })
        // No retry storm: each of the four pages was asked for once, and answered.
        yield* Effect.sleep("1 second")
        const pages = FaultHub.dataRequests(hub.proxy)
        expect(pages.map((e) => `${e.status} ${new URL(e.path, "http://x").searchParams.get("cursor")}`)).toEqual(["200 0", "200 50", "200 100", "200 150"])
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
      yield* FaultHub.stopWorkers(hub)

      const source = fileRows()
      const state = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
      expect(source.size).toBe(200)
      expect(state.stored + state.quarantined.length).toBe(source.size)
      expect(state.distinctKeys).toBe(state.stored)
      expect(Object.fromEntries(state.quarantined.map((q) => [q.line, q.reasons.map((r) => r.field).join(",")]))).toEqual(badLines)
      for (const q of state.quarantined) {
        expect(q.reasons.every((r) => r.reason.length > 0), `line ${q.line} has a reason`).toBe(true)
        expect(q.raw, `line ${q.line} keeps its raw text`).toBe(lines[q.line - 1]!.toString("utf8"))
      }
      const goodPence = [...source].filter(([line]) => badLines[line] === undefined).reduce((sum, [, row]) => sum + (Money.parsePounds(row[5] ?? "") ?? Number.NaN), 0)
      // Lines 60 and 61 (the repeated row) are both among the good rows: both stored, both in the total.
      expect(state.pence).toBe(goodPence)
      expect(state.openOutbox).toBe(0)
      fx.pass()
    }), 120_000)
})
