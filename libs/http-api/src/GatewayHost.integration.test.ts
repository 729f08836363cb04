import { QueueLayer } from "@hub/queue"
import { ApiKeyRepo, IdempotencyRepo, Store } from "@hub/store"
import { Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { Redis } from "ioredis"
import { randomUUID } from "node:crypto"
import { pino } from "pino"
import { afterAll, describe, expect, it } from "vitest"
import * as GatewayHost from "./GatewayHost.ts"
import { hashToken } from "./ports/ApiKeys.ts"
import { logCapture } from "./test-support/TestApp.ts"

// A "hub" owning the store (in-memory PGlite) and the queue (real loopback Redis, a key prefix of this run only),
// and the gateway served over the hub's services, as the one-process start does on the embedded database.
const redisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"
const prefix = `{gwhost-${randomUUID().slice(0, 8)}}`
const hub = ManagedRuntime.make(Layer.merge(Store.layerTest, QueueLayer.layer({ url: redisUrl, prefix })))
const devToken = "host-dev-token-0123456789"
const storedToken = "host-stored-token-0123456789"

afterAll(async () => {
  await hub.dispose()
  const redis = new Redis(redisUrl)
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

describe("GatewayHost.serve over services owned by another (the hub process)", () => {
  it("answers with the shared store's data and keys, reports both dependencies ready, and leaves the shared services open when it stops", async () => {
    const services = await hub.runPromise(
      Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        yield* repo.create({ id: "svc-host", name: "Host test", hash: hashToken(storedToken), scopes: ["read"] })
        return yield* Effect.context<Layer.Success<typeof Store.layerTest> | Layer.Success<ReturnType<typeof QueueLayer.layer>>>()
      })
    )
    const log = logCapture()
    const scope = await Effect.runPromise(Scope.make())
    const address = await Effect.runPromise(
      Scope.provide(
        GatewayHost.serve({
          layer: GatewayHost.portsLayer([{ token: devToken, key: { id: "dev", name: "dev", scopes: ["read", "ops"], revoked: false } }], []).pipe(
            Layer.provideMerge(Layer.succeedContext(services))
          ),
          logger: pino({ level: "info" }, log.stream),
          listen: { port: 0, host: "127.0.0.1" },
          queueNames: GatewayHost.queueNamesOf(["council-finance"])
        }),
        scope
      )
    )
    const url = `http://127.0.0.1:${address.port}`
    const auth = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } })

    const ready = await fetch(`${url}/readyz`)
    expect(await ready.json()).toEqual({ status: "ready", checks: [{ name: "database", status: "up" }, { name: "redis", status: "up" }] })
    expect((await fetch(`${url}/v1/organisations/5LE?asOf=2010-07-15`, auth(devToken))).status).toBe(200)
    expect((await fetch(`${url}/v1/organisations/5LE?asOf=2010-07-15`, auth(storedToken))).status).toBe(200)
    expect((await fetch(`${url}/v1/organisations/5LE?asOf=2010-07-15`, auth("host-unknown-token-0123456789"))).status).toBe(401)
    const dashboard = (await (await fetch(`${url}/admin/queues/api/queues`, auth(devToken))).json()) as { queues: Array<{ name: string }> }
    expect(dashboard.queues.map((q) => q.name).sort()).toEqual(["hub.council-finance.pull", "hub.council-finance.push"])
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('hub_queue_depth{queue="hub.council-finance.push",state="waiting"} 0')

    await Effect.runPromise(Scope.close(scope, Exit.void))
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
    // The hub's store and Redis connection are still open: the gateway shared them, it did not own them.
    const stillOpen = await hub.runPromise(ApiKeyRepo.ApiKeyRepo.use((repo) => repo.list()))
    expect(stillOpen.map((k) => k.id)).toContain("svc-host")
  }, 120_000)

  it("deletes expired Idempotency-Key records in the background while it serves, and keeps live ones", async () => {
    const owner = `purge-${randomUUID().slice(0, 8)}`
    const keysOf = Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ readonly idempotency_key: string }>`SELECT idempotency_key FROM idempotency_keys WHERE key_owner = ${owner} ORDER BY idempotency_key`
      return rows.map((r) => r.idempotency_key)
    })
    const services = await hub.runPromise(
      Effect.gen(function*() {
        const repo = yield* IdempotencyRepo.IdempotencyRepo
        // A request that died holding its claim (lease 1 ms, expired at once) and one still in flight (an hour).
        yield* repo.claim({ owner, key: "dead", fingerprint: "f", leaseMs: 1 })
        yield* repo.claim({ owner, key: "live", fingerprint: "f", leaseMs: 3_600_000 })
        return yield* Effect.context<Layer.Success<typeof Store.layerTest> | Layer.Success<ReturnType<typeof QueueLayer.layer>>>()
      })
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await hub.runPromise(keysOf)).toEqual(["dead", "live"])
    const log = logCapture()
    const scope = await Effect.runPromise(Scope.make())
    await Effect.runPromise(
      Scope.provide(
        GatewayHost.serve({
          layer: GatewayHost.portsLayer([], []).pipe(Layer.provideMerge(Layer.succeedContext(services))),
          logger: pino({ level: "info" }, log.stream),
          listen: { port: 0, host: "127.0.0.1" },
          queueNames: [],
          idempotencyPurgeEvery: "50 millis"
        }),
        scope
      )
    )
    try {
      const deadline = Date.now() + 30_000
      let left = await hub.runPromise(keysOf)
      while (left.includes("dead") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        left = await hub.runPromise(keysOf)
      }
      expect(left).toEqual(["live"])
      expect(log.records().some((l) => l["msg"] === "expired idempotency keys deleted" && Number(l["deleted"]) >= 1)).toBe(true)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }, 120_000)
})
