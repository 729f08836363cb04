/**
 * The London CBS plugin's configuration, as the host stores it (JSON) and as the plugin receives it (decoded,
 * the API key `Redacted`).
 *
 * @since 0.1.0
 */
import { Fields } from "@hub/plugin-sdk"
import { Schema } from "effect"

/**
 * `baseUrl` the CBS API (e.g. `https://api.londoncbs.nhs.uk`); `apiKey` its API key (secret, sent as
 * `X-API-Key`); `pageSize` rows (activity lines or contracts) per pull (1..1000, default 500); `financialYear`
 * pulls only that year's activity lines (e.g. `"2013/14"`; default all years; contracts always come for every
 * year, the CBS does not filter them).
 *
 * @category schemas
 * @since 0.1.0
 */
export const LondonCbsConfig = Schema.Struct({
  baseUrl: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^https?:\/\/[^/\s?#]+(?:\/[^\s?#]*)?$/u, { expected: "an http(s) base URL without query" }))
  ),
  apiKey: Schema.RedactedFromValue(Schema.NonEmptyString),
  pageSize: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1000 })))),
  financialYear: Schema.optionalKey(Fields.FinancialYearName)
})

/**
 * @category models
 * @since 0.1.0
 */
export type LondonCbsConfig = typeof LondonCbsConfig.Type
