/**
 * Rule violations as values a person can read: which rule, which bodies, which dates, and where the rule comes
 * from a board paper, which paper and paragraph. Every validation in the kernel reports all the violations it
 * finds at once, never only the first.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * One broken rule. `rule` is a stable identifier (`registry/duplicate-code`, `delegation/support-body`);
 * `message` says in plain English what is wrong; `bodies` and `dates` name what is involved; `source` names the
 * paper and paragraph the rule comes from (`london-2006 §3.2`), when it comes from one.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Violation = Schema.Struct({
  rule: Schema.String,
  message: Schema.String,
  bodies: Schema.Array(Schema.String),
  dates: Schema.Array(Schema.String),
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Violation = typeof Violation.Type

/**
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  rule: string,
  message: string,
  details: { readonly bodies?: ReadonlyArray<string>; readonly dates?: ReadonlyArray<string>; readonly source?: string } = {}
): Violation => ({
  rule,
  message,
  bodies: details.bodies ?? [],
  dates: details.dates ?? [],
  ...(details.source === undefined ? {} : { source: details.source })
})

/**
 * The typed failure carrying every violation found (never empty). The gateway maps it to 422.
 *
 * @category errors
 * @since 0.1.0
 */
export class RuleViolations extends Schema.TaggedError<RuleViolations>()("RuleViolations", {
  violations: Schema.NonEmptyArray(Violation)
}) {
  override get message(): string {
    return this.violations.map((v) => `${v.rule}: ${v.message}`).join("; ")
  }
}
