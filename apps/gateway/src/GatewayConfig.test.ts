import { ConfigProvider, Effect, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { config } from "./GatewayConfig.ts"

const read = (env: Record<string, string>) =>
  Effect.runPromiseExit(config.parse(ConfigProvider.fromEnv({ env })))

describe("GatewayConfig", () => {
  it("defaults to loopback, port 8080 and no keys", async () => {
    const exit = await read({})
    expect(exit._tag).toBe("Success")
    if (exit._tag === "Success") {
      expect(exit.value).toMatchObject({ host: "127.0.0.1", port: 8080, devKeys: [], databaseUrl: undefined, dataDir: ".hub-data", queuePrefix: "{hub}", plugins: [] })
      expect(Redacted.value(exit.value.redisUrl)).toBe("redis://127.0.0.1:6379")
      expect(exit.value.limits.bodyBytes).toBe(1024 * 1024)
      expect(exit.value.network).toEqual({ allowLoopback: false, allowPrivate: false, timeoutMs: 30_000 })
    }
  })

  it("gives plugin checks the worker's response size cap, and refuses one that is not a positive whole number", async () => {
    const exit = await read({ HUB_MAX_RESPONSE_BYTES: "16384", HUB_HTTP_TIMEOUT_MS: "5000" })
    expect(exit._tag).toBe("Success")
    if (exit._tag === "Success") expect(exit.value.network).toEqual({ allowLoopback: false, allowPrivate: false, timeoutMs: 5000, maxResponseBytes: 16384 })
    for (const bad of ["0", "-5", "64MB"]) {
      const refused = await read({ HUB_MAX_RESPONSE_BYTES: bad })
      expect(refused._tag, bad).toBe("Failure")
      if (refused._tag === "Failure") expect(String(refused.cause)).toContain("HUB_MAX_RESPONSE_BYTES")
    }
  })

  it("reads the environment, keeping the connection URLs redacted", async () => {
    const exit = await read({
      PORT: "9000",
      HOST: "0.0.0.0",
      GATEWAY_RATE_LIMIT_BURST: "5",
      GATEWAY_API_KEYS: "dev:read:dev-token-0123456789",
      DATABASE_URL: "postgres://hub:s3cr3t-db-pw@db.internal:6543/hub",
      REDIS_URL: "redis://:pw@cache:6380",
      HUB_DATA_DIR: "/var/lib/hub",
      HUB_DATABASE_SCHEMA: "hub",
      HUB_QUEUE_PREFIX: "{hub-staging}",
      LONDON_CBS_BASE_URL: "http://127.0.0.1:4001",
      LONDON_CBS_API_KEY: "cbs-k3y-never-shown",
      COUNCIL_FINANCE_BASE_URL: "http://127.0.0.1:4002"
    })
    expect(exit._tag).toBe("Success")
    if (exit._tag === "Success") {
      expect(exit.value).toMatchObject({ port: 9000, host: "0.0.0.0", dataDir: "/var/lib/hub", databaseSchema: "hub", queuePrefix: "{hub-staging}" })
      // The same rule as the worker: a plugin is enabled when its <PREFIX>_BASE_URL is set.
      expect(exit.value.plugins).toEqual(["council-finance", "london-cbs"])
      expect(String(exit.value.redisUrl)).not.toContain("pw")
      expect(exit.value.databaseUrl === undefined ? undefined : Redacted.value(exit.value.databaseUrl)).toBe("postgres://hub:s3cr3t-db-pw@db.internal:6543/hub")
      expect(exit.value.limits.rateCapacity).toBe(5)
      expect(exit.value.devKeys.map((k) => k.key.id)).toEqual(["dev"])
      // Secrets stay redacted, the plugins' too (the manifests in the configuration say "secret" as a field name).
      for (const value of ["s3cr3t-db-pw", "cbs-k3y-never-shown"]) expect(JSON.stringify({ ...exit.value, devKeys: [] })).not.toContain(value)
      expect(String(exit.value.databaseUrl)).not.toContain("s3cr3t-db-pw")
    }
  })

  it("fails naming the variable, without echoing a secret", async () => {
    const exit = await read({ GATEWAY_API_KEYS: "dev:superuser:secret-token-0123456789" })
    expect(exit._tag).toBe("Failure")
    expect(String(JSON.stringify(exit))).toContain("GATEWAY_API_KEYS")
    expect(String(JSON.stringify(exit))).not.toContain("secret-token")
    expect((await read({ GATEWAY_BODY_LIMIT_BYTES: "0" }))._tag).toBe("Failure")
    expect((await read({ PORT: "http" }))._tag).toBe("Failure")
    const plugins = await read({ HUB_PLUGINS: "london-cbs,Bad_Id" })
    expect(plugins._tag).toBe("Failure")
    expect(JSON.stringify(plugins)).toContain("Bad_Id")
  })
})

describe("HUB_PLUGINS", () => {
  it("names the plugins whose queues are shown, overriding the BASE_URL rule", async () => {
    const exit = await read({ HUB_PLUGINS: "london-cbs, nhs-england-returns", COUNCIL_FINANCE_BASE_URL: "http://x" })
    expect(exit._tag === "Success" && exit.value.plugins).toEqual(["london-cbs", "nhs-england-returns"])
  })
})
