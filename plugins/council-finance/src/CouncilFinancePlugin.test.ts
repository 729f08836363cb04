import { fileURLToPath } from "node:url"
import { BudgetLine, HttpClient, type Page, Plugin, type PluginError, PooledFundStatement } from "@hub/plugin-sdk"
import { ContractKit, SimulatorControl, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { Effect, Result, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { plugin } from "./CouncilFinancePlugin.ts"

const entry = fileURLToPath(new URL("../../../tools/simulators/council-finance/src/main.ts", import.meta.url))
const control = SimulatorControl.simulatorKitControl()

const decode = (input: unknown) => Effect.runSync(Plugin.decodeConfig(plugin, input))

describe("council-finance plugin against the simulator", () => {
  let simulator: SimulatorProcess.RunningSimulator
  const configFor = (council: string, pageSize = 50) =>
    decode({ baseUrl: simulator.url, apiToken: "council-finance-demo", council, pageSize })
  const run = <A>(effect: Effect.Effect<A, PluginError.PluginError, HttpClient.HttpClient>) =>
    ContractKit.runOperation(effect, { allowedHosts: Plugin.allowedHosts(plugin.manifest, [simulator.url]) })
  const pullAll = async (council: string, stream: string) => {
    const records: Array<unknown> = []
    let rejections = 0
    let cursor: string | null = null
    for (let i = 0; i < 1000; i++) {
      const outcome: ContractKit.Outcome<Page.Page> = await run(plugin.pull(configFor(council), stream, cursor))
      if (Result.isFailure(outcome)) throw new Error(outcome.failure.message)
      records.push(...outcome.success.records)
      rejections += outcome.success.rejections.length
      if (outcome.success.done) return { records, rejections }
      cursor = outcome.success.nextCursor
    }
    throw new Error("never done")
  }
  const totalRows = async (council: string, dataset: string): Promise<number> => {
    const res = await fetch(`${simulator.url}/v1/councils/${council}`, { headers: { authorization: "Bearer council-finance-demo" } })
    const body = (await res.json()) as { datasets: Record<string, { rows: number }> }
    return body.datasets[dataset]?.rows ?? -1
  }

  beforeAll(async () => {
    simulator = await SimulatorProcess.spawnSimulator({ entry })
  })
  afterAll(async () => {
    await simulator?.stop()
  })

  it.each(["manchester", "gla", "harrogate"])("pulls %s's whole budget book as budget lines", async (council) => {
    const { records, rejections } = await pullAll(council, "budget")
    expect(rejections).toBe(0)
    expect(records).toHaveLength(await totalRows(council, "budget"))
    const isLine = Schema.is(BudgetLine.BudgetLine)
    for (const r of records) expect(isLine(r)).toBe(true)
    expect(new Set(records.map((r) => BudgetLine.naturalKey(r as BudgetLine.BudgetLine))).size).toBe(records.length)
  })

  it("pulls a pooled-fund statement: twelve months, two partners each", async () => {
    const { records, rejections } = await pullAll("manchester", "pooled-fund")
    expect(rejections).toBe(0)
    const lines = records as Array<PooledFundStatement.PooledFundStatementLine>
    expect(lines).toHaveLength(24)
    expect(new Set(lines.map((l) => l.month)).size).toBe(12)
    expect(lines.filter((l) => l.partnerKind === "nhs").map((l) => l.partner)).toEqual(new Array(12).fill("14L"))
  })

  it("a duplicated row still gives a page; the repeat has the same natural key", async () => {
    await control.injectFault(simulator, { _tag: "DuplicateRows" })
    const outcome = await run(plugin.pull(configFor("gla"), "spend", null))
    if (Result.isFailure(outcome)) throw new Error(outcome.failure.message)
    expect(outcome.success.records).toHaveLength(51)
    const keys = outcome.success.records.map((r) => (r as { transactionNumber: string }).transactionNumber)
    expect(keys[0]).toBe(keys[1])
  })

  it("a payload that breaks the contribution schema is Rejected before anything is sent", async () => {
    const before = await control.countSubmissions(simulator, "pooled-contributions")
    const outcome = await run(
      plugin.push(configFor("manchester"), "pooled-contributions", { fundId: "MAN-BCF", financialYear: "2018/20", month: 13, partnerCode: "14L", amount: "1.234", version: 1 }, "bad-1")
    )
    if (Result.isSuccess(outcome)) throw new Error("expected Rejected")
    expect(outcome.failure._tag).toBe("Rejected")
    expect(outcome.failure.message).toMatch(/financialYear.*month.*amount|amount|month/u)
    expect(await control.countSubmissions(simulator, "pooled-contributions")).toBe(before)
  })

  it("an unknown fund is Rejected (404 on a push)", async () => {
    const outcome = await run(
      plugin.push(configFor("manchester"), "pooled-contributions", { fundId: "NOPE", financialYear: "2018/19", month: 1, partnerCode: "14L", amount: "1.00", version: 1 }, "nope-1")
    )
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("Rejected")
  })

  it("an unknown stream, a council without a profile, and a bad cursor are BadConfiguration", async () => {
    const unknownStream = await run(plugin.pull(configFor("manchester"), "ledger", null))
    expect(Result.isFailure(unknownStream) && unknownStream.failure._tag).toBe("BadConfiguration")
    const noProfile = await run(plugin.pull(configFor("atlantis"), "spend", null))
    expect(Result.isFailure(noProfile) && noProfile.failure.message).toContain("no profile for council")
    const badCursor = await run(plugin.pull(configFor("manchester"), "spend", "abc"))
    expect(Result.isFailure(badCursor) && badCursor.failure._tag).toBe("BadConfiguration")
  })
})

describe("council-finance plugin against a system that misbehaves", () => {
  const stub = (response: Partial<HttpClient.HttpResponse>) =>
    Effect.provideService(HttpClient.HttpClient, {
      request: (request) => Effect.succeed({ url: request.url, status: 200, headers: {}, body: "", ...response })
    })
  const config = decode({ baseUrl: "https://finance.example.gov.uk", apiToken: "t", council: "manchester" })
  const headers = { "x-next-cursor": "2", "x-row-count": "2", "x-first-line": "2", "x-done": "true", "x-source": "spend-x" }
  const body = "Invoice Payment Date,Transaction Number,Net Amount,Supplier Name\n2019-01-02,A,1.00,X\n"

  it("a page holding fewer records than its X-Row-Count is a retryable ServerError, never a short page", async () => {
    const exit = await Effect.runPromise(Effect.result(plugin.pull(config, "spend", null).pipe(stub({ headers, body }))))
    if (Result.isSuccess(exit)) throw new Error("a short page was accepted")
    expect(exit.failure._tag).toBe("ServerError")
    expect(exit.failure.retryable).toBe(true)
  })

  it("a page without the paging headers is a ServerError naming the header", async () => {
    const exit = await Effect.runPromise(Effect.result(plugin.pull(config, "spend", null).pipe(stub({ body }))))
    expect(Result.isFailure(exit) && exit.failure.message).toMatch(/the page has no x-(source|next-cursor) header/u)
  })

  it("a file lacking a column the profile needs is BadConfiguration naming the column and the headings", async () => {
    const exit = await Effect.runPromise(
      Effect.result(plugin.pull(config, "spend", null).pipe(stub({ headers: { ...headers, "x-row-count": "1" }, body: "Date,Supplier\n2019-01-01,X\n" })))
    )
    if (Result.isSuccess(exit)) throw new Error("expected BadConfiguration")
    expect(exit.failure._tag).toBe("BadConfiguration")
    expect(exit.failure.message).toContain("amount")
    expect(exit.failure.message).toContain("Date | Supplier")
  })

  it("cursors carry the extract: a replaced extract is read from its start, not from the old row number", async () => {
    const asked: Array<string> = []
    const replaced = Effect.provideService(HttpClient.HttpClient, {
      request: (request) => {
        asked.push(request.url.replace(/^.*\?/u, ""))
        const row = request.url.includes("cursor=0&") ? "0" : "500"
        return Effect.succeed({ url: request.url, status: 200, headers: { ...headers, "x-source": "spend-2019-02", "x-row-count": "1", "x-cursor": row }, body })
      }
    })
    const exit = await Effect.runPromise(Effect.result(plugin.pull(config, "spend", "spend-2019-01#500").pipe(replaced)))
    if (Result.isFailure(exit)) throw new Error(exit.failure.message)
    expect(asked).toEqual(["cursor=500&limit=1000", "cursor=0&limit=1000"])
    expect(exit.success.nextCursor).toBe("spend-2019-02#2")
    const same = await Effect.runPromise(Effect.result(plugin.pull(config, "spend", "spend-2019-02#500").pipe(replaced)))
    expect(Result.isSuccess(same)).toBe(true)
    expect(asked).toHaveLength(3)
  })

  it("the bearer token goes in the Authorization header and nowhere else", async () => {
    const seen: Array<HttpClient.HttpRequest> = []
    const capture = Effect.provideService(HttpClient.HttpClient, {
      request: (request) => {
        seen.push(request)
        return Effect.succeed({ url: request.url, status: 200, headers: {}, body: "{\"id\":\"gla\"}" })
      }
    })
    const checked = await Effect.runPromise(Effect.result(plugin.check(decode({ baseUrl: "https://f.example.gov.uk", apiToken: "s3cret", council: "gla" })).pipe(capture)))
    expect(Result.isSuccess(checked)).toBe(true)
    expect(seen[0]?.headers?.["authorization"]).toBe("Bearer s3cret")
    expect(seen[0]?.url).not.toContain("s3cret")
  })
})
