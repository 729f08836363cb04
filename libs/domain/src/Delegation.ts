/**
 * Delegations of commissioning functions (DOMAIN.md §3): a delegator hands the exercise of a function for a
 * population to a delegate (a body, or a joint arrangement of several bodies) for a period, while statutory
 * responsibility stays with the holder (southwark-2015 §14). Holdings record who holds a function in the first
 * place. The rules are in `DelegationRules.ts`, the "who is accountable / who decides" answer in
 * `DelegationResolution.ts`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Codes from "./Codes.ts"
import * as Period from "./Period.ts"

// ---------------------------------------------------------------------------------------------------------
// functions
// ---------------------------------------------------------------------------------------------------------

/**
 * The commissioning functions the board papers delegate. The first seven are decision-making; the last three
 * are the support services of a Commissioning Business Service (london-2006 §3.1), which a support body may
 * provide.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CommissioningFunction = Schema.Literals([
  "acute-commissioning",
  "contract-management",
  "financial-control",
  "primary-care-commissioning",
  "urgent-care-budget",
  "specialised-commissioning",
  "collective-procurement",
  "commissioning-intelligence",
  "service-specification",
  "contracting-support"
])

/**
 * @category models
 * @since 0.1.0
 */
export type CommissioningFunction = typeof CommissioningFunction.Type

/**
 * What is known about a function: a label, whether exercising it is taking decisions, and the paper it is
 * named in.
 *
 * @category models
 * @since 0.1.0
 */
export interface FunctionInfo {
  readonly label: string
  readonly decisionMaking: boolean
  readonly source: string
}

/**
 * @category constants
 * @since 0.1.0
 */
export const functionInfo: { readonly [F in CommissioningFunction]: FunctionInfo } = {
  "acute-commissioning": { label: "Acute hospital commissioning", decisionMaking: true, source: "southwark-2010 §2" },
  "contract-management": { label: "Contract management", decisionMaking: true, source: "southwark-2010 §2" },
  "financial-control": { label: "Financial control", decisionMaking: true, source: "southwark-2010 §2" },
  "primary-care-commissioning": {
    label: "Primary care (GP services) commissioning",
    decisionMaking: true,
    source: "southwark-2015 §10, §14-16"
  },
  "urgent-care-budget": { label: "Urgent care budget", decisionMaking: true, source: "southampton-2011 §13" },
  "specialised-commissioning": { label: "Specialised commissioning", decisionMaking: true, source: "london-2006 §104" },
  "collective-procurement": { label: "Collective procurement", decisionMaking: true, source: "london-2006 §111" },
  "commissioning-intelligence": {
    label: "Public health and service intelligence, strategic analysis",
    decisionMaking: false,
    source: "london-2006 §3.1a"
  },
  "service-specification": {
    label: "Service specifications, clinical standards, quality assurance",
    decisionMaking: false,
    source: "london-2006 §3.1b"
  },
  "contracting-support": { label: "Contracting and management support", decisionMaking: false, source: "london-2006 §3.1c" }
}

/**
 * The three levels of primary care co-commissioning, lowest first (southwark-2015 §15): greater involvement in
 * NHS England's decisions, joint decisions of NHS England and the CCG, and delegated commissioning by the CCG.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CoCommissioningLevel = Schema.Literals(["greater-involvement", "joint", "delegated"])

/**
 * @category models
 * @since 0.1.0
 */
export type CoCommissioningLevel = typeof CoCommissioningLevel.Type

/**
 * The position of a level on the ladder: greater-involvement 1, joint 2, delegated 3.
 *
 * @category accessors
 * @since 0.1.0
 */
export const levelRank = (level: CoCommissioningLevel): number =>
  level === "greater-involvement" ? 1 : level === "joint" ? 2 : 3

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * Who receives a delegation: one body (which may itself be a group, such as a joint committee with its own
 * code), or a joint arrangement of several bodies that has no code of its own.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Delegate = Schema.Union([
  Schema.TaggedStruct("Body", { code: Codes.BodyCode }),
  Schema.TaggedStruct("Joint", { members: Schema.NonEmptyArray(Codes.BodyCode) })
])

/**
 * @category models
 * @since 0.1.0
 */
export type Delegate = typeof Delegate.Type

/**
 * Whether an arrangement is in force (`agreed`) or only proposed or requested in a paper (`proposed`). Proposed
 * delegations are checked by the rules like any other, but resolution ignores them unless asked.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Status = Schema.Literals(["agreed", "proposed"])

/**
 * @category models
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * One delegation. `id` is a stable name for people and violations; `population` lists the bodies (whose
 * population is meant) or areas (GSS codes) covered; `level` is set for primary care co-commissioning only;
 * `status` defaults to `agreed`; `source` names the paper and paragraph.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Delegation = Schema.Struct({
  id: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  function: CommissioningFunction,
  delegator: Codes.BodyCode,
  delegate: Delegate,
  population: Schema.NonEmptyArray(Codes.BodyCode),
  period: Period.Period,
  level: Schema.optionalKey(CoCommissioningLevel),
  status: Schema.optionalKey(Status),
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Delegation = typeof Delegation.Type

/**
 * Statutory responsibility: `holder` holds `function` for `population` during `period` (a PCT for its own
 * population; NHS England for primary care, southwark-2015 §14). Delegation never moves a holding.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Holding = Schema.Struct({
  function: CommissioningFunction,
  holder: Codes.BodyCode,
  population: Schema.NonEmptyArray(Codes.BodyCode),
  period: Period.Period,
  source: Schema.optionalKey(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type Holding = typeof Holding.Type

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * @category constructors
 * @since 0.1.0
 */
export const toBody = (code: Codes.BodyCode): Delegate => ({ _tag: "Body", code })

/**
 * @category constructors
 * @since 0.1.0
 */
export const jointOf = (members: readonly [Codes.BodyCode, ...Array<Codes.BodyCode>]): Delegate => ({
  _tag: "Joint",
  members
})

// ---------------------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------------------

/**
 * The bodies a delegate consists of.
 *
 * @category accessors
 * @since 0.1.0
 */
export const delegateBodies = (delegate: Delegate): ReadonlyArray<Codes.BodyCode> =>
  delegate._tag === "Body" ? [delegate.code] : delegate.members

/**
 * `agreed` unless recorded otherwise.
 *
 * @category accessors
 * @since 0.1.0
 */
export const statusOf = (delegation: Delegation): Status => delegation.status ?? "agreed"

/**
 * Whether a delegation covers a population code.
 *
 * @category predicates
 * @since 0.1.0
 */
export const covers = (delegation: Delegation | Holding, code: string): boolean =>
  delegation.population.some((p) => p === code)

/**
 * Whether two delegations or holdings share a population code.
 *
 * @category predicates
 * @since 0.1.0
 */
export const sharePopulation = (a: Delegation | Holding, b: Delegation | Holding): boolean =>
  a.population.some((p) => b.population.includes(p))

// ---------------------------------------------------------------------------------------------------------
// formatting
// ---------------------------------------------------------------------------------------------------------

/**
 * The delegate for people: `JC-LSL` or `joint(08Q, X24)`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatDelegate = (delegate: Delegate): string =>
  delegate._tag === "Body" ? delegate.code : `joint(${delegate.members.join(", ")})`

/**
 * One line for violations and logs: `southwark-2010-acute (acute-commissioning 5LE -> JC-LSL [2009-04-01, 2010-07-01))`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (d: Delegation): string =>
  `${d.id} (${d.function}${d.level === undefined ? "" : ` ${d.level}`} ${d.delegator} -> ${formatDelegate(d.delegate)} ${Period.format(d.period)})`
