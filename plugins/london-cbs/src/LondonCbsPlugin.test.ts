import { fileURLToPath } from "node:url"
import { type Contract, type ContractActivityLine, HttpClient, type Page, Plugin } from "@hub/plugin-sdk"
import { ContractKit, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { Effect, Result } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { plugin } from "./LondonCbsPlugin.ts"

const entry = fileURLToPath(new URL("../../../tools/simulators/london-cbs/src/main.ts", import.meta.url))

let simulator: SimulatorProcess.RunningSimulator
beforeAll(async () => {
  simulator = await SimulatorProcess.spawnSimulator({ entry })
}, 30_000)
afterAll(async () => {
  await simulator?.stop()
})
beforeEach(async () => {
  await fetch(`${simulator.url}/_sim/reset`, { method: "POST" })
})

const config = () => Effect.runSync(Plugin.decodeConfig(plugin, { baseUrl: simulator.url, apiKey: "cbs-dev-key", pageSize: 1000, financialYear: "2012/13" }))
const pull = async (cursor: string | null, stream = "activity"): Promise<Page.Page> => {
  const outcome = await ContractKit.runOperation(plugin.pull(config(), stream, cursor), {
    allowedHosts: Plugin.allowedHosts(plugin.manifest, [simulator.url])
  })
  if (Result.isFailure(outcome)) throw new Error(`${outcome.failure._tag}: ${outcome.failure.message}`)
  return outcome.success
}
const admin = (path: string, body: unknown) =>
  fetch(`${simulator.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

it("a duplicated row on a page is a rejection, so the page still accounts for every row", async () => {
  const clean = await pull(null)
  await admin("/_sim/faults", { duplicateRows: { count: 1 } })
  const faulty = await pull(null)
  expect(faulty.records).toEqual(clean.records)
  expect(faulty.rejections.map((r) => [r.line, r.field])).toEqual([[2, "lineId"]])
}, 30_000)

it("after the end of the stream, the last cursor brings back only lines the CBS revised since", async () => {
  let cursor: string | null = null
  const seen = new Map<string, ContractActivityLine.ContractActivityLine>()
  for (let i = 0; i < 100; i++) {
    const page: Page.Page = await pull(cursor)
    for (const r of page.records as ReadonlyArray<ContractActivityLine.ContractActivityLine>) seen.set(`${r.contractId}|${r.month}|${r.pointOfDelivery}|${r.specialty}`, r)
    cursor = page.nextCursor
    if (page.done) break
  }
  expect((await pull(cursor)).records).toEqual([])
  const revised = (await (await admin("/_sim/activity/revisions", { count: 200 })).json()) as { revised: ReadonlyArray<string> }
  const changes = await pull(cursor)
  const expected = revised.revised.filter((id) => id.startsWith("LCBS-A-2012-")).length
  expect(changes.records.length).toBe(expected)
  expect(changes.records.length).toBeGreaterThan(0)
  for (const r of changes.records as ReadonlyArray<ContractActivityLine.ContractActivityLine>) {
    expect(seen.has(`${r.contractId}|${r.month}|${r.pointOfDelivery}|${r.specialty}`)).toBe(true)
  }
}, 60_000)

it("a duplicated contract on a page is a rejection naming contractId, and the good contracts still arrive", async () => {
  const clean = await pull(null, "contracts")
  await admin("/_sim/faults", { duplicateRows: { count: 1 } })
  const faulty = await pull(null, "contracts")
  expect(faulty.records).toEqual(clean.records)
  expect(faulty.rejections.map((r) => [r.line, r.field])).toEqual([[2, "contractId"]])
}, 30_000)

it("the contracts stream carries every year's contracts even with a year configured for activity", async () => {
  const years = new Set<string>()
  let cursor: string | null = null
  for (let i = 0; i < 100; i++) {
    const page: Page.Page = await pull(cursor, "contracts")
    for (const c of page.records as ReadonlyArray<Contract.Contract>) years.add(c.financialYear)
    cursor = page.nextCursor
    if (page.done) break
  }
  expect([...years].sort()).toEqual(["2011/12", "2012/13", "2013/14"])
}, 30_000)

describe("the CBS endpoint each stream reads", () => {
  /** A client that answers every request with an empty page and remembers the URLs asked for. */
  const recording = () => {
    const urls: Array<string> = []
    const client: HttpClient.HttpClientShape = {
      request: (request) => {
        urls.push(request.url)
        return Effect.succeed({ url: request.url, status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ data: [], nextCursor: "next", hasMore: false }) })
      }
    }
    return { urls, client }
  }
  const settings = Effect.runSync(Plugin.decodeConfig(plugin, { baseUrl: "https://api.londoncbs.nhs.uk/", apiKey: "k", pageSize: 250, financialYear: "2012/13" }))

  it("contracts come from /v1/contracts without the activity-only year filter; activity keeps it", () => {
    const { urls, client } = recording()
    for (const [stream, cursor] of [["contracts", null], ["contracts", "c1"], ["activity", null]] as const) {
      Effect.runSync(Effect.provideService(plugin.pull(settings, stream, cursor), HttpClient.HttpClient, client))
    }
    expect(urls).toEqual([
      "https://api.londoncbs.nhs.uk/v1/contracts?limit=250",
      "https://api.londoncbs.nhs.uk/v1/contracts?limit=250&cursor=c1",
      "https://api.londoncbs.nhs.uk/v1/activity?limit=250&financialYear=2012%2F13"
    ])
  })

  it("a stream the manifest does not declare is BadConfiguration, and nothing is requested", () => {
    const { urls, client } = recording()
    const exit = Effect.runSyncExit(Effect.provideService(plugin.pull(settings, "invoices", null), HttpClient.HttpClient, client))
    expect(String(exit)).toMatch(/BadConfiguration/u)
    expect(urls).toEqual([])
  })
})
