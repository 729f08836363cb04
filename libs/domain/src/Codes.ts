/**
 * The codes bodies and areas are known by: ODS codes for NHS bodies, ONS GSS codes for councils and
 * geographies, LSOA codes for small areas, and project-assigned codes for bodies no register names (sectors,
 * joint committees). Codes are never reused, so a code names one body for all time; its shape never tells the
 * kind of body (see `BodyKind`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * An ODS organisation code: three characters for most organisations (5LE NHS Southwark, 08Q Southwark CCG,
 * Q36 NHS London, RJ1 a trust, X24 NHS England), five for trust sites and sub-ICB units (RJ122), or a letter and
 * five digits for a GP practice (A81001). Upper case letters and digits only.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OdsCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^(?:[A-Z0-9]{3}|[A-Z0-9]{5}|[A-Z][0-9]{5})$/u, {
      expected: "an ODS code (3 or 5 upper-case letters or digits, or a letter and 5 digits)"
    })
  ),
  Schema.brand("OdsCode")
)

/**
 * @category models
 * @since 0.1.0
 */
export type OdsCode = typeof OdsCode.Type

/**
 * An ONS GSS code: a country letter (E, W, S, N, K), a two-digit entity code and a six-digit instance
 * (E09000028 Southwark, E38000171 Southwark CCG, E16000128 a PCT, E01000001 an LSOA).
 *
 * @category schemas
 * @since 0.1.0
 */
export const GssCode = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[EWSNK][0-9]{8}$/u, { expected: "a GSS code (E, W, S, N or K and 8 digits)" })),
  Schema.brand("GssCode")
)

/**
 * @category models
 * @since 0.1.0
 */
export type GssCode = typeof GssCode.Type

/**
 * A Lower-layer Super Output Area: GSS entity 01 in England (E01) or Wales (W01).
 *
 * @category schemas
 * @since 0.1.0
 */
export const LsoaCode = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[EW]01[0-9]{6}$/u, { expected: "an LSOA code (E01 or W01 and 6 digits)" })),
  Schema.brand("LsoaCode")
)

/**
 * @category models
 * @since 0.1.0
 */
export type LsoaCode = typeof LsoaCode.Type

/**
 * The code a body is registered under in the hub: its ODS code, its GSS code, or a project-assigned code
 * (upper-case words joined by hyphens, such as `LDN-SECTOR-SE`) for groupings no register names.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BodyCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/u, {
      expected: "a body code (upper-case letters and digits, optionally joined by hyphens)"
    }),
    Schema.isMaxLength(40)
  ),
  Schema.brand("BodyCode")
)

/**
 * @category models
 * @since 0.1.0
 */
export type BodyCode = typeof BodyCode.Type

/**
 * @category predicates
 * @since 0.1.0
 */
export const isOdsCode = Schema.is(OdsCode)

/**
 * @category predicates
 * @since 0.1.0
 */
export const isGssCode = Schema.is(GssCode)

/**
 * @category predicates
 * @since 0.1.0
 */
export const isLsoaCode = Schema.is(LsoaCode)

/**
 * @category predicates
 * @since 0.1.0
 */
export const isBodyCode = Schema.is(BodyCode)
