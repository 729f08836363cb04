import { ConfigProvider, Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as WorkerConfig from "./WorkerConfig.ts"

const read = (env: Record<string, string>) =>
  Effect.runPromise(WorkerConfig.config.parse(ConfigProvider.fromEnv({ env })))

describe("WorkerConfig", () => {
  it("defaults to the embedded database in .hub-data and the local Redis, with no plugin enabled", async () => {
    const config = await read({})
    expect(Option.isNone(config.databaseUrl)).toBe(true)
    expect(WorkerConfig.pgliteDir(config)).toBe(".hub-data/db")
    expect(Redacted.value(config.redisUrl)).toBe("redis://127.0.0.1:6379")
    expect(config.plugins).toEqual([])
    expect(config.allowLoopback).toBe(false)
  })

  it("enables a plugin by its base URL and keeps its secret redacted", async () => {
    const config = await read({
      COUNCIL_FINANCE_BASE_URL: "https://finance.manchester.gov.uk",
      COUNCIL_FINANCE_API_TOKEN: "s3cret-token",
      COUNCIL_FINANCE_COUNCIL: "manchester",
      COUNCIL_FINANCE_PAGE_SIZE: "250",
      LONDON_CBS_API_KEY: "ignored-without-a-base-url"
    })
    expect(config.plugins.map((p) => p.entry.id)).toEqual(["council-finance"])
    const settings = config.plugins[0]!.settings
    expect(settings["pageSize"]).toBe(250)
    expect(Redacted.isRedacted(settings["apiToken"])).toBe(true)
    expect(JSON.stringify(config.plugins)).not.toContain("s3cret-token")
    expect(String(settings["apiToken"])).not.toContain("s3cret-token")
  })

  it("names the variable of a bad setting", async () => {
    await expect(read({ COUNCIL_FINANCE_BASE_URL: "https://x.gov.uk", COUNCIL_FINANCE_PAGE_SIZE: "lots" })).rejects.toThrow(/COUNCIL_FINANCE_PAGE_SIZE/u)
    await expect(read({ HUB_WORKER_CONCURRENCY: "0" })).rejects.toThrow(/HUB_WORKER_CONCURRENCY/u)
  })

  it("caps a response at 64 MiB and a page at 50,000 rows unless HUB_MAX_RESPONSE_BYTES / HUB_MAX_PAGE_ROWS say otherwise", async () => {
    const defaults = await read({})
    expect(defaults.maxResponseBytes).toBe(64 * 1024 * 1024)
    expect(defaults.maxPageRows).toBe(50_000)
    const set = await read({ HUB_MAX_RESPONSE_BYTES: "4096", HUB_MAX_PAGE_ROWS: "100" })
    expect(set.maxResponseBytes).toBe(4096)
    expect(set.maxPageRows).toBe(100)
  })

  it("refuses a cap that is not a positive whole number, naming its variable", async () => {
    await expect(read({ HUB_MAX_RESPONSE_BYTES: "0" })).rejects.toThrow(/HUB_MAX_RESPONSE_BYTES/u)
    await expect(read({ HUB_MAX_RESPONSE_BYTES: "64MB" })).rejects.toThrow(/HUB_MAX_RESPONSE_BYTES/u)
    await expect(read({ HUB_MAX_PAGE_ROWS: "-5" })).rejects.toThrow(/HUB_MAX_PAGE_ROWS/u)
    await expect(read({ HUB_MAX_PAGE_ROWS: "1.5" })).rejects.toThrow(/HUB_MAX_PAGE_ROWS/u)
  })

  it("parses HUB_SCHEDULES entries and names a bad one by position", () => {
    expect(WorkerConfig.parseSchedules("council-finance/spend=1 hour; london-cbs/activity = */15 * * * *")).toEqual({
      schedules: [
        { plugin: "council-finance", stream: "spend", every: "1 hour" },
        { plugin: "london-cbs", stream: "activity", every: "*/15 * * * *" }
      ]
    })
    expect(WorkerConfig.parseSchedules("none")).toEqual({ schedules: [] })
    expect(WorkerConfig.parseSchedules("council-finance/spend=1 hour;oops")).toEqual({
      error: "HUB_SCHEDULES entry 2 \"oops\" is not plugin/stream=every"
    })
  })
})
