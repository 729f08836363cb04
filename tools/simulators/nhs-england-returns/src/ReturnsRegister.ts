/**
 * NHS England's register of submissions and their asynchronous processing: a well-formed submission is
 * received as the next version for its period (`pending`), later processed in order of receipt into exactly
 * one acknowledgement (accepted, superseding the period's previous current version, or rejected with reasons),
 * appended to the acknowledgement stream.
 *
 * @since 0.1.0
 */
import type { Allocations } from "./Allocations.ts"
import * as Submissions from "./Submissions.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * @category models
 * @since 0.1.0
 */
export type Kind = "financial-return" | "co-commissioning-declaration"

/**
 * A received submission as `GET /v1/submissions/{id}` shows it (the `202` body is its first state).
 *
 * @category models
 * @since 0.1.0
 */
export interface SubmissionStatus {
  readonly submissionId: string
  readonly kind: Kind
  readonly status: "pending" | "accepted" | "rejected" | "superseded"
  readonly commissionerCode: string
  readonly financialYear: string
  readonly month?: string
  readonly version: number
  readonly idempotencyKey: string | null
  readonly receivedAt: string
  readonly acknowledgementId: string | null
}

/**
 * One entry of the acknowledgement stream.
 *
 * @category models
 * @since 0.1.0
 */
export interface Acknowledgement {
  readonly acknowledgementId: string
  readonly sequence: number
  readonly submissionId: string
  readonly kind: Kind
  readonly commissionerCode: string
  readonly financialYear: string
  readonly month?: string
  readonly version: number
  readonly idempotencyKey: string | null
  readonly receivedAt: string
  readonly acknowledgedAt: string
  readonly outcome: "accepted" | "rejected"
  readonly supersedes: string | null
  readonly reasons: ReadonlyArray<Submissions.Reason>
  readonly warnings: ReadonlyArray<Submissions.Reason>
}

type Received =
  | { readonly kind: "financial-return"; readonly body: Submissions.FinancialReturn }
  | { readonly kind: "co-commissioning-declaration"; readonly body: Submissions.CoCommissioningDeclaration }

interface Entry {
  status: SubmissionStatus
  readonly received: Received
  readonly periodKey: string
  /** The latest version received for the period before this one, when this one's given version is older. */
  readonly staleAgainst: number | undefined
}

/**
 * @category models
 * @since 0.1.0
 */
export interface ReturnsRegister {
  /** Receives a well-formed submission under an optional idempotency key: the `202` body. */
  readonly receive: (received: Received, idempotencyKey: string | undefined) => SubmissionStatus
  /** Processes every pending submission received up to `upTo` (default: all), in order; returns their ids. */
  readonly process: (upTo?: string) => ReadonlyArray<string>
  readonly get: (submissionId: string) => SubmissionStatus | undefined
  /** Acknowledgements with `sequence > after`, at most `limit`. */
  readonly acknowledgements: (after: number, limit: number) => ReadonlyArray<Acknowledgement>
  readonly acknowledgementCount: () => number
  readonly reset: () => void
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

const pad = (n: number): string => String(n).padStart(6, "0")

/**
 * An empty register judging submissions against `allocations` as at `today`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (context: { readonly today: string; readonly allocations: Allocations }): ReturnsRegister => {
  // A logical clock: receipts and acknowledgements are stamped on `today`, one second apart, so answers never
  // depend on the wall clock.
  const clockStartMs = Date.parse(`${context.today}T09:00:00Z`)
  let ticks = 0
  const tick = (): string => new Date(clockStartMs + ticks++ * 1000).toISOString().replace(/\.\d{3}Z$/u, "Z")
  let entries = new Map<string, Entry>()
  let pending: Array<string> = []
  let acks: Array<Acknowledgement> = []
  let received = 0
  /** Submissions received per period, for versions. */
  let versions = new Map<string, number>()
  /** The current (latest accepted, not superseded) submission per period. */
  let current = new Map<string, string>()

  const receive = (r: Received, idempotencyKey: string | undefined): SubmissionStatus => {
    received += 1
    const month = r.kind === "financial-return" ? r.body.month : undefined
    const periodKey = [r.kind, r.body.commissionerCode, r.body.financialYear, month ?? ""].join("|")
    const latest = versions.get(periodKey)
    const version = r.body.version ?? (latest ?? 0) + 1
    versions.set(periodKey, Math.max(latest ?? 0, version))
    const staleAgainst = r.body.version !== undefined && latest !== undefined && r.body.version < latest ? latest : undefined
    const status: SubmissionStatus = {
      submissionId: `${r.kind === "financial-return" ? "NHSE-FR" : "NHSE-CC"}-${pad(received)}`,
      kind: r.kind,
      status: "pending",
      commissionerCode: r.body.commissionerCode,
      financialYear: r.body.financialYear,
      ...(month === undefined ? {} : { month }),
      version,
      idempotencyKey: idempotencyKey ?? null,
      receivedAt: tick(),
      acknowledgementId: null
    }
    entries.set(status.submissionId, { status, received: r, periodKey, staleAgainst })
    pending.push(status.submissionId)
    return status
  }

  /** The level of the commissioner's latest accepted declaration for a year before `financialYear`. */
  const previousLevel = (commissionerCode: string, financialYear: string) => {
    let best: Submissions.CoCommissioningDeclaration | undefined
    for (const id of current.values()) {
      const e = entries.get(id) as Entry
      if (e.received.kind !== "co-commissioning-declaration") continue
      const d = e.received.body
      if (d.commissionerCode === commissionerCode && d.financialYear < financialYear && (best === undefined || d.financialYear > best.financialYear)) best = d
    }
    return best?.level
  }

  const processOne = (id: string): void => {
    const entry = entries.get(id) as Entry
    const r = entry.received
    const checked = r.kind === "financial-return"
      ? Submissions.checkFinancialReturn(r.body, context)
      : { reasons: Submissions.checkDeclaration(r.body, { today: context.today, previousLevel: previousLevel(r.body.commissionerCode, r.body.financialYear) }), warnings: [] }
    const stale: ReadonlyArray<Submissions.Reason> = entry.staleAgainst === undefined ? [] : [{
      code: "STALE_VERSION",
      field: "version",
      message: `version ${entry.status.version} is older than version ${entry.staleAgainst}, already received for this period`
    }]
    const reasons = [...checked.reasons, ...stale]
    const warnings = checked.warnings
    const accepted = reasons.length === 0
    const supersedes = accepted ? (current.get(entry.periodKey) ?? null) : null
    const sequence = acks.length + 1
    const ack: Acknowledgement = {
      acknowledgementId: `NHSE-ACK-${pad(sequence)}`,
      sequence,
      submissionId: id,
      kind: r.kind,
      commissionerCode: entry.status.commissionerCode,
      financialYear: entry.status.financialYear,
      ...(entry.status.month === undefined ? {} : { month: entry.status.month }),
      version: entry.status.version,
      idempotencyKey: entry.status.idempotencyKey,
      receivedAt: entry.status.receivedAt,
      acknowledgedAt: tick(),
      outcome: accepted ? "accepted" : "rejected",
      supersedes,
      reasons,
      warnings
    }
    acks.push(ack)
    entry.status = { ...entry.status, status: accepted ? "accepted" : "rejected", acknowledgementId: ack.acknowledgementId }
    if (supersedes !== null) {
      const old = entries.get(supersedes) as Entry
      old.status = { ...old.status, status: "superseded" }
    }
    if (accepted) current.set(entry.periodKey, id)
  }

  const process = (upTo?: string): ReadonlyArray<string> => {
    const end = upTo === undefined ? pending.length : pending.indexOf(upTo) + 1
    const batch = pending.slice(0, end)
    pending = pending.slice(end)
    batch.forEach(processOne)
    return batch
  }

  return {
    receive,
    process,
    get: (id) => entries.get(id)?.status,
    acknowledgements: (after, limit) => acks.slice(Math.max(0, after), Math.max(0, after) + limit),
    acknowledgementCount: () => acks.length,
    reset: () => {
      entries = new Map()
      pending = []
      acks = []
      received = 0
      versions = new Map()
      current = new Map()
    }
  }
}
