/**
 * The London CBS simulator as a Hono app, implementing docs/external-systems/london-cbs.md: the contracts and
 * activity change streams, commissioning intentions with idempotency keys and versions, health, and the kit's
 * fault injection and `/_sim` admin API.
 *
 * @since 0.1.0
 */
import { Auth, BodyValidation, Faults, Problem, Simulator, SubmissionRecorder } from "@hub/simulator-kit"
import { Result, Schema } from "effect"
import type { Hono } from "hono"
import * as ChangeStream from "./ChangeStream.ts"
import * as CommissioningIntentions from "./CommissioningIntentions.ts"
import * as Dataset from "./Dataset.ts"

/**
 * Options of {@link makeLondonCbsApp}.
 *
 * @category models
 * @since 0.1.0
 */
export interface LondonCbsOptions {
  /** Seed of the generated dataset (default 1). */
  readonly seed?: number
  /** Accepted API keys and their scopes (`read`, `write`); default `cbs-dev-key` (both) and `cbs-read-key` (read). */
  readonly apiKeys?: Readonly<Record<string, ReadonlyArray<string>>>
}

/**
 * The default API keys.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultApiKeys: Readonly<Record<string, ReadonlyArray<string>>> = {
  "cbs-dev-key": ["read", "write"],
  "cbs-read-key": ["read"]
}

const apiKeyHeader = "x-api-key"

const RevisionRequest = Schema.Struct({ count: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100_000 })) })

const contractKey = (c: Dataset.Contract): ChangeStream.Position => ({ u: c.updatedAt, id: c.contractId })
const lineKey = (s: Dataset.StoredLine): ChangeStream.Position => ({ u: s.line.updatedAt, id: s.line.lineId })

/** The malformed version of a contract: what a broken source row looks like. */
const corruptContract = (c: Dataset.Contract): Record<string, unknown> => {
  const { providerOdsCode: _dropped, ...rest } = c
  return { ...rest, annualValue: "n/a" }
}
const corruptLine = (l: Dataset.ActivityLine): Record<string, unknown> => ({ ...l, actualCost: "n/a", month: "M13" })

/**
 * Builds the simulator. Each call has its own state (dataset, revisions, submissions, faults).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeLondonCbsApp = (options: LondonCbsOptions = {}): Hono => {
  const seed = options.seed ?? 1
  const keys = options.apiKeys ?? defaultApiKeys
  let dataset = Dataset.generate(seed)
  let revision = 0
  const intentions = CommissioningIntentions.makeRegister()
  const sim = Simulator.make({
    name: "london-cbs",
    onReset: () => {
      dataset = Dataset.generate(seed)
      revision = 0
      intentions.reset()
    }
  })
  const { app } = sim
  const read = Auth.apiKey({ header: apiKeyHeader, keys, scope: "read" })
  const write = Auth.apiKey({ header: apiKeyHeader, keys, scope: "write" })

  app.post("/_sim/activity/revisions", async (c) => {
    const body = await BodyValidation.readJson(c, RevisionRequest)
    if (Result.isFailure(body)) return body.failure
    revision += 1
    const result = Dataset.revise(dataset.activity, seed, revision, body.success.count)
    dataset = { ...dataset, activity: result.activity }
    return c.json({ revised: result.revised })
  })

  app.get("/v1/health", read, (c) => c.json({ status: "ok", system: "london-cbs", apiVersion: "1" }))

  app.get("/v1/contracts", read, (c) => {
    const query = ChangeStream.parse("contracts", (name) => c.req.query(name))
    if (Result.isFailure(query)) return query.failure
    if (query.success._tag !== "Dataset") return Problem.response(400, "Bad Request", "volume is not supported on contracts")
    const page = ChangeStream.pageOf("contracts", dataset.contracts, contractKey, query.success, () => true)
    const data = Faults.applyRowFaults(page.rows, sim.faults.rowFaults(c), corruptContract)
    return c.json({ data, nextCursor: page.nextCursor, hasMore: page.hasMore })
  })

  /** A page of the dataset's lines, or of the synthetic `?volume=N` stream. */
  const activityPage = (q: ChangeStream.StreamQuery): ChangeStream.Page<Dataset.ActivityLine> => {
    if (q._tag === "Volume") return ChangeStream.volumePageOf("activity", q, (i) => Dataset.volumeLine(seed, i))
    const keep = q.financialYear === undefined ? () => true : (s: Dataset.StoredLine) => s.line.financialYear === q.financialYear
    const page = ChangeStream.pageOf("activity", dataset.activity, lineKey, q, keep)
    return { ...page, rows: page.rows.map((s) => s.line) }
  }

  app.get("/v1/activity", read, (c) => {
    const query = ChangeStream.parse("activity", (name) => c.req.query(name))
    if (Result.isFailure(query)) return query.failure
    const page = activityPage(query.success)
    const data = Faults.applyRowFaults(page.rows, sim.faults.rowFaults(c), corruptLine)
    return c.json({ data, nextCursor: page.nextCursor, hasMore: page.hasMore })
  })

  app.post("/v1/commissioning-intentions", write, async (c) => {
    const key = c.req.header(SubmissionRecorder.idempotencyKeyHeader)
    if (key === undefined || key === "" || key.length > 200) {
      return Problem.response(400, "Bad Request", "an Idempotency-Key header (1-200 characters) is required", {
        errors: [{ field: "Idempotency-Key", message: "required, 1-200 characters" }]
      })
    }
    const text = await c.req.text()
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return Problem.response(400, "Bad Request", "the request body is not valid JSON")
    }
    return sim.recorder.submit({
      kind: "commissioning-intentions",
      idempotencyKey: key,
      body: raw,
      accept: () => {
        const decoded = BodyValidation.validate(CommissioningIntentions.IntentionsSubmission, raw)
        const malformed = Result.isFailure(decoded) ? decoded.failure : CommissioningIntentions.duplicateReferences(decoded.success)
        if (Result.isFailure(decoded) || malformed.length > 0) {
          return { status: 400, body: problemBody(400, "Bad Request", "the submission is malformed", malformed) }
        }
        const s = decoded.success
        const refused = CommissioningIntentions.refusals(s, (ref) => intentions.latestVersion(s.commissionerCode, s.financialYear, ref))
        if (refused.length > 0) {
          return { status: 422, body: problemBody(422, "Unprocessable Content", "the CBS cannot accept these intentions", refused) }
        }
        return { status: 201, body: intentions.receive(decoded.success) }
      }
    })
  })

  app.get("/v1/commissioning-intentions/:id", read, (c) => {
    const found = intentions.get(c.req.param("id"))
    return found === undefined
      ? Problem.response(404, "Not Found", `no commissioning intentions ${c.req.param("id")}`)
      : c.json(found)
  })

  return app
}

const problemBody = (
  status: number,
  title: string,
  detail: string,
  errors: ReadonlyArray<{ readonly field: string; readonly message: string }>
) => ({
  type: "about:blank",
  title,
  status,
  detail: `${detail}: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`,
  errors
})
