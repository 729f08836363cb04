import { ConfigProvider, Effect, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as PluginCatalog from "./PluginCatalog.ts"
import * as PluginDescription from "./PluginDescription.ts"

const read = (env: Record<string, string>) => Effect.runPromise(PluginCatalog.fromEnvironment.parse(ConfigProvider.fromEnv({ env })))

describe("the catalog", () => {
  it("ships the three plugins, each with a secret setting and its manifest", () => {
    expect(PluginCatalog.catalog.map((c) => c.id)).toEqual(["council-finance", "london-cbs", "nhs-england-returns"])
    for (const c of PluginCatalog.catalog) {
      expect(c.settings.some((s) => s.type === "secret")).toBe(true)
      expect(c.manifest.id).toBe(c.id)
      expect(c.withPlugin((plugin) => plugin.manifest)).toBe(c.manifest)
    }
  })

  it("enables a plugin only when its <PREFIX>_BASE_URL is set, keeping secrets redacted", async () => {
    const enabled = await read({ LONDON_CBS_BASE_URL: "https://cbs.example.org", LONDON_CBS_API_KEY: "k-123", COUNCIL_FINANCE_API_TOKEN: "t" })
    expect(enabled.map((p) => p.entry.id)).toEqual(["london-cbs"])
    const settings = enabled[0]?.settings ?? {}
    expect(Redacted.isRedacted(settings["apiKey"])).toBe(true)
    expect(JSON.stringify(settings)).not.toContain("k-123")
    expect(PluginCatalog.configOf(settings)).toEqual({ baseUrl: "https://cbs.example.org", apiKey: "k-123" })
  })

  it("names the variable of a setting that does not parse", async () => {
    await expect(read({ LONDON_CBS_BASE_URL: "https://cbs.example.org", LONDON_CBS_PAGE_SIZE: "many" })).rejects.toThrow(/LONDON_CBS_PAGE_SIZE|PAGE_SIZE/u)
  })
})

describe("describing a plugin", () => {
  const cbs = PluginCatalog.byId("london-cbs")!

  it("says which settings are set, unset or defaulted, with their variables, and never a value", () => {
    const described = PluginDescription.describe(cbs, { baseUrl: "https://cbs.example.org", apiKey: Redacted.make("k-secret-123") })
    expect(described.enabled).toBe(true)
    expect(described.streams.map((s) => s.name).length).toBeGreaterThan(0)
    const byName = Object.fromEntries(described.settings.map((s) => [s.name, s]))
    expect(byName["apiKey"]).toMatchObject({ status: "set", secret: true, env: "LONDON_CBS_API_KEY" })
    expect(byName["baseUrl"]).toMatchObject({ status: "set", env: "LONDON_CBS_BASE_URL" })
    const text = JSON.stringify(described)
    expect(text).not.toContain("k-secret-123")
    expect(text).not.toContain("cbs.example.org")
  })

  it("a plugin that is not enabled has its required settings unset and the optional ones defaulted", () => {
    const described = PluginDescription.describe(cbs, undefined)
    expect(described.enabled).toBe(false)
    for (const s of described.settings) expect(s.status).toBe(s.required ? "unset" : "default")
    expect(described.settings.some((s) => s.status === "unset")).toBe(true)
  })
})

describe("describing every shipped plugin", () => {
  it("describes each, attaching the check of the enabled ones only", () => {
    const cbs = PluginCatalog.byId("london-cbs")!
    const check = () => Effect.void
    const all = PluginDescription.describeAll([{ entry: cbs, settings: { baseUrl: "https://cbs.example.org" } }], () => check)
    expect(all.map((p) => [p.description.id, p.description.enabled, p.check !== undefined])).toEqual([
      ["council-finance", false, false],
      ["london-cbs", true, true],
      ["nhs-england-returns", false, false]
    ])
  })
})
