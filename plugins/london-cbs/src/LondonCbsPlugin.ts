/**
 * The London CBS plugin: pulls the contracts and the monthly contract-activity monitoring lines page by page
 * (the CBS's opaque cursor) over the protocol of docs/external-systems/london-cbs.md, and pushes commissioning
 * intentions under idempotency keys. Transport only through the host's HTTP client.
 *
 * @since 0.1.0
 */
import { CommissioningIntention, HttpClient, type Page, Plugin, PluginError, type SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Effect, Redacted, Result } from "effect"
import * as ActivityPage from "./ActivityPage.ts"
import * as CbsPage from "./CbsPage.ts"
import * as ContractPage from "./ContractPage.ts"
import * as IntentionRequest from "./IntentionRequest.ts"
import { LondonCbsConfig } from "./LondonCbsConfig.ts"

// ---------------------------------------------------------------------------------------------------------
// manifest
// ---------------------------------------------------------------------------------------------------------

/**
 * What the plugin offers.
 *
 * @category manifest
 * @since 0.1.0
 */
export const manifest = {
  id: "london-cbs",
  version: "0.2.0",
  displayName: "London Commissioning Business Service",
  externalSystem: "London CBS API v1 (contracts, contract-activity monitoring, commissioning intentions)",
  description:
    "Pulls the contracts between London commissioners and providers and their monthly contract-activity monitoring lines; pushes the commissioning intentions agreed by the commissioning groups.",
  streams: [
    { name: "activity", recordType: "contract-activity-line", cursor: "opaque", description: "monthly contract-activity monitoring lines (a change stream: revised lines come again)" },
    { name: "contracts", recordType: "contract", cursor: "opaque", description: "contracts between commissioners and providers, one per year (a change stream: revised contracts come again)" }
  ],
  pushes: [
    {
      kind: "commissioning-intentions",
      payloadType: "commissioning-intention",
      receiptType: "submission-acknowledgement",
      description: "one commissioning intention (a later version of a reference supersedes the earlier one)"
    }
  ],
  configuration: [
    { name: "baseUrl", description: "the CBS API's base URL", secret: false, required: true },
    { name: "apiKey", description: "the CBS API key (sent as X-API-Key)", secret: true, required: true },
    { name: "pageSize", description: "rows (activity lines or contracts) per page, 1..1000 (default 500)", secret: false, required: false },
    { name: "financialYear", description: "pull only this financial year's activity lines, e.g. 2013/14 (default all; the contracts stream always carries every year)", secret: false, required: false }
  ],
  hosts: ["*.nhs.uk"]
} as const

// ---------------------------------------------------------------------------------------------------------
// transport
// ---------------------------------------------------------------------------------------------------------

const base = (config: LondonCbsConfig): string => config.baseUrl.replace(/\/+$/u, "")
const headers = (config: LondonCbsConfig): Record<string, string> => ({
  "x-api-key": Redacted.value(config.apiKey),
  accept: "application/json"
})

const check = Effect.fn("LondonCbs.check")(function*(config: LondonCbsConfig) {
  const http = yield* HttpClient.HttpClient
  const response = yield* http.request({ method: "GET", url: `${base(config)}/v1/health`, headers: headers(config) })
  yield* HttpClient.expectSuccess(response)
})

/** What each stream reads: its CBS list endpoint, whether the year filter applies, and its row mapping. */
const streams = {
  activity: { path: "/v1/activity", byYear: true, toPage: ActivityPage.toPage },
  contracts: { path: "/v1/contracts", byYear: false, toPage: ContractPage.toPage }
} as const satisfies Record<(typeof manifest.streams)[number]["name"], {
  readonly path: string
  readonly byYear: boolean
  readonly toPage: (page: CbsPage.CbsPage) => Page.Page
}>

const pull = Effect.fn("LondonCbs.pull")(function*(config: LondonCbsConfig, stream: string, cursor: Page.Cursor) {
  const descriptor = yield* Plugin.requireStream(manifest, stream)
  // requireStream accepted a name the manifest declares, and `streams` has an entry for every one of them.
  const endpoint = streams[descriptor.name as keyof typeof streams]
  const query = new URLSearchParams({ limit: String(config.pageSize ?? 500) })
  // The CBS filters only activity by year (a financialYear on /v1/contracts is not part of the protocol).
  if (endpoint.byYear && config.financialYear !== undefined) query.set("financialYear", config.financialYear)
  if (cursor !== null) query.set("cursor", cursor)
  const url = `${base(config)}${endpoint.path}?${query.toString()}`
  const http = yield* HttpClient.HttpClient
  const response = yield* Effect.flatMap(http.request({ method: "GET", url, headers: headers(config) }), (r) => HttpClient.expectSuccess(r))
  const envelope = CbsPage.parseEnvelope(response.body)
  if (Result.isFailure(envelope)) {
    return yield* new PluginError.ServerError({ url, status: response.status, reason: envelope.failure })
  }
  const page: Page.Page = endpoint.toPage(envelope.success)
  return page
})

const push = Effect.fn("LondonCbs.push")(function*(config: LondonCbsConfig, kind: string, payload: unknown, idempotencyKey: string) {
  yield* Plugin.requirePushKind(manifest, kind)
  const intention = yield* Plugin.decodePayload(kind, CommissioningIntention.CommissioningIntention, payload)
  const url = `${base(config)}/v1/commissioning-intentions`
  const { response, replayed } = yield* HttpClient.submitJson({
    url,
    headers: headers(config),
    body: IntentionRequest.toRequestBody(intention),
    idempotencyKey,
    pushKind: kind
  })
  const acknowledgement = IntentionRequest.toAcknowledgement(kind, idempotencyKey, response.body, replayed)
  if (Result.isFailure(acknowledgement)) {
    return yield* new PluginError.ServerError({ url, status: response.status, reason: acknowledgement.failure })
  }
  const receipt: SubmissionAcknowledgement.SubmissionAcknowledgement = acknowledgement.success
  return receipt
})

// ---------------------------------------------------------------------------------------------------------
// plugin
// ---------------------------------------------------------------------------------------------------------

/**
 * The plugin.
 *
 * @category plugin
 * @since 0.1.0
 */
export const plugin: Plugin.Plugin<LondonCbsConfig> = Plugin.make({
  manifest,
  configSchema: LondonCbsConfig,
  check,
  pull,
  push
})
