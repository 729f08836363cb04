import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as GatewayConfig from "./GatewayConfig.ts"
import * as GatewayPlugins from "./GatewayPlugins.ts"

const secret = "cbs-secret-key-0123456789"

const installedFrom = async (env: Record<string, string>) => {
  const config = await Effect.runPromise(GatewayConfig.config.parse(ConfigProvider.fromEnv({ env })))
  return Effect.runPromise(GatewayPlugins.installed(config.configuredPlugins, config.network))
}

describe("the gateway's installed plugins", () => {
  it("describes every shipped plugin, enabled by its BASE_URL, and never a setting's value", async () => {
    const installed = await installedFrom({ LONDON_CBS_BASE_URL: "https://cbs.example.org", LONDON_CBS_API_KEY: secret })
    expect(installed.map((p) => [p.description.id, p.description.enabled, p.check !== undefined])).toEqual([
      ["council-finance", false, false],
      ["london-cbs", true, true],
      ["nhs-england-returns", false, false]
    ])
    const cbs = installed[1]!.description
    expect(cbs.settings.find((s) => s.name === "apiKey")).toMatchObject({ secret: true, status: "set", env: "LONDON_CBS_API_KEY" })
    expect(JSON.stringify(installed.map((p) => p.description))).not.toContain(secret)
  })

  it("a plugin whose configuration does not decode does not stop the gateway: its check names the bad field", async () => {
    const installed = await installedFrom({ COUNCIL_FINANCE_BASE_URL: "ftp://x", COUNCIL_FINANCE_API_TOKEN: secret })
    const check = installed.find((p) => p.description.id === "council-finance")?.check
    expect(check).toBeDefined()
    const failure = await Effect.runPromise(Effect.flip(check!()))
    expect(failure._tag).toBe("BadConfiguration")
    expect(failure.message).toContain("baseUrl")
    expect(JSON.stringify(failure) + failure.message).not.toContain(secret)
  })

  it("a check is refused a loopback host unless HUB_ALLOW_LOOPBACK is set", async () => {
    const installed = await installedFrom({ LONDON_CBS_BASE_URL: "http://127.0.0.1:1", LONDON_CBS_API_KEY: secret })
    const failure = await Effect.runPromise(Effect.flip(installed[1]!.check!()))
    expect(failure._tag).toBe("HostRefused")
    expect(failure.message).not.toContain(secret)
  })
})
