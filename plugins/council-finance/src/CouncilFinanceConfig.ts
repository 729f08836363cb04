/**
 * The council-finance plugin's configuration, as the host stores it (JSON) and as the plugin receives it
 * (decoded, the token `Redacted`). One configuration = one council on one finance system.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CouncilProfile } from "./CouncilProfile.ts"

/**
 * `baseUrl` the finance system (e.g. `https://finance.manchester.gov.uk`); `apiToken` its bearer token
 * (secret); `council` the council's id there, which also picks the shipped profile; `profile` a profile of
 * your own for a council the plugin does not ship (its `id` must equal `council`); `pageSize` records per
 * pull (1..5000, default 1000).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CouncilFinanceConfig = Schema.Struct({
  baseUrl: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^https?:\/\/[^/\s?#]+(?:\/[^\s?#]*)?$/u, { expected: "an http(s) base URL without query" }))
  ),
  apiToken: Schema.RedactedFromValue(Schema.NonEmptyString),
  council: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a council id such as manchester" }))),
  profile: Schema.optionalKey(CouncilProfile),
  pageSize: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 5000 }))))
}).pipe(
  Schema.check(
    Schema.makeFilter((c: { readonly council: string; readonly profile?: { readonly id: string } }) =>
      c.profile === undefined || c.profile.id === c.council
        ? undefined
        : `profile.id ${JSON.stringify(c.profile.id)} must equal council ${JSON.stringify(c.council)}`
    )
  )
)

/**
 * @category models
 * @since 0.1.0
 */
export type CouncilFinanceConfig = typeof CouncilFinanceConfig.Type
