/**
 * The NHS England returns simulator as a Hono app, implementing docs/external-systems/nhs-england-returns.md:
 * published allocations, financial returns and co-commissioning declarations received for asynchronous
 * processing, the acknowledgement stream, and the kit's faults and `/_sim` admin API (plus
 * `POST /_sim/process`).
 *
 * @since 0.1.0
 */
import { Auth, BodyValidation, Faults, Problem, Simulator, SubmissionRecorder } from "@hub/simulator-kit"
import { Result, type Schema } from "effect"
import type { Context, Hono } from "hono"
import * as Allocations from "./Allocations.ts"
import * as FinancialCalendar from "./FinancialCalendar.ts"
import * as Paging from "./Paging.ts"
import * as ReturnsRegister from "./ReturnsRegister.ts"
import * as Submissions from "./Submissions.ts"

/**
 * Options of {@link makeNhsEnglandReturnsApp}.
 *
 * @category models
 * @since 0.1.0
 */
export interface NhsEnglandReturnsOptions {
  /** Seed of the allocation amounts (default 1). */
  readonly seed?: number
  /** Bearer tokens and scopes (`read`, `submit`); default `nhse-dev-token` (both) and `nhse-read-token` (read). */
  readonly tokens?: Readonly<Record<string, ReadonlyArray<string>>>
  /** Process each submission this long after receipt; `undefined` (default): only on `POST /_sim/process`. */
  readonly processAfterMs?: number
  /** The service's current date, `YYYY-MM-DD` (default 2022-06-30). */
  readonly today?: string
}

/**
 * The default bearer tokens.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultTokens: Readonly<Record<string, ReadonlyArray<string>>> = {
  "nhse-dev-token": ["read", "submit"],
  "nhse-read-token": ["read"]
}

/** The malformed versions of stream rows. */
const corruptAllocation = (a: Allocations.Allocation): Record<string, unknown> => ({ ...a, amount: "n/a" })
const corruptAcknowledgement = (a: ReturnsRegister.Acknowledgement): Record<string, unknown> => {
  const { outcome: _dropped, ...rest } = a
  return rest
}

/**
 * Builds the simulator; each call has its own state.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeNhsEnglandReturnsApp = (options: NhsEnglandReturnsOptions = {}): Hono => {
  const today = options.today ?? "2022-06-30"
  if (!FinancialCalendar.isIsoDate(today)) throw new Error(`nhs-england-returns: today must be a date YYYY-MM-DD, got "${today}"`)
  const allocations = Allocations.generate(options.seed ?? 1)
  const register = ReturnsRegister.make({ today, allocations })
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const sim = Simulator.make({
    name: "nhs-england-returns",
    onReset: () => {
      timers.forEach(clearTimeout)
      timers.clear()
      register.reset()
    }
  })
  const { app } = sim
  const tokens = options.tokens ?? defaultTokens
  const read = Auth.bearer({ tokens, scope: "read" })
  const submit = Auth.bearer({ tokens, scope: "submit" })

  const scheduleProcessing = (submissionId: string): void => {
    if (options.processAfterMs === undefined) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      register.process(submissionId)
    }, options.processAfterMs)
    // A pending submission must not keep a stopping process alive.
    timer.unref()
    timers.add(timer)
  }

  app.post("/_sim/process", (c) => c.json({ processed: register.process() }))

  app.get("/v1/health", read, (c) => c.json({ status: "ok", system: "nhs-england-returns", apiVersion: "1" }))

  app.get("/v1/allocations", read, (c) => {
    const fy = c.req.query("financialYear")
    const code = c.req.query("commissionerCode")
    if (fy !== undefined && FinancialCalendar.parse(fy) === undefined) {
      return Problem.response(400, "Bad Request", `financialYear: must be a financial year such as 2015/16, got "${fy}"`, {
        errors: [{ field: "financialYear", message: "must be a financial year such as 2015/16" }]
      })
    }
    const filters = JSON.stringify([fy ?? null, code ?? null])
    const request = Paging.parse("allocations", filters, (n) => c.req.query(n))
    if (Result.isFailure(request)) return request.failure
    const list = allocations.list.filter((a) => (fy === undefined || a.financialYear === fy) && (code === undefined || a.commissionerCode === code))
    const page = Paging.page("allocations", filters, list.length, request.success, (offset, limit) => list.slice(offset, offset + limit))
    const data = Faults.applyRowFaults(page.rows, sim.faults.rowFaults(c), corruptAllocation)
    return c.json({ data, nextCursor: page.nextCursor, hasMore: page.hasMore })
  })

  app.get("/v1/acknowledgements", read, (c) => {
    const request = Paging.parse("acknowledgements", "", (n) => c.req.query(n))
    if (Result.isFailure(request)) return request.failure
    const page = Paging.page("acknowledgements", "", register.acknowledgementCount(), request.success, register.acknowledgements)
    const data = Faults.applyRowFaults(page.rows, sim.faults.rowFaults(c), corruptAcknowledgement)
    return c.json({ data, nextCursor: page.nextCursor, hasMore: page.hasMore })
  })

  app.get("/v1/submissions/:id", read, (c) => {
    const found = register.get(c.req.param("id"))
    return found === undefined ? Problem.response(404, "Not Found", `no submission ${c.req.param("id")}`) : c.json(found)
  })

  /** The shared path of both submission endpoints: key checks, shape validation, receipt, scheduling. */
  const handleSubmission = async <S extends Schema.ConstraintDecoder<unknown>>(
    c: Context,
    kind: ReturnsRegister.Kind,
    schema: S,
    extraErrors: (decoded: S["Type"]) => ReadonlyArray<{ readonly field: string; readonly message: string }>,
    receive: (decoded: S["Type"], idempotencyKey: string | undefined) => ReturnsRegister.SubmissionStatus
  ): Promise<Response> => {
    const key = c.req.header(SubmissionRecorder.idempotencyKeyHeader)
    if (key !== undefined && (key === "" || key.length > 200)) {
      return Problem.response(400, "Bad Request", "Idempotency-Key must be 1-200 characters", {
        errors: [{ field: "Idempotency-Key", message: "must be 1-200 characters" }]
      })
    }
    let raw: unknown
    try {
      raw = JSON.parse(await c.req.text())
    } catch {
      return Problem.response(400, "Bad Request", "the request body is not valid JSON")
    }
    return sim.recorder.submit({
      kind,
      idempotencyKey: key,
      body: raw,
      accept: () => {
        const decoded = BodyValidation.validate(schema, raw)
        const errors = Result.isFailure(decoded) ? decoded.failure : extraErrors(decoded.success)
        if (Result.isFailure(decoded) || errors.length > 0) {
          return {
            status: 400,
            body: {
              type: "about:blank",
              title: "Bad Request",
              status: 400,
              detail: `the ${kind} is malformed: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`,
              errors
            }
          }
        }
        const status = receive(decoded.success, key)
        scheduleProcessing(status.submissionId)
        return { status: 202, body: status, headers: { location: `/v1/submissions/${status.submissionId}` } }
      }
    })
  }

  app.post("/v1/financial-returns", submit, (c) =>
    handleSubmission(c, "financial-return", Submissions.FinancialReturn, Submissions.duplicateCategories, (body, key) =>
      register.receive({ kind: "financial-return", body }, key)))

  app.post("/v1/co-commissioning-declarations", submit, (c) =>
    handleSubmission(c, "co-commissioning-declaration", Submissions.CoCommissioningDeclaration, () => [], (body, key) =>
      register.receive({ kind: "co-commissioning-declaration", body }, key)))

  return app
}
