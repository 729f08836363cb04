import { fileURLToPath } from "node:url"
import { readFileSync } from "node:fs"
import { Effect, Result } from "effect"
import { type Page, Plugin } from "@hub/plugin-sdk"
import { ContractKit, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as CouncilCsv from "./CouncilCsv.ts"
import { findColumn } from "./CouncilProfile.ts"
import * as CouncilSpendCsv from "./CouncilSpendCsv.ts"
import { plugin } from "./CouncilFinancePlugin.ts"

const fixture = fileURLToPath(new URL("./fixtures/borsetshire-2019-02.csv", import.meta.url))
const simulatorEntry = fileURLToPath(new URL("../../../tools/simulators/council-finance/src/main.ts", import.meta.url))

/** A fourth council, added as configuration only: this JSON is all an operator writes (see README.md). */
const borsetshire = {
  id: "borsetshire",
  name: "Borsetshire County Council",
  dateFormats: ["dd/mm/yyyy", "iso"],
  formulaCells: "reject",
  spend: {
    transactionNumber: { headings: ["Ref", "Reference"] },
    paymentDate: { headings: [], patterns: ["^date"] },
    amount: { headings: ["Amount (£)", "Amount"] },
    supplier: { headings: ["Payee"] },
    service: { headings: ["Cost Centre Desc"] },
    expenseType: { headings: ["Account Desc"] },
    category: { headings: ["Dept"] },
    description: { headings: ["Notes"] }
  }
}

const configFor = (baseUrl: string) => ({ baseUrl, apiToken: "council-finance-demo", council: "borsetshire", profile: borsetshire, pageSize: 4 })

describe("column matching", () => {
  it("matches headings ignoring case, spaces and a BOM, then patterns", () => {
    const headings = ["\uFEFFBody  Name ", "Invoice Payment Date", "Transaction No."]
    expect(findColumn(headings, { headings: ["body name"] })).toBe(0)
    expect(findColumn(headings, { headings: ["Payment Date"], patterns: ["date$"] })).toBe(1)
    expect(findColumn(headings, { headings: ["Ref"], patterns: ["^trans"] })).toBe(2)
    expect(findColumn(headings, { headings: ["Supplier"] })).toBeUndefined()
  })
})

describe("a fourth council is configuration only", () => {
  it("its profile decodes as part of the plugin's configuration", () => {
    const decoded = Effect.runSync(Effect.result(Plugin.decodeConfig(plugin, configFor("http://127.0.0.1:1"))))
    expect(Result.isSuccess(decoded)).toBe(true)
  })

  it("a profile whose id is not the configured council is refused, naming both", () => {
    const decoded = Effect.runSync(Effect.result(Plugin.decodeConfig(plugin, { ...configFor("http://127.0.0.1:1"), council: "ambridge" })))
    if (Result.isSuccess(decoded)) throw new Error("expected BadConfiguration")
    expect(decoded.failure.message).toContain("ambridge")
  })

  it("its file maps through its profile without any code", () => {
    const decoded = Effect.runSync(Plugin.decodeConfig(plugin, configFor("http://127.0.0.1:1")))
    const profile = decoded.profile
    if (profile === undefined) throw new Error("no profile")
    const mapped = CouncilSpendCsv.mapPage(CouncilCsv.parsePage(readFileSync(fixture, "utf8")), profile, "spend-2019-02")
    if (Result.isFailure(mapped)) throw new Error(mapped.failure.missing.join())
    expect(mapped.success.records.map((r) => [r.transactionNumber, r.amount, r.paymentDate])).toEqual([
      ["BOR-0001", 1234567, "2019-02-05"],
      ["BOR-0002", -98000, "2019-02-05"],
      ["BOR-0003", 64000, "2019-02-07"],
      ["BOR-0006", -200000, "2019-02-14"]
    ])
    expect(mapped.success.records[2]).toMatchObject({ supplier: "Grundy, Eddie & Sons", description: "minibus hire,\r\nFebruary", category: "Adults" })
    expect(mapped.success.rejections.map((r) => [r.line, r.field])).toEqual([
      [6, "paymentDate"],
      [7, "supplier"]
    ])
  })

  describe("pulled over HTTP from the simulator serving its file", () => {
    let simulator: SimulatorProcess.RunningSimulator
    beforeAll(async () => {
      simulator = await SimulatorProcess.spawnSimulator({ entry: simulatorEntry, args: ["--council-file", `borsetshire=${fixture}`] })
    })
    afterAll(async () => {
      await simulator?.stop()
    })

    it("pages to the end with the same records and rejections, lines as in the file", async () => {
      const config = Effect.runSync(Plugin.decodeConfig(plugin, configFor(simulator.url)))
      const allowedHosts = Plugin.allowedHosts(plugin.manifest, [simulator.url])
      const keys: Array<string> = []
      const lines: Array<number> = []
      let cursor: string | null = null
      for (let i = 0; i < 10; i++) {
        const outcome: ContractKit.Outcome<Page.Page> = await ContractKit.runOperation(plugin.pull(config, "spend", cursor), { allowedHosts })
        if (Result.isFailure(outcome)) throw new Error(outcome.failure.message)
        keys.push(...outcome.success.records.map((r) => (r as { transactionNumber: string }).transactionNumber))
        lines.push(...outcome.success.rejections.map((r) => r.line))
        if (outcome.success.done) break
        cursor = outcome.success.nextCursor
      }
      expect(keys).toEqual(["BOR-0001", "BOR-0002", "BOR-0003", "BOR-0006"])
      expect(lines).toEqual([6, 7])
    })
  })
})
