/**
 * The records an organisation registry is built from: bodies, the relationships between them (member-of,
 * hosted-by, nominated-to) and successions (merger, split, rename), each with its own period. The registry that
 * validates and queries them lives in `Registry.ts`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as BodyKind from "./BodyKind.ts"
import * as CalendarDate from "./CalendarDate.ts"
import * as Codes from "./Codes.ts"
import * as Period from "./Period.ts"

/**
 * A body: its hub code, the register codes it is known by, name, kind (data, never parsed from the code),
 * whether it is statutory, and its operational period.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Body = Schema.Struct({
  code: Codes.BodyCode,
  odsCode: Schema.optionalKey(Codes.OdsCode),
  gssCode: Schema.optionalKey(Codes.GssCode),
  name: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  kind: BodyKind.BodyKind,
  statutory: Schema.Boolean,
  period: Period.Period,
  /** Where the record comes from: a register extract or a board paper and paragraph. */
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Body = typeof Body.Type

/**
 * @category schemas
 * @since 0.1.0
 */
export const RelationshipType = Schema.Literals(["member-of", "hosted-by", "nominated-to"])

/**
 * @category models
 * @since 0.1.0
 */
export type RelationshipType = typeof RelationshipType.Type

/**
 * `from` is a member of / is hosted by / is nominated to `to`, during `period`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Relationship = Schema.Struct({
  type: RelationshipType,
  from: Codes.BodyCode,
  to: Codes.BodyCode,
  period: Period.Period,
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Relationship = typeof Relationship.Type

/**
 * @category schemas
 * @since 0.1.0
 */
export const SuccessionType = Schema.Literals(["merger", "split", "rename", "transfer"])

/**
 * @category models
 * @since 0.1.0
 */
export type SuccessionType = typeof SuccessionType.Type

/**
 * `predecessor` is succeeded by `successor` on `date` (the successor's first day). A split has one record per
 * successor; a merger one record per predecessor.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Succession = Schema.Struct({
  predecessor: Codes.BodyCode,
  successor: Codes.BodyCode,
  date: CalendarDate.CalendarDate,
  type: SuccessionType,
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Succession = typeof Succession.Type

/**
 * Everything a registry is built from.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OrganisationData = Schema.Struct({
  bodies: Schema.Array(Body),
  relationships: Schema.Array(Relationship),
  successions: Schema.Array(Succession)
})

/**
 * @category models
 * @since 0.1.0
 */
export type OrganisationData = typeof OrganisationData.Type
