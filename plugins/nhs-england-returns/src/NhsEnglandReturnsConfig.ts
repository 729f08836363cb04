/**
 * The NHS England returns plugin's configuration, as the host stores it (JSON) and as the plugin receives it
 * (decoded, the token `Redacted`).
 *
 * @since 0.1.0
 */
import { Fields } from "@hub/plugin-sdk"
import { Schema } from "effect"

/**
 * `baseUrl` the returns API (e.g. `https://returns.england.nhs.uk`); `token` its bearer token (secret);
 * `pageSize` entries per pull (1..1000, default 500); `financialYear` pulls only that year's allocations
 * (e.g. `"2015/16"`; default all years).
 *
 * @category schemas
 * @since 0.1.0
 */
export const NhsEnglandReturnsConfig = Schema.Struct({
  baseUrl: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^https?:\/\/[^/\s?#]+(?:\/[^\s?#]*)?$/u, { expected: "an http(s) base URL without query" }))
  ),
  token: Schema.RedactedFromValue(Schema.NonEmptyString),
  pageSize: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1000 })))),
  financialYear: Schema.optionalKey(Fields.FinancialYearName)
})

/**
 * @category models
 * @since 0.1.0
 */
export type NhsEnglandReturnsConfig = typeof NhsEnglandReturnsConfig.Type
