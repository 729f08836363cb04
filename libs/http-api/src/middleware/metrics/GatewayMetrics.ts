/**
 * The gateway's Prometheus metrics, in a registry of their own per app (so tests can build many apps): HTTP
 * requests by method, route template and status with a latency histogram, plus the queue depth gauge and the
 * ingest and quarantine counters that the worker side updates.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import { Counter, Gauge, Histogram, Registry } from "prom-client"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { routeOf } from "../../http/RouteTemplate.ts"

/**
 * The metrics and their registry.
 *
 * @category models
 * @since 0.1.0
 */
export interface GatewayMetrics {
  readonly registry: Registry
  readonly httpRequests: Counter<"method" | "route" | "status">
  readonly httpDuration: Histogram<"method" | "route" | "status">
  /** Jobs per queue and state (waiting, active, delayed, failed), set by whoever reads the queues. */
  readonly queueDepth: Gauge<"queue" | "state">
  /** Records taken in by ingest, by plugin, stream and outcome (`stored`, `quarantined`). */
  readonly ingestRecords: Counter<"plugin" | "stream" | "outcome">
  /** Records put in quarantine, by plugin and stream. */
  readonly quarantinedRecords: Counter<"plugin" | "stream">
}

/**
 * One queue's job counts by state, as libs/queue's `QueueStats.snapshot` reports them.
 *
 * @category models
 * @since 0.1.0
 */
export interface QueueSample {
  readonly queue: string
  readonly counts: Readonly<Record<string, number>>
}

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /**
   * Reads the queues' depth when metrics are scraped (the gateway wires libs/queue's `QueueStats.snapshot` here).
   * A failure leaves the gauge as it was: a scrape never fails because Redis is down.
   */
  readonly sampleQueues?: () => Promise<ReadonlyArray<QueueSample>>
}

/**
 * A fresh registry with every metric registered.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): GatewayMetrics => {
  const registry = new Registry()
  const sampleQueues = options.sampleQueues
  return {
    registry,
    httpRequests: new Counter({
      name: "hub_http_requests_total",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers: [registry]
    }),
    httpDuration: new Histogram({
      name: "hub_http_request_duration_seconds",
      help: "HTTP request latency by method, route template and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry]
    }),
    queueDepth: new Gauge({
      name: "hub_queue_depth",
      help: "Jobs per queue and state",
      labelNames: ["queue", "state"],
      registers: [registry],
      ...(sampleQueues === undefined
        ? {}
        : {
          async collect() {
            const samples = await sampleQueues().catch(() => undefined)
            for (const sample of samples ?? []) {
              for (const [state, count] of Object.entries(sample.counts)) this.set({ queue: sample.queue, state }, count)
            }
          }
        })
    }),
    ingestRecords: new Counter({
      name: "hub_ingest_records_total",
      help: "Records ingested by plugin, stream and outcome (stored, quarantined)",
      labelNames: ["plugin", "stream", "outcome"],
      registers: [registry]
    }),
    quarantinedRecords: new Counter({
      name: "hub_quarantine_records_total",
      help: "Records put in quarantine by plugin and stream",
      labelNames: ["plugin", "stream"],
      registers: [registry]
    })
  }
}

/**
 * Records one answered request: its method, route template, status and latency in seconds.
 *
 * @category models
 * @since 0.1.0
 */
export type Recorder = (method: string, route: string, status: number, seconds: number) => void

interface Series {
  readonly requests: { readonly inc: () => void }
  readonly duration: { readonly observe: (seconds: number) => void }
}

/**
 * The request recorder over the metrics: each (method, route, status) series gets its counter and histogram
 * children once, bound to their labels, so a request costs one map read and no label objects.
 *
 * @category constructors
 * @since 0.1.0
 */
export const recorder = (metrics: GatewayMetrics): Recorder => {
  const series = new Map<string, Series>()
  return (method, route, status, seconds) => {
    const id = `${method} ${status} ${route}`
    let bound = series.get(id)
    if (bound === undefined) {
      const statusText = String(status)
      bound = {
        requests: metrics.httpRequests.labels(method, route, statusText),
        duration: metrics.httpDuration.labels(method, route, statusText)
      }
      series.set(id, bound)
    }
    bound.requests.inc()
    bound.duration.observe(seconds)
  }
}

/**
 * Observes every request (run first, so it sees the final status, including error responses). `createApp`
 * records through the request envelope instead; this is the same recording as a middleware of its own.
 *
 * @category middleware
 * @since 0.1.0
 */
export const observe = (metrics: GatewayMetrics): MiddlewareHandler<GatewayEnv> => {
  const record = recorder(metrics)
  return async (c, next) => {
    const started = performance.now()
    await next()
    record(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000)
  }
}
