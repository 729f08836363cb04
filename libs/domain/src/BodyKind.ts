/**
 * The kinds of body in English commissioning (DOMAIN.md §1), as data. A kind is recorded with each body and
 * never inferred from its code: Q-codes have meant SHAs, NHS England offices and ICBs at different times.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @category schemas
 * @since 0.1.0
 */
export const BodyKind = Schema.Literals([
  "strategic-health-authority",
  "primary-care-trust",
  "sector",
  "local-commissioning-group",
  "london-commissioning-group",
  "joint-committee",
  "commissioning-support",
  "council",
  "gp-practice",
  "gp-consortium",
  "clinical-commissioning-group",
  "nhs-england",
  "integrated-care-board",
  "health-and-wellbeing-board",
  "joint-commissioning-unit",
  "nhs-trust"
])

/**
 * @category models
 * @since 0.1.0
 */
export type BodyKind = typeof BodyKind.Type

/**
 * What is known about each kind: a label for people, whether bodies of the kind are normally statutory, the ODS
 * role where ODS registers them, whether they commission (hold commissioning functions), and where the kind is
 * described in the board papers.
 *
 * @category models
 * @since 0.1.0
 */
export interface KindInfo {
  readonly label: string
  readonly statutory: boolean
  readonly odsRole?: string
  readonly commissioner: boolean
  /** Support bodies may never receive a decision-making function (london-2006 §3.2). */
  readonly decisionMaking: boolean
  readonly source?: string
}

/**
 * @category constants
 * @since 0.1.0
 */
export const info: { readonly [K in BodyKind]: KindInfo } = {
  "strategic-health-authority": { label: "Strategic Health Authority", statutory: true, commissioner: false, decisionMaking: true, source: "london-2006 §103, §112" },
  "primary-care-trust": { label: "Primary Care Trust", statutory: true, odsRole: "RO179", commissioner: true, decisionMaking: true },
  sector: { label: "Sector", statutory: false, commissioner: false, decisionMaking: true, source: "southwark-2010 §2; london-councils-2009 §7, §20" },
  "local-commissioning-group": { label: "Local Commissioning Group", statutory: false, commissioner: true, decisionMaking: true, source: "london-2006 §2.1, §106-110" },
  "london-commissioning-group": { label: "London Commissioning Group", statutory: false, commissioner: true, decisionMaking: true, source: "london-2006 §2.2, §104-105" },
  "joint-committee": { label: "Joint committee", statutory: false, commissioner: true, decisionMaking: true, source: "southwark-2010 §2" },
  "commissioning-support": { label: "Commissioning Business Service", statutory: false, commissioner: false, decisionMaking: false, source: "london-2006 §3.1-3.2" },
  council: { label: "Council", statutory: true, odsRole: "RO141", commissioner: true, decisionMaking: true },
  "gp-practice": { label: "GP practice", statutory: false, odsRole: "RO76", commissioner: false, decisionMaking: true },
  "gp-consortium": { label: "GP commissioning consortium", statutory: false, commissioner: true, decisionMaking: true, source: "southampton-2011 §7" },
  "clinical-commissioning-group": { label: "Clinical Commissioning Group", statutory: true, odsRole: "RO98", commissioner: true, decisionMaking: true },
  "nhs-england": { label: "NHS England", statutory: true, commissioner: true, decisionMaking: true, source: "southampton-2011 §8; southwark-2015 §14" },
  "integrated-care-board": { label: "Integrated Care Board", statutory: true, odsRole: "RO318", commissioner: true, decisionMaking: true },
  "health-and-wellbeing-board": { label: "Health and Wellbeing Board", statutory: true, commissioner: false, decisionMaking: true, source: "southampton-2011 §5" },
  "joint-commissioning-unit": { label: "Joint commissioning unit", statutory: false, commissioner: true, decisionMaking: true, source: "london-councils-2009 App. 2" },
  "nhs-trust": { label: "NHS trust (provider)", statutory: true, commissioner: false, decisionMaking: true }
}

/**
 * Health bodies are the commissioners coterminosity compares with councils.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isHealthCommissioner = (kind: BodyKind): boolean =>
  kind === "primary-care-trust" || kind === "clinical-commissioning-group" || kind === "integrated-care-board" ||
  kind === "gp-consortium"
