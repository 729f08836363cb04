/**
 * Budget positions recomputed after ingest (ARCHITECTURE.md, "Pull (ingest)"): a committed page of budget
 * lines, council spend, allocations, contract activity or pooled-fund statements names the positions it
 * affects (body, financial year, basis); each is recomputed with the kernel's `Position` rules from the plan
 * and monthly actuals the store sums, one row per month that has actuals, and stored in place of the old ones.
 * Recomputing from unchanged records writes nothing.
 *
 * @since 0.1.0
 */
import { Budget, Codes, FinancialYear, Money, Position } from "@hub/domain"
import { BudgetRepo, type RecordKinds } from "@hub/store"
import { Effect, Schema } from "effect"
import { type StoreFailure, storeFailure } from "./HubError.ts"

/**
 * Whose position, for which year and on which basis (the store's key).
 *
 * @category models
 * @since 0.1.0
 */
export type Key = BudgetRepo.PositionKey

/**
 * What a recompute did: the keys recomputed, the positions they hold now, rows written and rows removed.
 *
 * @category models
 * @since 0.1.0
 */
export interface Recomputed {
  readonly keys: number
  readonly positions: number
  readonly written: number
  readonly removed: number
}

type KeyOf<K extends RecordKinds.RecordKind> = (record: RecordKinds.Rows[K]) => Key

const keyOf: { readonly [K in RecordKinds.RecordKind]?: KeyOf<K> } = {
  "budget-line": (r) => ({ bodyCode: r.organisation, financialYear: r.financialYear, basis: "council-budget" }),
  "council-spend-line": (r) => ({ bodyCode: r.council, financialYear: FinancialYear.ofDate(r.paymentDate), basis: "council-budget" }),
  "allocation-line": (r) => ({ bodyCode: r.organisationCode, financialYear: r.financialYear, basis: "commissioner-allocation" }),
  "contract-activity-line": (r) => ({ bodyCode: r.commissionerCode, financialYear: r.financialYear, basis: "commissioner-allocation" }),
  "pooled-fund-statement-line": (r) => ({ bodyCode: r.fundId, financialYear: r.financialYear, basis: "pooled-fund" })
}

const keyText = (key: Key): string => JSON.stringify([key.bodyCode, key.financialYear, key.basis])

/**
 * The distinct positions a batch of records of `kind` affects, in first-seen order (none for kinds that plan
 * or spend nothing). Plain code over the batch.
 *
 * @category keys
 * @since 0.1.0
 */
export const affectedBy = <K extends RecordKinds.RecordKind>(kind: K, records: ReadonlyArray<RecordKinds.Rows[K]>): ReadonlyArray<Key> => {
  const of = keyOf[kind] as KeyOf<K> | undefined
  if (of === undefined) return []
  const out = new Map<string, Key>()
  for (const record of records) {
    const text = keyText(of(record))
    // The key is rebuilt from its text: a record's strings may be slices of the whole page's text, and a key
    // kept for the rest of a run must not keep every page it came from alive.
    if (!out.has(text)) out.set(text, keyOfText(text))
  }
  return [...out.values()]
}

const keyOfText = (text: string): Key => {
  const [bodyCode, financialYear, basis] = JSON.parse(text) as [string, string, Key["basis"]]
  return { bodyCode, financialYear, basis }
}

/**
 * Distinct keys, in first-seen order.
 *
 * @category keys
 * @since 0.1.0
 */
export const distinct = (keys: Iterable<Key>): ReadonlyArray<Key> => {
  const out = new Map<string, Key>()
  for (const key of keys) if (!out.has(keyText(key))) out.set(keyText(key), key)
  return [...out.values()]
}

const isYear = Schema.is(FinancialYear.FinancialYear)
const isMonth = Schema.is(FinancialYear.Month)

/**
 * The kernel's holder code for a record's body: the code itself, or upper-cased (council ids such as
 * `manchester` are lower case), or `undefined` when neither is a body code.
 */
const holderOf = (code: string): Codes.BodyCode | undefined =>
  Codes.isBodyCode(code) ? code : Codes.isBodyCode(code.toUpperCase()) ? (code.toUpperCase() as Codes.BodyCode) : undefined

/** The allocation type that funds running costs: planned as administration, and its cap (FinancialReturnPreparation). */
const runningCosts = "running-costs"

/**
 * The positions of one key from its summed sources, in plain code: the budget (programme, administration and
 * cap by basis), the monthly plan profile where the sources give one (pooled funds plan by month), and a
 * position at the end of every month that has actuals. No plan, an unreadable year or body code: no positions.
 *
 * @category computation
 * @since 0.1.0
 */
export const compute = (key: Key, sources: BudgetRepo.PositionSources): ReadonlyArray<BudgetRepo.StoredPosition> => {
  const holder = holderOf(key.bodyCode)
  if (sources.plan.length === 0 || holder === undefined || !isYear(key.financialYear)) return []
  const year = key.financialYear
  const sum = (parts: ReadonlyArray<BudgetRepo.SourceSum>) => Money.sum(parts.map((p) => p.amount))
  const administration = key.basis === "commissioner-allocation" ? sum(sources.plan.filter((p) => p.part === runningCosts)) : Money.zero
  const budget: Budget.Budget = {
    holder,
    year,
    programme: Money.subtract(sum(sources.plan), administration),
    administration,
    ...(key.basis === "commissioner-allocation" && sources.plan.some((p) => p.part === runningCosts) ? { administrationCap: administration } : {})
  }
  const profile = key.basis === "pooled-fund"
    ? FinancialYear.months.map((m) => sum(sources.plan.filter((p) => p.month === m)))
    : undefined
  const actuals = sources.actuals.filter((a) => a.month !== undefined && isMonth(a.month))
  const input: Position.PositionInput = {
    budget,
    ...(profile === undefined ? {} : { profile }),
    actuals: actuals.map((a) => ({ month: a.month as FinancialYear.Month, programme: a.amount, administration: Money.zero }))
  }
  const planRows = sources.plan.reduce((n, p) => n + p.rows, 0)
  const budgetFlags = Budget.validate([budget])
  const months = [...new Set(input.actuals.map((a) => a.month))].sort((a, b) => a - b)
  return months.map((month): BudgetRepo.StoredPosition => {
    const p = Position.at(input, month)
    const admin = p.administration
    return {
      ...key,
      month,
      annualPlan: p.annualPlan,
      planToDate: p.planToDate,
      actualToDate: p.actualToDate,
      variance: p.variance,
      forecastOutturn: p.forecastOutturn,
      forecastMethod: p.forecastMethod,
      forecastVariance: p.forecastVariance,
      overspend: p.overspend,
      adminPlanned: admin.planned,
      adminActualToDate: admin.actualToDate,
      adminForecastOutturn: admin.forecastOutturn,
      ...(admin.cap === undefined ? {} : { adminCap: admin.cap }),
      ...(admin.headroom === undefined ? {} : { adminHeadroom: admin.headroom }),
      adminBreach: admin.breach,
      flags: [...budgetFlags, ...Position.flags(p)].map((v) => ({ rule: v.rule, message: v.message })),
      sourceRows: planRows + actuals.filter((a) => (a.month ?? 13) <= month).reduce((n, a) => n + a.rows, 0)
    }
  })
}

/**
 * Recomputes the positions of `keys` and stores them in one transaction (months without actuals any more are
 * removed; unchanged rows are left alone).
 *
 * @category use cases
 * @since 0.1.0
 */
export const recompute = (keys: ReadonlyArray<Key>): Effect.Effect<Recomputed, StoreFailure, BudgetRepo.BudgetRepo> =>
  Effect.gen(function*() {
    const unique = distinct(keys)
    if (unique.length === 0) return { keys: 0, positions: 0, written: 0, removed: 0 }
    const repo = yield* BudgetRepo.BudgetRepo
    const computed = yield* Effect.forEach(unique, (key) =>
      repo.positionSources(key).pipe(Effect.map((sources) => ({ key, positions: compute(key, sources) }))))
    const { written, removed } = yield* repo.replacePositions(computed)
    const outcome: Recomputed = { keys: unique.length, positions: computed.reduce((n, c) => n + c.positions.length, 0), written, removed }
    yield* Effect.logDebug("recomputed budget positions").pipe(Effect.annotateLogs({ ...outcome }))
    return outcome
  }).pipe(Effect.mapError(storeFailure("recomputing budget positions")))

/**
 * Recomputes every position the stored budget lines, allocations and pooled-fund statements plan for (at
 * start, so positions left behind by a process killed between a page's commit and its recompute catch up).
 *
 * @category use cases
 * @since 0.1.0
 */
export const recomputeAll = (): Effect.Effect<Recomputed, StoreFailure, BudgetRepo.BudgetRepo> =>
  Effect.gen(function*() {
    const repo = yield* BudgetRepo.BudgetRepo
    const keys = yield* repo.positionKeys().pipe(Effect.mapError(storeFailure("listing budget positions")))
    return yield* recompute(keys)
  })
