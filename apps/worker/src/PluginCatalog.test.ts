import { Effect, Exit, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as PluginCatalog from "./PluginCatalog.ts"

describe("PluginCatalog", () => {
  it("ships the three plugins, each with a secret setting", () => {
    expect(PluginCatalog.catalog.map((c) => c.id)).toEqual(["council-finance", "london-cbs", "nhs-england-returns"])
    for (const c of PluginCatalog.catalog) expect(c.settings.some((s) => s.type === "secret")).toBe(true)
  })

  it("registers a plugin, its HTTP client limited to the manifest's hosts and the configured host", async () => {
    const entry = await Effect.runPromise(
      PluginCatalog.register(PluginCatalog.byId("london-cbs")!, { baseUrl: "https://cbs.example.org", apiKey: Redacted.make("k-123") }, {})
    )
    expect(entry.id).toBe("london-cbs")
    expect(entry.allowedHosts).toEqual(["*.nhs.uk", "cbs.example.org"])
  })

  it("refuses bad settings with every bad field named, never the secret", async () => {
    const exit = await Effect.runPromiseExit(
      PluginCatalog.register(PluginCatalog.byId("council-finance")!, { baseUrl: "ftp://x", apiToken: Redacted.make("t0p-secret") }, {})
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const text = JSON.stringify(exit)
    expect(text).toContain("baseUrl")
    expect(text).toContain("council")
    expect(text).not.toContain("t0p-secret")
  })
})
