/**
 * Prepares a commissioner's monthly financial return to NHS England from what the hub has ingested: the plan
 * from its published allocations, the actuals from its contract activity costs (London CBS) and from the spend
 * of its partner councils, the forecast and flags from the kernel's `Position` rules. The return goes into the
 * outbox under its business idempotency key; a return whose figures changed is the next version, superseding
 * the previous one; preparing unchanged figures again returns the stored version.
 *
 * @since 0.1.0
 */
import { type Budget, Codes, FinancialYear, Money, Position, type Violation } from "@hub/domain"
import { FinancialReturn } from "@hub/plugin-sdk"
import { OutboxRepo, type RecordKinds, RecordRepo } from "@hub/store"
import { Effect, Result, Schema } from "effect"
import { type StoreFailure, storeFailure, SubmissionProblem } from "./HubError.ts"

/**
 * Which return, and where its sources come from (registry ids of the plugins that ingested them).
 *
 * @category models
 * @since 0.1.0
 */
export interface Request {
  /** The plugin the return is pushed through (and whose outbox series it belongs to). */
  readonly plugin: string
  readonly commissioner: string
  readonly financialYear: string
  readonly month: number
  readonly sources: {
    readonly allocations: string
    readonly activity: string
    /** Spend of partner councils counted in the return (the `other-programme` line): plugin and council ids. */
    readonly councilSpend?: { readonly plugin: string; readonly councils: ReadonlyArray<string> } | undefined
  }
}

/**
 * One line of the return with where its figures came from.
 *
 * @category models
 * @since 0.1.0
 */
export interface PreparedLine {
  readonly code: string
  readonly plan: Money.Pence
  readonly actualToDate: Money.Pence
  readonly forecastOutturn: Money.Pence
  readonly sourceRows: number
}

/**
 * What preparing did: the outbox entry (new or the stored one), the return, the position of the whole budget
 * and its flags (an overspend or administration breach is reported, not refused).
 *
 * @category models
 * @since 0.1.0
 */
export interface Prepared {
  readonly entry: OutboxRepo.OutboxEntry
  readonly created: boolean
  readonly lines: ReadonlyArray<PreparedLine>
  readonly position: Position.Position
  readonly flags: ReadonlyArray<Violation.Violation>
}

/** The return's push kind and record type. */
export const kind = "financial-return"

/** The allocation types NHS England publishes, and the return line each plans. */
const lineOfAllocation: Readonly<Record<string, string>> = {
  "core-services": "acute",
  "primary-care": "primary-care",
  "running-costs": "running-costs"
}

/**
 * The outbox period of a return: `2013/14 M1`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const periodOf = (financialYear: string, month: number): string => `${financialYear} M${month}`

const pageSize = 10_000

/** Every record of `kind` the filter selects (body, financial year), read in pages in the database's key order from `offset`. */
const listAll = <K extends RecordKinds.RecordKind>(kind: K, filter: RecordRepo.RecordFilter, from = 0) =>
  Effect.gen(function*() {
    const repo = yield* RecordRepo.RecordRepo
    const out: Array<RecordKinds.Rows[K]> = []
    for (let offset = from;; offset += pageSize) {
      const page = yield* repo.list(kind, { ...filter, limit: pageSize, offset })
      out.push(...page)
      if (page.length < pageSize) return out
    }
  })

/** A first page (read with the others in one statement) completed by the pages after it, if it was full. */
const rest = <K extends RecordKinds.RecordKind>(kind: K, filter: RecordRepo.RecordFilter, first: ReadonlyArray<RecordKinds.Rows[K]>) =>
  first.length < pageSize
    ? Effect.succeed(first)
    : Effect.map(listAll(kind, filter, pageSize), (more) => [...first, ...more])

/** Sums by month 1..12 (index 0 = M1). */
const byMonth = (rows: ReadonlyArray<{ readonly month: number; readonly amount: number }>): Array<number> => {
  const months = Array.from({ length: 12 }, () => 0)
  for (const r of rows) months[r.month - 1] = (months[r.month - 1] ?? 0) + r.amount
  return months
}

const encodeReturn = Schema.encodeSync(FinancialReturn.FinancialReturn)
const decodeYear = Schema.decodeUnknownResult(FinancialYear.FinancialYear)
const decodeMonth = Schema.decodeUnknownResult(FinancialYear.Month)
const decodeCode = Schema.decodeUnknownResult(Codes.OdsCode)
const decodeBody = Schema.decodeUnknownResult(Codes.BodyCode)

/**
 * The figures of a return, computed in plain code from the ingested rows: plan per allocation type, actuals
 * to date per line (activity costs on `acute`, partner councils' spend on `other-programme`), forecasts by the
 * kernel's run rate, and the position of the whole budget.
 *
 * @category computation
 * @since 0.1.0
 */
export const compute = (input: {
  readonly commissioner: Codes.OdsCode
  /** The same commissioner as the kernel's body code (the budget's holder). */
  readonly holder: Codes.BodyCode
  readonly financialYear: FinancialYear.FinancialYear
  readonly month: FinancialYear.Month
  readonly allocations: ReadonlyArray<RecordKinds.AllocationLine>
  readonly activity: ReadonlyArray<RecordKinds.ContractActivityLine>
  readonly councilSpend: ReadonlyArray<RecordKinds.CouncilSpendLine>
}): Result.Result<{ readonly lines: ReadonlyArray<PreparedLine>; readonly position: Position.Position }, string> => {
  const allocations = input.allocations.filter((a) => a.organisationCode === input.commissioner && a.financialYear === input.financialYear)
  if (allocations.length === 0) return Result.fail(`no allocation of ${input.commissioner} for ${input.financialYear} has been ingested`)
  const unknown = allocations.filter((a) => lineOfAllocation[a.allocationType] === undefined)
  if (unknown.length > 0) return Result.fail(`allocation types ${unknown.map((a) => a.allocationType).join(", ")} have no line in the return`)
  const planOf = (code: string) => Money.sum(allocations.filter((a) => lineOfAllocation[a.allocationType] === code).map((a) => a.amount))
  const activity = input.activity.filter((a) => a.commissionerCode === input.commissioner && a.financialYear === input.financialYear)
  const spend = input.councilSpend
    .map((s) => ({ ...FinancialYear.monthOfDate(s.paymentDate), amount: s.amount }))
    .filter((s) => s.year === input.financialYear)
  const activityByMonth = byMonth(activity.map((a) => ({ month: a.month, amount: a.actualCost })))
  const spendByMonth = byMonth(spend)
  const lineFor = (code: string, monthly: ReadonlyArray<number>, sourceRows: number): PreparedLine => {
    const plan = planOf(code)
    const actuals = monthly.map((amount, i) => ({ month: (i + 1) as FinancialYear.Month, programme: Money.pence(amount), administration: Money.zero }))
    const position = Position.at({ budget: { holder: input.holder, year: input.financialYear, programme: plan, administration: Money.zero }, actuals }, input.month)
    return { code, plan, actualToDate: position.actualToDate, forecastOutturn: position.forecastOutturn, sourceRows }
  }
  const none = Array.from({ length: 12 }, () => 0)
  const lines: Array<PreparedLine> = [
    lineFor("acute", activityByMonth, activity.filter((a) => a.month <= input.month).length),
    ...(planOf("primary-care") === 0 ? [] : [lineFor("primary-care", none, 0)]),
    ...(spend.length === 0 ? [] : [lineFor("other-programme", spendByMonth, spend.filter((s) => s.month <= input.month).length)]),
    ...(planOf("running-costs") === 0 ? [] : [lineFor("running-costs", none, 0)])
  ]
  const runningCosts = planOf("running-costs")
  const budget: Budget.Budget = {
    holder: input.holder,
    year: input.financialYear,
    programme: Money.subtract(Money.sum(lines.map((l) => l.plan)), runningCosts),
    administration: runningCosts,
    administrationCap: runningCosts,
    source: "NHS England published allocations"
  }
  const position = Position.at({
    budget,
    actuals: Array.from({ length: 12 }, (_, i) => ({
      month: (i + 1) as FinancialYear.Month,
      programme: Money.pence((activityByMonth[i] ?? 0) + (spendByMonth[i] ?? 0)),
      administration: Money.zero
    }))
  }, input.month)
  return Result.succeed({ lines, position })
}

/** JSON with object keys sorted: a payload read back from a `jsonb` column has its keys in another order. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : typeof value === "object" && value !== null
    ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`
    : JSON.stringify(value)

/** Whether two return payloads carry the same figures (their versions aside). */
export const sameFigures = (a: unknown, b: unknown): boolean => {
  const strip = (p: unknown) => (typeof p === "object" && p !== null ? { ...p, version: 0 } : p)
  return canonical(strip(a)) === canonical(strip(b))
}

/**
 * Prepares the return into the outbox (see the module comment).
 *
 * @category use cases
 * @since 0.1.0
 */
export const prepare = (request: Request): Effect.Effect<
  Prepared,
  StoreFailure | SubmissionProblem,
  RecordRepo.RecordRepo | OutboxRepo.OutboxRepo
> =>
  Effect.gen(function*() {
    const outbox = yield* OutboxRepo.OutboxRepo
    const series: OutboxRepo.Series = { plugin: request.plugin, kind, body: request.commissioner, period: periodOf(request.financialYear, request.month) }
    const problem = (reason: string) => new SubmissionProblem({ key: OutboxRepo.idempotencyKey(series, 1).replace(/:v1$/u, ""), reason })
    const year = decodeYear(request.financialYear)
    const month = decodeMonth(request.month)
    const code = decodeCode(request.commissioner)
    const holder = decodeBody(request.commissioner)
    if (Result.isFailure(year) || Result.isFailure(month) || Result.isFailure(code) || Result.isFailure(holder)) {
      return yield* problem(`${request.commissioner} ${request.financialYear} M${request.month} is not a commissioner code, financial year and month`)
    }
    // Only the commissioner's (and its partner councils') rows of the year are read, not whole tables: their first
    // pages in one statement (one round trip).
    const ofYear = { financialYear: year.success }
    const councils = request.sources.councilSpend?.councils ?? []
    const allocationsFilter = { plugin: request.sources.allocations, body: code.success, ...ofYear }
    const activityFilter = { plugin: request.sources.activity, body: code.success, ...ofYear }
    const spendFilter = request.sources.councilSpend === undefined || councils.length === 0
      ? undefined
      : { plugin: request.sources.councilSpend.plugin, body: councils, ...ofYear }
    const { activity, allocations, councilSpend } = yield* Effect.gen(function*() {
      const records = yield* RecordRepo.RecordRepo
      const both = {
        allocations: { kind: "allocation-line", filter: { ...allocationsFilter, limit: pageSize } },
        activity: { kind: "contract-activity-line", filter: { ...activityFilter, limit: pageSize } }
      } as const
      const first = yield* (spendFilter === undefined
        ? Effect.map(records.listEach(both), (r) => ({ ...r, councilSpend: [] }))
        : records.listEach({ ...both, councilSpend: { kind: "council-spend-line", filter: { ...spendFilter, limit: pageSize } } }))
        .pipe(Effect.mapError(storeFailure("reading allocations, contract activity and council spend")))
      return {
        allocations: yield* rest("allocation-line", allocationsFilter, first.allocations).pipe(Effect.mapError(storeFailure("reading allocations"))),
        activity: yield* rest("contract-activity-line", activityFilter, first.activity).pipe(Effect.mapError(storeFailure("reading contract activity"))),
        councilSpend: spendFilter === undefined
          ? []
          : yield* rest("council-spend-line", spendFilter, first.councilSpend).pipe(Effect.mapError(storeFailure("reading council spend")))
      }
    })
    const computed = compute({
      commissioner: code.success,
      holder: holder.success,
      financialYear: year.success,
      month: month.success,
      allocations,
      activity,
      councilSpend
    })
    if (Result.isFailure(computed)) return yield* problem(computed.failure)
    const { lines, position } = computed.success
    const flags = Position.flags(position)
    // One statement: the latest version when its figures are the same (preparing again), else the next version.
    const payload = encodeReturn({
      organisationCode: code.success,
      financialYear: year.success,
      month: month.success,
      version: 1,
      lines: lines.map((l) => ({ code: l.code, plan: l.plan, actualToDate: l.actualToDate, forecastOutturn: l.forecastOutturn })) as [
        FinancialReturn.FinancialReturn["lines"][number],
        ...Array<FinancialReturn.FinancialReturn["lines"][number]>
      ]
    })
    const prepared = yield* outbox.prepareNext({ ...series, payload, versionField: "version" }).pipe(
      Effect.catchTag("OutboxConflict", (e) => Effect.fail(new SubmissionProblem({ key: e.idempotencyKey, reason: e.reason }))),
      Effect.mapError((e) => (e._tag === "SubmissionProblem" ? e : storeFailure("preparing the return")(e)))
    )
    if (!prepared.created) return { entry: prepared.entry, created: false, lines, position, flags }
    const version = prepared.entry.version
    yield* Effect.logInfo("prepared a financial return").pipe(
      Effect.annotateLogs({ key: prepared.entry.idempotencyKey, version, flags: flags.map((f) => f.rule).join(",") })
    )
    return { entry: prepared.entry, created: prepared.created, lines, position, flags }
  })
