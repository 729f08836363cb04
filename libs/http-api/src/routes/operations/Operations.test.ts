import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as GatewayMetrics from "../../middleware/metrics/GatewayMetrics.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

describe("GET /healthz", () => {
  it("says the process is up, without a key", async () => {
    const { app } = makeTestApp({ checks: [{ name: "database", run: Effect.fail("down") }] })
    const res = await app.request("/healthz")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: "ok" })
  })
})

describe("GET /readyz", () => {
  it("is 200 with every check when the database and Redis answer", async () => {
    const { app } = makeTestApp({ checks: [{ name: "database", run: Effect.void }, { name: "redis", run: Effect.void }] })
    const res = await app.request("/readyz")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: "ready",
      checks: [{ name: "database", status: "up" }, { name: "redis", status: "up" }]
    })
  })

  it("is a 503 problem naming what is down (failed or too slow), never why", async () => {
    const { app } = makeTestApp({
      checks: [
        { name: "database", run: Effect.fail(new Error("password authentication failed for user hub")) },
        { name: "redis", run: Effect.never },
        { name: "cache", run: Effect.void }
      ]
    })
    const res = await app.request("/readyz")
    expect(res.status).toBe(503)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(res.headers.get("retry-after")).not.toBeNull()
    const text = await res.text()
    expect(text).not.toContain("password")
    expect(JSON.parse(text)).toMatchObject({ status: 503, dependencies: ["database", "redis"] })
  })
})

describe("GET /metrics", () => {
  it("exposes request counts and latency by route template and status, and the queue and ingest metrics", async () => {
    const { app } = makeTestApp()
    await app.request("/v1/organisations/08Q", { headers: bearer(tokens.read) })
    await app.request("/v1/organisations/10X", { headers: bearer(tokens.read) })
    await app.request("/v1/organisations/08Q")
    await app.request("/no/such/path")
    const res = await app.request("/metrics")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/plain")
    const text = await res.text()
    expect(text).toContain('hub_http_requests_total{method="GET",route="/v1/organisations/:code",status="200"} 2')
    expect(text).toContain('hub_http_requests_total{method="GET",route="/v1/organisations/:code",status="401"} 1')
    expect(text).toContain('hub_http_requests_total{method="GET",route="unmatched",status="404"} 1')
    expect(text).not.toContain("10X")
    expect(text).toContain('hub_http_request_duration_seconds_count{method="GET",route="/v1/organisations/:code",status="200"} 2')
    for (const name of ["hub_queue_depth", "hub_ingest_records_total", "hub_quarantine_records_total"]) {
      expect(text).toContain(`# TYPE ${name}`)
    }
  })
})

describe("queue depth", () => {
  it("is sampled when metrics are scraped, and a failing sample does not fail the scrape", async () => {
    let fail = false
    const metrics = GatewayMetrics.make({
      sampleQueues: () =>
        fail ? Promise.reject(new Error("redis down")) : Promise.resolve([{ queue: "hub:pull:council-finance", counts: { waiting: 3, failed: 1 } }])
    })
    const text = await metrics.registry.metrics()
    expect(text).toContain('hub_queue_depth{queue="hub:pull:council-finance",state="waiting"} 3')
    expect(text).toContain('hub_queue_depth{queue="hub:pull:council-finance",state="failed"} 1')
    fail = true
    expect(await metrics.registry.metrics()).toContain('state="waiting"} 3')
  })
})
