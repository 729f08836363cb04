/**
 * The NHS England returns plugin: pulls published allocations and the acknowledgements of submissions (an
 * append-only stream, opaque cursor) over the protocol of docs/external-systems/nhs-england-returns.md, and
 * pushes monthly financial returns and co-commissioning declarations under idempotency keys. NHS England
 * validates submissions later, so a push's receipt is `pending`; the outcome arrives on `acknowledgements`
 * with the same natural key (kind, submission id).
 *
 * @since 0.1.0
 */
import {
  AllocationLine,
  CoCommissioningDeclaration,
  FinancialReturn,
  HttpClient,
  type Page,
  Plugin,
  PluginError,
  SubmissionAcknowledgement
} from "@hub/plugin-sdk"
import { Effect, Redacted, Result } from "effect"
import { NhsEnglandReturnsConfig } from "./NhsEnglandReturnsConfig.ts"
import * as StreamPages from "./StreamPages.ts"
import * as SubmissionRequest from "./SubmissionRequest.ts"

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
  id: "nhs-england-returns",
  version: "0.1.0",
  displayName: "NHS England returns",
  externalSystem: "NHS England returns API v1 (allocations, financial returns, co-commissioning declarations)",
  description:
    "Pulls the allocations NHS England publishes and the acknowledgements of submissions; pushes commissioners' monthly financial returns and co-commissioning level declarations, validated asynchronously by NHS England.",
  streams: [
    { name: "allocations", recordType: "allocation-line", cursor: "opaque", description: "published allocations by commissioner, year and type" },
    {
      name: "acknowledgements",
      recordType: "submission-acknowledgement",
      cursor: "opaque",
      description: "accepted/rejected outcomes of submissions, in processing order; pulling from the last cursor later returns the new ones"
    }
  ],
  pushes: [
    {
      kind: "financial-return",
      payloadType: "financial-return",
      receiptType: "submission-acknowledgement",
      description: "a commissioner's monthly financial position (a corrected return is the next version)"
    },
    {
      kind: "co-commissioning-declaration",
      payloadType: "co-commissioning-declaration",
      receiptType: "submission-acknowledgement",
      description: "a CCG's primary care co-commissioning level for a year"
    }
  ],
  configuration: [
    { name: "baseUrl", description: "the NHS England returns API's base URL", secret: false, required: true },
    { name: "token", description: "bearer token for the returns API", secret: true, required: true },
    { name: "pageSize", description: "entries per page, 1..1000 (default 500)", secret: false, required: false },
    { name: "financialYear", description: "pull only this financial year's allocations, e.g. 2015/16 (default all)", secret: false, required: false }
  ],
  hosts: ["*.england.nhs.uk"]
} as const

// ---------------------------------------------------------------------------------------------------------
// transport
// ---------------------------------------------------------------------------------------------------------

const base = (config: NhsEnglandReturnsConfig): string => config.baseUrl.replace(/\/+$/u, "")
const headers = (config: NhsEnglandReturnsConfig): Record<string, string> => ({
  authorization: `Bearer ${Redacted.value(config.token)}`,
  accept: "application/json"
})

const check = Effect.fn("NhsEnglandReturns.check")(function*(config: NhsEnglandReturnsConfig) {
  const http = yield* HttpClient.HttpClient
  const response = yield* http.request({ method: "GET", url: `${base(config)}/v1/health`, headers: headers(config) })
  yield* HttpClient.expectSuccess(response)
})

const pull = Effect.fn("NhsEnglandReturns.pull")(function*(config: NhsEnglandReturnsConfig, stream: string, cursor: Page.Cursor) {
  yield* Plugin.requireStream(manifest, stream)
  const query = new URLSearchParams({ limit: String(config.pageSize ?? 500) })
  if (stream === "allocations" && config.financialYear !== undefined) query.set("financialYear", config.financialYear)
  if (cursor !== null) query.set("cursor", cursor)
  const url = `${base(config)}/v1/${stream}?${query.toString()}`
  const http = yield* HttpClient.HttpClient
  const response = yield* Effect.flatMap(http.request({ method: "GET", url, headers: headers(config) }), (r) => HttpClient.expectSuccess(r))
  const envelope = StreamPages.parseEnvelope(response.body)
  if (Result.isFailure(envelope)) {
    return yield* new PluginError.ServerError({ url, status: response.status, reason: envelope.failure })
  }
  const page: Page.Page = stream === "allocations"
    ? StreamPages.toPage(envelope.success, StreamPages.mapAllocation, AllocationLine.naturalKey)
    : StreamPages.toPage(envelope.success, StreamPages.mapAcknowledgement, SubmissionAcknowledgement.naturalKey)
  return page
})

const push = Effect.fn("NhsEnglandReturns.push")(function*(
  config: NhsEnglandReturnsConfig,
  kind: string,
  payload: unknown,
  idempotencyKey: string
) {
  yield* Plugin.requirePushKind(manifest, kind)
  let path: string
  let body: Record<string, unknown>
  if (kind === "financial-return") {
    const decoded = yield* Plugin.decodePayload(kind, FinancialReturn.FinancialReturn, payload)
    const request = SubmissionRequest.financialReturnBody(decoded)
    if (Result.isFailure(request)) return yield* new PluginError.Rejected({ kind, reasons: [...request.failure] })
    path = "/v1/financial-returns"
    body = request.success
  } else {
    const decoded = yield* Plugin.decodePayload(kind, CoCommissioningDeclaration.CoCommissioningDeclaration, payload)
    path = "/v1/co-commissioning-declarations"
    body = SubmissionRequest.declarationBody(decoded)
  }
  const url = `${base(config)}${path}`
  const { response, replayed } = yield* HttpClient.submitJson({
    url,
    headers: headers(config),
    body,
    idempotencyKey,
    pushKind: kind
  })
  const acknowledgement = SubmissionRequest.toAcknowledgement(kind, idempotencyKey, response.body, replayed)
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
export const plugin: Plugin.Plugin<NhsEnglandReturnsConfig> = Plugin.make({
  manifest,
  configSchema: NhsEnglandReturnsConfig,
  check,
  pull,
  push
})
