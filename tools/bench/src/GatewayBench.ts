/**
 * The gateway's full middleware stack (`App.createApp` from @hub/http-api, which apps/gateway serves: request id, access log, security
 * headers, API-key auth with a real in-memory key, per-key rate limit, the route's use case, problem mapping)
 * against a bare Hono route serving the same JSON bytes, both on @hono/node-server on 127.0.0.1, loaded by
 * autocannon in a child process. Goals: at least half the bare route's requests per second; at a fixed 1,000
 * requests per second, a p99 latency at most the bare route's p99 + 5 ms.
 *
 * @since 0.1.0
 */
import { App, ApiKeys, Plugins, Readiness, ReferenceData, SubmissionQueue, SyncJobs } from "@hub/http-api"
import { Store } from "@hub/store"
import { type ServerType, serve } from "@hono/node-server"
import { Layer, ManagedRuntime } from "effect"
import { Hono } from "hono"
import type { AddressInfo } from "node:net"
import { Writable } from "node:stream"
import { pino } from "pino"
import type { Benchmark, Settings } from "./Benchmark.ts"
import * as Harness from "./Harness.ts"
import * as LoadRunner from "./LoadRunner.ts"

/**
 * A GET the benchmark loads: its name in the results and the path with its query.
 *
 * @category models
 * @since 0.1.0
 */
export interface Endpoint {
  readonly name: string
  readonly route: string
  readonly path: string
}

/**
 * The two GETs: one organisation, one coterminosity pair.
 *
 * @category constants
 * @since 0.1.0
 */
export const endpoints: ReadonlyArray<Endpoint> = [
  { name: "organisation", route: "/v1/organisations/:code", path: "/v1/organisations/5LE?asOf=2010-07-15" },
  { name: "coterminosity", route: "/v1/coterminosity/:code", path: "/v1/coterminosity/08Q?asOf=2015-06-01" }
]

/**
 * The throughput goal: the full stack keeps at least half the bare route's requests per second.
 *
 * @category constants
 * @since 0.1.0
 */
export const throughputGoal: Harness.Goal = { kind: "throughput", atLeast: 0.5 }

/**
 * The latency goal at the fixed rate: our p99 at most the bare p99 plus this many milliseconds.
 *
 * @category constants
 * @since 0.1.0
 */
export const p99AllowanceMs = 5

/** The fixed rate of the latency comparison, in requests per second. */
const fixedRate = 1000

const token = "bench-token-read-0123456789"

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done()
    }
  })

/** Starts a Hono app on 127.0.0.1 on a free port; resolves with the server and its base URL. */
const listen = (fetch: (request: Request) => Response | Promise<Response>): Promise<{ readonly server: ServerType; readonly url: string }> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }))
    server.once("error", reject)
  })

const close = (server: ServerType): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve())
    if ("closeAllConnections" in server) server.closeAllConnections()
  })

/**
 * The gateway as `main.ts` builds it, but over in-memory API keys (one real `read` key), the bundled reference
 * data, no readiness checks and the in-memory store; the rate limit raised far above what the load can reach;
 * logs to a stream that discards them.
 */
const makeGateway = () => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      ReferenceData.ReferenceData.layerBundled,
      ApiKeys.ApiKeys.layerInMemory([{ token, key: { id: "bench-read", name: "bench read key", scopes: ["read"], revoked: false } }]),
      Readiness.Readiness.layer([]),
      Store.layerTest,
      // Services of routes the benchmark does not call, so the runtime is the one `createApp` takes.
      Plugins.Plugins.layer([]),
      SyncJobs.SyncJobs.layerInMemory(),
      SubmissionQueue.SubmissionQueue.layerInMemory()
    )
  )
  const app = App.createApp({
    runtime,
    logger: pino({ level: "info" }, discard()),
    limits: { rateCapacity: 1_000_000_000, ratePerSecond: 1_000_000_000 }
  })
  return { app, runtime }
}

/** The median of the p99s each side measured, and the goal's verdict. */
const latencyVerdict = (ours: ReadonlyArray<number>, anchor: ReadonlyArray<number>, enforce: boolean) => {
  const oursP99 = Harness.median(ours)
  const anchorP99 = Harness.median(anchor)
  const pass = oursP99 <= anchorP99 + p99AllowanceMs
  return {
    oursP99Ms: Math.round(oursP99 * 100) / 100,
    anchorP99Ms: Math.round(anchorP99 * 100) / 100,
    p99Goal: `ours p99 <= anchor p99 + ${p99AllowanceMs} ms`,
    p99Verdict: !enforce ? "not-enforced" : pass ? "pass" : "miss"
  }
}

/**
 * The gateway benchmark.
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchmark = (): Benchmark => ({
  name: "gateway",
  description:
    "GET one organisation and one coterminosity pair through the gateway's full middleware stack (real API key, rate limit, request id, access log to a discarded stream, problem mapping) vs a bare Hono route serving the same JSON bytes; both on @hono/node-server on 127.0.0.1, loaded by autocannon in a child process: as fast as possible, and at a fixed 1,000 requests/s.",
  run: async (settings: Settings) => {
    const smoke = settings.mode === "smoke"
    const connections = 10
    const amount = smoke ? 500 : 5_000
    const rateAmount = smoke ? 500 : 3_000
    const rounds = smoke ? 1 : 5
    const rateRounds = smoke ? 1 : 4
    const warmup = smoke ? 0 : 1
    const { app, runtime } = makeGateway()
    const headers = { authorization: `Bearer ${token}` }
    const servers: Array<ServerType> = []
    let runner: LoadRunner.LoadRunner | undefined
    try {
      // The bytes the gateway answers are what the bare routes serve.
      const bare = new Hono()
      const bodyBytes = new Map<string, number>()
      for (const endpoint of endpoints) {
        const response = await app.request(endpoint.path, { headers })
        const body = new Uint8Array(await response.arrayBuffer())
        if (response.status !== 200) {
          throw new Error(`gateway benchmark: GET ${endpoint.path} answered ${response.status}: ${new TextDecoder().decode(body)}`)
        }
        bodyBytes.set(endpoint.path, body.length)
        const contentType = response.headers.get("content-type") ?? "application/json"
        bare.get(endpoint.route, (c) => c.body(body, 200, { "content-type": contentType }))
      }
      const ours = await listen(app.fetch)
      servers.push(ours.server)
      const anchor = await listen(bare.fetch)
      servers.push(anchor.server)
      runner = await LoadRunner.start()
      const load = runner
      const results: Array<Harness.Result> = []
      const checked = async (url: string, options: { readonly amount: number; readonly overallRate?: number }) => {
        const figures = await load.run({ url, headers, connections, ...options })
        if (figures.ok !== options.amount || figures.errors > 0 || figures.timeouts > 0) {
          throw new Error(
            `gateway benchmark: ${url}: ${figures.ok} of ${options.amount} requests answered 2xx (${figures.non2xx} other statuses, ${figures.errors} errors, ${figures.timeouts} timeouts)`
          )
        }
        return figures
      }
      for (const endpoint of endpoints) {
        const oursUrl = `${ours.url}${endpoint.path}`
        const anchorUrl = `${anchor.url}${endpoint.path}`
        const params = { path: endpoint.path, connections, bodyBytes: bodyBytes.get(endpoint.path) ?? 0, smoke }
        const max = await Harness.compare({
          name: `gateway.${endpoint.name}.max`,
          description: `GET ${endpoint.path}, ${amount} requests over ${connections} connections as fast as the server answers: full gateway vs bare Hono route with the same bytes`,
          ours: { label: "gateway (createApp, full middleware)", measure: () => checked(oursUrl, { amount }) },
          anchor: { label: "bare Hono route, same JSON bytes", measure: () => checked(anchorUrl, { amount }) },
          rounds,
          warmup,
          work: { count: amount, unit: "requests" },
          goal: throughputGoal,
          enforceGoal: !smoke,
          params: { ...params, requests: amount },
          log: settings.log
        })
        results.push(max)
        const oursP99: Array<number> = []
        const anchorP99: Array<number> = []
        const paced = await Harness.compare({
          name: `gateway.${endpoint.name}.rate1000`,
          description: `GET ${endpoint.path}, ${rateAmount} requests at a fixed ${fixedRate} requests/s overall over ${connections} connections: p99 latency, full gateway vs bare Hono route`,
          ours: {
            label: "gateway (createApp, full middleware)",
            measure: async () => oursP99.push((await checked(oursUrl, { amount: rateAmount, overallRate: fixedRate })).p99Ms)
          },
          anchor: {
            label: "bare Hono route, same JSON bytes",
            measure: async () => anchorP99.push((await checked(anchorUrl, { amount: rateAmount, overallRate: fixedRate })).p99Ms)
          },
          rounds: rateRounds,
          warmup,
          work: { count: rateAmount, unit: "requests" },
          params: { ...params, requests: rateAmount, overallRate: fixedRate },
          log: settings.log
        })
        // Warm-up rounds also pushed their p99: keep the measured rounds' only.
        const measured = (all: ReadonlyArray<number>) => all.slice(all.length - rateRounds)
        results.push({ ...paced, params: { ...paced.params, ...latencyVerdict(measured(oursP99), measured(anchorP99), !smoke) } })
      }
      return results
    } finally {
      await runner?.stop()
      for (const server of servers) await close(server)
      await runtime.dispose()
    }
  }
})
