import { App } from "@hub/http-api"
import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { config } from "./EmbeddedGateway.ts"

const read = (env: Record<string, string>) => Effect.runPromiseExit(config.parse(ConfigProvider.fromEnv({ env })))

describe("the embedded gateway's configuration", () => {
  it("defaults to loopback port 8080, info logs and no development key", async () => {
    const exit = await read({})
    expect(exit._tag === "Success" && exit.value).toEqual({ port: 8080, host: "127.0.0.1", logLevel: "info", devKeys: [], limits: App.defaultLimits })
  })

  it("reads the same GATEWAY_ limits as apps/gateway, which it used to ignore", async () => {
    const exit = await read({ GATEWAY_BODY_LIMIT_BYTES: "2048", GATEWAY_RATE_LIMIT_BURST: "5", GATEWAY_RATE_LIMIT_PER_SECOND: "2" })
    expect(exit._tag === "Success" && exit.value.limits).toEqual({ ...App.defaultLimits, bodyBytes: 2048, rateCapacity: 5, ratePerSecond: 2 })
    expect((await read({ GATEWAY_RATE_LIMIT_BURST: "0" }))._tag).toBe("Failure")
  })

  it("reads the port, the host and the development keys start.sh sets", async () => {
    const exit = await read({ HUB_GATEWAY_PORT: "18080", HUB_GATEWAY_HOST: "0.0.0.0", GATEWAY_API_KEYS: "dev:read+ops:hub-dev-token-change-me" })
    expect(exit._tag).toBe("Success")
    if (exit._tag === "Success") {
      expect(exit.value).toMatchObject({ port: 18080, host: "0.0.0.0" })
      expect(exit.value.devKeys).toEqual([
        { token: "hub-dev-token-change-me", key: { id: "dev", name: "dev", scopes: ["read", "ops"], revoked: false } }
      ])
    }
  })

  it("fails naming GATEWAY_API_KEYS without echoing the token, and on a port that is not one", async () => {
    const bad = await read({ GATEWAY_API_KEYS: "dev:superuser:secret-token-0123456789" })
    expect(bad._tag).toBe("Failure")
    expect(JSON.stringify(bad)).toContain("GATEWAY_API_KEYS")
    expect(JSON.stringify(bad)).not.toContain("secret-token")
    expect((await read({ HUB_GATEWAY_PORT: "http" }))._tag).toBe("Failure")
  })
})
