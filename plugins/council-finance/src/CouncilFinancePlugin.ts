/**
 * The council-finance plugin: pulls a council's spend, budget book and pooled-fund statements page by page
 * (row cursor) over the protocol of docs/external-systems/council-finance.md, maps them through the council's
 * profile, and pushes the NHS partner's pooled-fund contributions under idempotency keys.
 *
 * @since 0.1.0
 */
import { HttpClient, type Page, Plugin, type RowMapping, PluginError, PooledFundStatement, type SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { Effect, Redacted, Result, Schema } from "effect"
import * as BudgetBookCsv from "./BudgetBookCsv.ts"
import { CouncilFinanceConfig } from "./CouncilFinanceConfig.ts"
import * as CouncilCsv from "./CouncilCsv.ts"
import type { CouncilProfile } from "./CouncilProfile.ts"
import * as CouncilProfiles from "./CouncilProfiles.ts"
import * as CouncilSpendCsv from "./CouncilSpendCsv.ts"
import * as PooledFundCsv from "./PooledFundCsv.ts"

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
  id: "council-finance",
  version: "0.1.0",
  displayName: "Council finance",
  externalSystem: "Council finance systems (spend, budget books, pooled funds)",
  description:
    "Pulls a council's published spend, budget book and pooled-fund statements as CSV through a per-council profile; pushes the NHS partner's pooled-fund contributions.",
  streams: [
    { name: "spend", recordType: "council-spend-line", cursor: "row", description: "the \"spending over £500\" extract" },
    { name: "budget", recordType: "budget-line", cursor: "row", description: "the budget book" },
    { name: "pooled-fund", recordType: "pooled-fund-statement-line", cursor: "row", description: "pooled-fund statements" }
  ],
  pushes: [
    {
      kind: "pooled-contributions",
      payloadType: "pooled-contribution",
      receiptType: "submission-acknowledgement",
      description: "the NHS partner's contribution to a pooled fund for a month"
    }
  ],
  configuration: [
    { name: "baseUrl", description: "the council finance system's base URL", secret: false, required: true },
    { name: "apiToken", description: "bearer token for the council finance system", secret: true, required: true },
    { name: "council", description: "the council's id on the system; picks the shipped profile", secret: false, required: true },
    { name: "profile", description: "a council profile of your own (configuration-only onboarding)", secret: false, required: false },
    { name: "pageSize", description: "records per page, 1..5000 (default 1000)", secret: false, required: false }
  ],
  hosts: ["*.gov.uk"]
} as const

const datasetOf: Readonly<Record<string, string>> = { spend: "spend", budget: "budget", "pooled-fund": "pooled-funds" }

// ---------------------------------------------------------------------------------------------------------
// transport
// ---------------------------------------------------------------------------------------------------------

const base = (config: CouncilFinanceConfig): string => config.baseUrl.replace(/\/+$/u, "")
const councilUrl = (config: CouncilFinanceConfig): string => `${base(config)}/v1/councils/${encodeURIComponent(config.council)}`
const authorization = (config: CouncilFinanceConfig): Record<string, string> => ({
  authorization: `Bearer ${Redacted.value(config.apiToken)}`
})

const profileOf = (config: CouncilFinanceConfig): Effect.Effect<CouncilProfile, PluginError.BadConfiguration> => {
  const profile = config.profile ?? CouncilProfiles.builtIn[config.council]
  return profile === undefined
    ? Effect.fail(
      new PluginError.BadConfiguration({
        reason: `no profile for council ${JSON.stringify(config.council)}: ship one in the configuration's "profile" (shipped: ${Object.keys(CouncilProfiles.builtIn).join(", ")})`
      })
    )
    : Effect.succeed(profile)
}

const header = (response: HttpClient.HttpResponse, name: string): Effect.Effect<string, PluginError.ServerError> => {
  const value = response.headers[name]
  return value === undefined || value === ""
    ? Effect.fail(new PluginError.ServerError({ url: response.url, status: response.status, reason: `the page has no ${name} header` }))
    : Effect.succeed(value)
}

const wholeNumber = (response: HttpClient.HttpResponse, name: string): Effect.Effect<number, PluginError.ServerError> =>
  Effect.flatMap(header(response, name), (text) =>
    /^\d+$/u.test(text)
      ? Effect.succeed(Number(text))
      : Effect.fail(new PluginError.ServerError({ url: response.url, status: response.status, reason: `${name} is not a whole number: ${text}` })))

const CouncilInfo = Schema.Struct({ id: Schema.String })

const check = Effect.fn("CouncilFinance.check")(function*(config: CouncilFinanceConfig) {
  yield* profileOf(config)
  const http = yield* HttpClient.HttpClient
  const response = yield* http.request({ method: "GET", url: councilUrl(config), headers: { ...authorization(config), accept: "application/json" } })
  const council = yield* HttpClient.decodeJson(yield* HttpClient.expectSuccess(response), CouncilInfo)
  if (council.id !== config.council) {
    return yield* new PluginError.BadConfiguration({ reason: `${response.url} describes council ${JSON.stringify(council.id)}, not ${JSON.stringify(config.council)}` })
  }
})

/**
 * A cursor is the extract and the row to resume at (`spend-2019-01#1000`); a bare row number is accepted too.
 * Keeping the extract means a council that replaces its file is read from the start of the new one instead of
 * from the old file's row number.
 */
const parseCursor = (cursor: Page.Cursor): { readonly source?: string; readonly row: number } | undefined => {
  if (cursor === null) return { row: 0 }
  const m = /^(?:(.+)#)?(\d+)$/u.exec(cursor)
  if (m === null) return undefined
  return m[1] === undefined ? { row: Number(m[2]) } : { source: m[1], row: Number(m[2]) }
}

const fetchPage = (config: CouncilFinanceConfig, stream: string, row: number) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const url = `${councilUrl(config)}/datasets/${datasetOf[stream]}?cursor=${row}&limit=${config.pageSize ?? 1000}`
    const response = yield* Effect.flatMap(
      http.request({ method: "GET", url, headers: { ...authorization(config), accept: "text/csv" } }),
      (r) => HttpClient.expectSuccess(r)
    )
    return { url, response, source: yield* header(response, "x-source") }
  })

const pull = Effect.fn("CouncilFinance.pull")(function*(config: CouncilFinanceConfig, stream: string, cursor: Page.Cursor) {
  yield* Plugin.requireStream(manifest, stream)
  const profile = yield* profileOf(config)
  const from = parseCursor(cursor)
  if (from === undefined) {
    return yield* new PluginError.BadConfiguration({ reason: `${JSON.stringify(cursor)} is not a cursor of stream ${stream}` })
  }
  let fetched = yield* fetchPage(config, stream, from.row)
  if (from.source !== undefined && fetched.source !== from.source && from.row > 0) {
    // The council replaced its extract: the old row number means nothing in the new one.
    fetched = yield* fetchPage(config, stream, 0)
  }
  const { url, response, source } = fetched
  const nextCursor = yield* wholeNumber(response, "x-next-cursor")
  const rowCount = yield* wholeNumber(response, "x-row-count")
  const firstLine = yield* wholeNumber(response, "x-first-line")
  const done = (yield* header(response, "x-done")) === "true"
  const parsed = CouncilCsv.parsePage(response.body, firstLine)
  if (parsed.recordCount !== rowCount) {
    return yield* new PluginError.ServerError({
      url,
      status: response.status,
      reason: `the page holds ${parsed.recordCount} records but X-Row-Count says ${rowCount} (truncated or corrupted)`
    })
  }
  const mapped: Result.Result<RowMapping.MappedBatch<unknown>, CouncilSpendCsv.MissingColumns> = stream === "spend"
    ? CouncilSpendCsv.mapPage(parsed, profile, source)
    : stream === "budget"
    ? BudgetBookCsv.mapPage(parsed, profile)
    : PooledFundCsv.mapPage(parsed, profile)
  if (Result.isFailure(mapped)) {
    return yield* new PluginError.BadConfiguration({
      reason: `${stream} of ${profile.name} (${source}, ${url}): the profile finds no column for ${mapped.failure.missing.join(", ")}; the file's headings are: ${mapped.failure.headings.join(" | ")}`
    })
  }
  const page: Page.Page = {
    records: mapped.success.records,
    rejections: mapped.success.rejections,
    nextCursor: `${source}#${nextCursor}`,
    done
  }
  return page
})

/** The protocol's 201 body, as far as the receipt needs it. */
const Receipt = Schema.Struct({ submissionId: Schema.NonEmptyString, status: Schema.optionalKey(Schema.String), receivedAt: Schema.NonEmptyString })

const encodeContribution = Schema.encodeSync(PooledFundStatement.PooledContribution)

const push = Effect.fn("CouncilFinance.push")(function*(config: CouncilFinanceConfig, kind: string, payload: unknown, idempotencyKey: string) {
  yield* Plugin.requirePushKind(manifest, kind)
  const contribution = yield* Plugin.decodePayload(kind, PooledFundStatement.PooledContribution, payload)
  const { fundId, ...body } = encodeContribution(contribution)
  const url = `${councilUrl(config)}/pooled-funds/${encodeURIComponent(fundId)}/contributions`
  const { response, replayed } = yield* HttpClient.submitJson({
    url,
    headers: { ...authorization(config), accept: "application/json" },
    body,
    idempotencyKey,
    pushKind: kind
  })
  const receipt = yield* HttpClient.decodeJson(response, Receipt)
  const acknowledgement: SubmissionAcknowledgement.SubmissionAcknowledgement = {
    kind,
    submissionId: receipt.submissionId,
    idempotencyKey,
    status: receipt.status === "pending" ? "pending" : "accepted",
    receivedAt: receipt.receivedAt,
    duplicate: replayed,
    reasons: []
  }
  return acknowledgement
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
export const plugin: Plugin.Plugin<CouncilFinanceConfig> = Plugin.make({
  manifest,
  configSchema: CouncilFinanceConfig,
  check,
  pull,
  push
})
