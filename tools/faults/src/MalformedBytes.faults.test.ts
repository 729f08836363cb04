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
const dataRows = 120

// The simulator serves this file byte for byte (`--council-raw-file`), in one page whatever the page size.
describe("a council file with a BOM, bytes that are not UTF-8, a formula in a text cell and a quote never closed", () => {
  const fx = FaultHub.fixture("badbytes")
  // Columns: Body Name,Service Area,Expenses Type,Invoice Payment Date,Transaction Number,Net Amount,Supplier Name
  const lines = readFileSync(manchesterFile, "utf8").split("\n").slice(0, dataRows + 1).map((l) => Buffer.from(l.replace(/\r$/u, ""), "utf8"))
  const withSupplier = (line: number, supplier: Buffer): void => {
    const fields = lines[line - 1]!.toString("utf8").split(",")
    lines[line - 1] = Buffer.concat([Buffer.from(`${fields.slice(0, 6).join(",")},`, "utf8"), supplier])
  }
  lines[0] = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines[0]!])
  withSupplier(8, Buffer.concat([Buffer.from("Caf", "utf8"), Buffer.from([0xff]), Buffer.from(" Ltd", "utf8")]))
  withSupplier(15, Buffer.from("=2+5", "utf8"))
  withSupplier(dataRows + 1, Buffer.from("\"Never closed", "utf8"))
  const file = join(fx.folder, "bad-bytes.csv")
  writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])))
  const badLines: Readonly<Record<number, RegExp>> = { 8: /not valid UTF-8/u, [dataRows + 1]: /Quote Not Closed/u }

  EffectTest.effect("good rows stored, the undecodable row and the unclosed quote quarantined with line and reason, one request, no retry", () =>
    Effect.gen(function*() {
      const hub = yield* FaultHub.start(fx, { simulatorArgs: ["--council-raw-file", `manchester=${file}`], record: true, pageSize: 50 })
      yield* Effect.gen(function*() {
        yield* FaultHub.requestPull("ingest")
        const job = yield* FaultHub.awaitFinished("ingest", 60_000)
        expect(job?.state, Processes.logOf(hub.workers[0]!).slice(-3000)).toBe("completed")
        expect(job?.attemptsMade).toBe(1)
        expect(job?.returnValue).toMatchObject({ accepted: dataRows, stored: dataRows - 2, quarantined: 2, done: true })
        // No retry storm: the one page (the whole file) was asked for once.
        yield* Effect.sleep("1 second")
        expect(FaultHub.dataRequests(hub.proxy).map((e) => e.status)).toEqual([200])
        expect(yield* FaultHub.unfinished).toBe(0)
      }).pipe(Effect.provide(FaultHub.queueLayer(hub.setup)))
      yield* FaultHub.stopWorkers(hub)

      const state = yield* FaultHub.storeState(fx.databaseUrl, fx.schema)
      expect(state.stored + state.quarantined.length).toBe(dataRows)
      expect(state.distinctKeys).toBe(state.stored)
      expect(state.quarantined.map((q) => q.line).sort((a, b) => a - b)).toEqual([8, dataRows + 1])
      for (const q of state.quarantined) {
        const reasons = q.reasons.map((r) => r.reason).join("; ")
        expect(reasons, `line ${q.line}`).toMatch(badLines[q.line]!)
      }
      // The BOM did not hide the header: the first data row is stored. The formula in a text cell is stored
      // neutralised (the profile marks formulas in text cells; formulas in amounts are quarantined elsewhere).
      const byLine = yield* FaultHub.storedByLine(fx.databaseUrl, fx.schema)
      expect(byLine.has(2)).toBe(true)
      expect(byLine.get(15)?.supplier).toBe("'=2+5")
      // Pence checksum: the good rows of the file, read independently with csv-parse.
      const records = parse(readFileSync(file), { bom: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, info: true }) as unknown as Array<{
        record: Array<string>
        info: { lines: number }
      }>
      const good = records.slice(1).filter((r) => badLines[r.info.lines] === undefined)
      expect(good).toHaveLength(dataRows - 2)
      expect(state.pence).toBe(good.reduce((sum, r) => sum + (Money.parsePounds(r.record[5] ?? "") ?? Number.NaN), 0))
      expect(state.openOutbox).toBe(0)
      fx.pass()
    }), 120_000)
})
