/**
 * What clients do with submissions: prepare a monthly financial return (libs/hub's preparation: figures from the
 * ingested sources, the kernel's position and flags, written to the outbox as a new version only when the figures
 * changed) and submit a prepared one (enqueue its push; the worker sends it with its business idempotency key).
 * Both are audited under the calling API key.
 *
 * @since 0.1.0
 */
import { Codes, FinancialYear, Violation } from "@hub/domain"
import { FinancialReturnPreparation, type HubError } from "@hub/hub"
import { AuditLog, OutboxRepo, type RecordRepo, type StoreError } from "@hub/store"
import { Effect, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { SubmissionQueue, type SubmissionQueueError } from "../../ports/SubmissionQueue.ts"
import { Conflict, type NotFound } from "../../problems/GatewayErrors.ts"
import * as SubmissionQueries from "./SubmissionQueries.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

/**
 * The plugin returns are pushed through, and read allocations from, when the request names none.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultPlugin = "nhs-england-returns"

/**
 * The plugin contract activity is read from when the request names none.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultActivityPlugin = "london-cbs"

/**
 * The plugin council spend is read from when the request names councils but no plugin.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultCouncilPlugin = "council-finance"

const CouncilId = Schema.String.check(Schema.isPattern(/^[a-z0-9][a-z0-9-]{0,63}$/u, { expected: "a council id such as gla" }))

/**
 * The body of `POST /v1/submissions/prepare`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PrepareBody = Schema.Struct({
  commissioner: Codes.OdsCode.annotate({ description: "The commissioner the return is for (ODS code, e.g. 08Q)." }),
  financialYear: FinancialYear.FinancialYear.annotate({ description: "The financial year (e.g. 2013/14)." }),
  month: FinancialYear.Month.annotate({ description: "The month of the financial year, 1 (April) to 12 (March)." }),
  plugin: Schema.optionalKey(
    SubmissionQueries.PluginId.annotate({ description: `The plugin the return is pushed through (default ${defaultPlugin}).` })
  ),
  sources: Schema.optionalKey(Schema.Struct({
    allocations: Schema.optionalKey(SubmissionQueries.PluginId.annotate({ description: `Plugin whose allocations plan the return (default ${defaultPlugin}).` })),
    activity: Schema.optionalKey(SubmissionQueries.PluginId.annotate({ description: `Plugin whose contract activity gives the acute actuals (default ${defaultActivityPlugin}).` })),
    councilSpend: Schema.optionalKey(Schema.Struct({
      plugin: Schema.optionalKey(SubmissionQueries.PluginId.annotate({ description: `Plugin holding the council spend (default ${defaultCouncilPlugin}).` })),
      councils: Schema.Array(CouncilId).check(Schema.isMinLength(1), Schema.isMaxLength(50))
        .annotate({ description: "Partner councils whose spend is counted on the other-programme line." })
    }))
  }))
})

/**
 * @category models
 * @since 0.1.0
 */
export type PrepareBody = typeof PrepareBody.Type

const Pence = (description: string) => Schema.Int.annotate({ description: `${description}, in pence` })

/**
 * One line of a prepared return and how many source rows its actuals came from.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PreparedLine = Schema.Struct({
  code: Schema.String.annotate({ description: "The return line (acute, primary-care, other-programme, running-costs)" }),
  planPence: Pence("The plan for the year"),
  actualToDatePence: Pence("Spent to the end of the month"),
  forecastOutturnPence: Pence("The forecast for the year"),
  sourceRows: Schema.Int.annotate({ description: "Source rows counted in the actuals to date" })
})

/**
 * The position of the whole budget at the month (a positive variance is an underspend).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PreparedPosition = Schema.Struct({
  month: Schema.Int,
  annualPlanPence: Pence("The plan for the year"),
  planToDatePence: Pence("The plan to the end of the month"),
  actualToDatePence: Pence("Spent to the end of the month"),
  variancePence: Pence("Plan to date minus actual to date"),
  forecastOutturnPence: Pence("The forecast for the year"),
  forecastVariancePence: Pence("Annual plan minus forecast"),
  forecastMethod: Schema.Literals(["run-rate", "supplied"]),
  overspend: Schema.Boolean,
  administrationBreach: Schema.Boolean
})

/**
 * The answer of `POST /v1/submissions/prepare`: the submission (new, or the stored one when the figures did not
 * change), the return's lines, the position and the kernel's flags (reported, not refused).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Prepared = Schema.Struct({
  submission: SubmissionQueries.SubmissionDetail,
  created: Schema.Boolean.annotate({ description: "Whether this prepared a new version (false: the stored one has these figures)" }),
  lines: Schema.Array(PreparedLine),
  position: PreparedPosition,
  flags: Schema.Array(Violation.Violation).annotate({ description: "Rules the position breaks (overspend, administration cap)" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type Prepared = typeof Prepared.Type

/**
 * The body of `POST /v1/submissions/{id}/submit`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SubmitBody = Schema.Struct({
  note: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(1000)).annotate({ description: "Free text kept with the submission's audit entry." })
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type SubmitBody = typeof SubmitBody.Type

/**
 * The answer of a submit: the submission and the job pushing it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Submitted = Schema.Struct({
  submission: SubmissionQueries.Submission,
  jobId: Schema.String.annotate({ description: "The push job (the same submission is always the same job)" }),
  queue: Schema.String.annotate({ description: "The queue it waits in" })
})

/**
 * @category models
 * @since 0.1.0
 */
export type Submitted = typeof Submitted.Type

// ---------------------------------------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------------------------------------

/**
 * Who an API key acts as in the audit log.
 *
 * @category constructors
 * @since 0.1.0
 */
export const actorOf = (apiKeyId: string): string => `api-key:${apiKeyId}`

/**
 * Prepares the return (see the module comment) as `actor`.
 *
 * @category use cases
 * @since 0.1.0
 */
export const prepare = (body: PrepareBody, actor: string): Effect.Effect<
  Prepared,
  HubError.StoreFailure | HubError.SubmissionProblem,
  RecordRepo.RecordRepo | OutboxRepo.OutboxRepo
> =>
  Effect.gen(function*() {
    const plugin = body.plugin ?? defaultPlugin
    const councilSpend = body.sources?.councilSpend
    const prepared = yield* FinancialReturnPreparation.prepare({
      plugin,
      commissioner: body.commissioner,
      financialYear: body.financialYear,
      month: body.month,
      sources: {
        allocations: body.sources?.allocations ?? plugin,
        activity: body.sources?.activity ?? defaultActivityPlugin,
        councilSpend: councilSpend === undefined ? undefined : { plugin: councilSpend.plugin ?? defaultCouncilPlugin, councils: councilSpend.councils }
      }
    })
    const { position } = prepared
    const answer: Prepared = {
      submission: SubmissionQueries.toDetail(prepared.entry),
      created: prepared.created,
      lines: prepared.lines.map((l) => ({
        code: l.code,
        planPence: l.plan,
        actualToDatePence: l.actualToDate,
        forecastOutturnPence: l.forecastOutturn,
        sourceRows: l.sourceRows
      })),
      position: {
        month: position.month,
        annualPlanPence: position.annualPlan,
        planToDatePence: position.planToDate,
        actualToDatePence: position.actualToDate,
        variancePence: position.variance,
        forecastOutturnPence: position.forecastOutturn,
        forecastVariancePence: position.forecastVariance,
        forecastMethod: position.forecastMethod,
        overspend: position.overspend,
        administrationBreach: position.administration.breach
      },
      flags: prepared.flags
    }
    return answer
  }).pipe(Effect.provideService(AuditLog.Actor, actor))

/**
 * Submits prepared submission `id`: enqueues its push and records who submitted it. Only the latest version of a
 * series, and only while it is `prepared`, can be submitted: anything else is a `Conflict` saying why.
 *
 * @category use cases
 * @since 0.1.0
 */
export const submit = (
  id: number,
  body: SubmitBody,
  actor: string
): Effect.Effect<
  Submitted,
  NotFound | Conflict | SqlError | StoreError.StoredValueError | SubmissionQueueError,
  OutboxRepo.OutboxRepo | SubmissionQueue | AuditLog.AuditLog
> =>
  Effect.gen(function*() {
    const row = yield* SubmissionQueries.findEntry(id)
    if (row.status !== "prepared") {
      return yield* new Conflict({ reason: `Submission ${id} is ${row.status}; only a prepared submission can be submitted.` })
    }
    const latest = yield* (yield* OutboxRepo.OutboxRepo).latest(row)
    if (latest !== undefined && latest.version > row.version) {
      return yield* new Conflict({
        reason: `Submission ${id} (version ${row.version}) is superseded by version ${latest.version} (${latest.idempotencyKey}); submit that one.`
      })
    }
    const queue = yield* SubmissionQueue
    const job = yield* queue.enqueue({ plugin: row.plugin, idempotencyKey: row.idempotencyKey })
    const audit = yield* AuditLog.AuditLog
    yield* audit.record({
      action: "submission.submit",
      entityType: "submission",
      entityKey: row.idempotencyKey,
      after: { jobId: job.jobId, ...(body.note === undefined ? {} : { note: body.note }) }
    })
    const answer: Submitted = { submission: SubmissionQueries.toSubmission(row), jobId: job.jobId, queue: job.queue }
    return answer
  }).pipe(Effect.provideService(AuditLog.Actor, actor))
