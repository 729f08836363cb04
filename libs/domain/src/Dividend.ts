/**
 * A protocol for sharing the dividend from more effective acute commissioning and from savings of prevention
 * and community services between councils and PCTs (london-councils-2009 App. 2): each partner's agreed share,
 * and the split of a saving exact to the penny.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Codes from "./Codes.ts"
import * as Money from "./Money.ts"
import * as Violation from "./Violation.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * A partner's agreed share, as a whole-number weight (60 and 40, or 3 and 2: only the ratio matters).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Share = Schema.Struct({ partner: Codes.BodyCode, share: Schema.Int })

/**
 * @category models
 * @since 0.1.0
 */
export type Share = typeof Share.Type

/**
 * @category schemas
 * @since 0.1.0
 */
export const Protocol = Schema.Struct({
  id: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  shares: Schema.NonEmptyArray(Share),
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Protocol = typeof Protocol.Type

/**
 * @category models
 * @since 0.1.0
 */
export interface PartnerDividend {
  readonly partner: Codes.BodyCode
  readonly amount: Money.Pence
}

const source = "london-councils-2009 App. 2"

// ---------------------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------------------

/**
 * Every violation in a protocol: `dividend/negative-share`, `dividend/duplicate-partner` and
 * `dividend/no-positive-share` (nobody would receive anything).
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (protocol: Protocol): ReadonlyArray<Violation.Violation> => {
  const out: Array<Violation.Violation> = []
  const codes = protocol.shares.map((s) => s.partner)
  for (const s of protocol.shares) {
    if (s.share < 0) {
      out.push(Violation.make("dividend/negative-share", `protocol ${protocol.id}: ${s.partner} has a negative share ${s.share}`, { bodies: [s.partner], source }))
    }
  }
  for (const d of new Set(codes.filter((c, i) => codes.indexOf(c) !== i))) {
    out.push(Violation.make("dividend/duplicate-partner", `protocol ${protocol.id}: ${d} is listed more than once`, { bodies: [d], source }))
  }
  if (!protocol.shares.some((s) => s.share > 0)) {
    out.push(Violation.make("dividend/no-positive-share", `protocol ${protocol.id}: no partner has a positive share`, { bodies: [...new Set(codes)], source }))
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// sharing
// ---------------------------------------------------------------------------------------------------------

/**
 * Splits `savings` between the partners by their shares, exact to the penny: the amounts always sum to
 * `savings` and each is within 1p of its exact share (largest remainder, ties to the partner listed first; see
 * `Money.allocate`). A negative saving (a cost overrun) is shared the same way. Fails with every violation of an
 * invalid protocol.
 *
 * @category sharing
 * @since 0.1.0
 */
export const share = (protocol: Protocol, savings: Money.Pence): Result.Result<ReadonlyArray<PartnerDividend>, Violation.RuleViolations> => {
  const violations = validate(protocol)
  if (violations.length > 0) {
    return Result.fail(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }))
  }
  const amounts = Money.allocate(savings, protocol.shares.map((s) => s.share))
  return Result.succeed(protocol.shares.map((s, i) => ({ partner: s.partner, amount: amounts[i]! })))
}
