import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { defaultLimits } from "./App.ts"
import { config, variables } from "./GatewayLimitsConfig.ts"

const read = (env: Record<string, string>) => Effect.runPromiseExit(config.parse(ConfigProvider.fromEnv({ env })))

describe("the gateway's limits from the environment", () => {
  it("are the defaults when nothing is set", async () => {
    const exit = await read({})
    expect(exit._tag === "Success" && exit.value).toEqual(defaultLimits)
  })

  it("reads every limit from its GATEWAY_ variable", async () => {
    const exit = await read({
      GATEWAY_BODY_LIMIT_BYTES: "4096",
      GATEWAY_RATE_LIMIT_BURST: "7",
      GATEWAY_RATE_LIMIT_PER_SECOND: "3",
      GATEWAY_AUTH_CACHE_TTL_MS: "1500",
      GATEWAY_SESSION_TTL_MS: "60000"
    })
    expect(exit._tag === "Success" && exit.value).toEqual({
      bodyBytes: 4096,
      rateCapacity: 7,
      ratePerSecond: 3,
      authCacheTtlMs: 1500,
      sessionTtlMs: 60000
    })
  })

  it.each(Object.values(variables))("fails naming %s when it is not a positive whole number", async (name) => {
    for (const bad of ["0", "-5", "1.5", "lots"]) {
      const exit = await read({ [name]: bad })
      expect(exit._tag).toBe("Failure")
      expect(JSON.stringify(exit)).toContain(name)
    }
  })
})
