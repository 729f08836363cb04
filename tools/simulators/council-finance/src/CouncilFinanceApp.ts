/**
 * The council finance system simulator as a Hono app on the simulator kit: serves each council's spend, budget
 * and pooled-fund datasets as paged CSV and takes pooled-fund contributions under idempotency keys, exactly as
 * docs/external-systems/council-finance.md describes, with the kit's fault injection and submission recorder.
 *
 * @since 0.1.0
 */
import { Codes, Money } from "@hub/domain"
import { Auth, BodyValidation, Faults, Problem, Simulator, SubmissionRecorder } from "@hub/simulator-kit"
import { Result, Schema } from "effect"
import type { Context } from "hono"
import * as Councils from "./Councils.ts"
import { formatRecord, type SourceRecord, splitFields } from "./CsvText.ts"
import * as SourceDataset from "./SourceDataset.ts"

/**
 * Bearer tokens and the councils each may read and write.
 *
 * @category models
 * @since 0.1.0
 */
export type Tokens = Readonly<Record<string, ReadonlyArray<string>>>

/**
 * The simulator's built-in tokens: one for every council, one for the GLA only (a 403 elsewhere).
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultTokens: Tokens = {
  "council-finance-demo": ["manchester", "gla", "harrogate"],
  "council-finance-gla-only": ["gla"]
}

/**
 * Options of {@link make}.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppOptions {
  readonly councils?: ReadonlyMap<string, Councils.Council>
  readonly tokens?: Tokens
  /** Serve every spend dataset resampled to this many records (benchmarks). */
  readonly spendRows?: number
  /**
   * Spend files served byte for byte, by council (`--council-raw-file`): the whole file in one page at cursor 0
   * whatever the limit, for malformed-input tests (bytes that are not UTF-8, an unclosed quote, an oversized file).
   */
  readonly rawSpend?: ReadonlyMap<string, Councils.RawSpend>
}

/** The push kind the recorder files contributions under (the plugin's push kind). */
export const contributionKind = "pooled-contributions"

const datasetNames: ReadonlyArray<Councils.DatasetName> = ["spend", "budget", "pooled-funds"]
const maxLimit = 5000
const maxVolume = 50_000_000

const Contribution = Schema.Struct({
  financialYear: Schema.String.pipe(
    Schema.check(
      Schema.makeFilter((t: string) => {
        const m = /^(\d{4})\/(\d{2})$/u.exec(t)
        return m !== null && (Number(m[1]) + 1) % 100 === Number(m[2])
      }, { expected: "a financial year such as 2018/19" })
    )
  ),
  month: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 12 }))),
  partnerCode: Codes.OdsCode,
  amount: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^-?\d+(?:\.\d{1,2})?$/u, { expected: "pounds as a decimal string such as 1234.56" }))
  ),
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  reference: Schema.optionalKey(Schema.String)
})

/** Replaces every date-like field with an impossible date and every amount-like field with a formula. */
const corrupt = (record: SourceRecord): SourceRecord => {
  const fields = splitFields(record.raw).map((f) => {
    const t = f.trim()
    if (/^\d{4}-\d{2}-\d{2}/u.test(t) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/u.test(t)) return "31/02/2019"
    if (/^[-(£]*[\d,]+(?:\.\d+)?\)?$/u.test(t)) return "=1+1"
    return f
  })
  return { raw: formatRecord(fields), eol: record.eol, line: record.line }
}

const wholeNumber = (text: string | undefined, fallback: number): number | undefined => {
  if (text === undefined || text === "") return fallback
  return /^\d+$/u.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined
}

/**
 * A raw spend file as the protocol's page: the whole file at cursor 0, the header line alone at the end.
 */
const rawPage = (c: Context, raw: Councils.RawSpend, cursor: number): Response => {
  if (cursor !== 0 && cursor !== raw.rowCount) {
    return Problem.response(400, "Bad Request", `this extract is served in one page: cursor must be 0 or ${raw.rowCount}`)
  }
  const newline = raw.bytes.indexOf(10)
  const body = cursor === 0 ? raw.bytes : raw.bytes.slice(0, newline < 0 ? raw.bytes.length : newline + 1)
  const rowCount = cursor === 0 ? raw.rowCount : 0
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "x-cursor": String(cursor),
    "x-next-cursor": String(raw.rowCount),
    "x-done": "true",
    "x-row-count": String(rowCount),
    "x-first-line": "2",
    "x-total-rows": String(raw.rowCount),
    "x-source": raw.source
  })
}

/**
 * Builds the simulator (a kit `Simulator`: its `app` serves the protocol and the `/_sim` control API).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: AppOptions = {}): Simulator.Simulator => {
  const councils = options.councils ?? Councils.loadAll()
  const tokens = options.tokens ?? defaultTokens
  // The NHS partner's latest contribution per council and month (highest version wins), shown in the statement.
  const contributions = new Map<string, Map<number, { readonly version: number; readonly amount: Money.Pence }>>()
  const pooledFunds = new Map<string, SourceDataset.SourceDataset>()
  const simulator = Simulator.make({
    name: "council-finance simulator",
    onReset: () => {
      contributions.clear()
      pooledFunds.clear()
    }
  })
  const { app, faults, recorder } = simulator

  /** 401 for unknown credentials, 404 for an unknown council, 403 when the token is not granted it. */
  const authorise = async (c: Context): Promise<Response | Councils.Council> => {
    const id = c.req.param("council") ?? ""
    const refused = await Auth.bearer({ tokens })(c, async () => undefined)
    if (refused instanceof Response) return refused
    const council = councils.get(id)
    if (council === undefined) return Problem.response(404, "Not Found", `no council ${JSON.stringify(id)}`)
    const forbidden = await Auth.bearer({ tokens, scope: id })(c, async () => undefined)
    return forbidden instanceof Response ? forbidden : council
  }

  app.get("/v1/councils/:council", async (c) => {
    const council = await authorise(c)
    if (council instanceof Response) return council
    const datasets = Object.fromEntries(
      datasetNames.map((name) => {
        const d = council.datasets[name]
        return [name, { source: d.source, rows: d.records.length, headings: SourceDataset.headings(d) }]
      })
    )
    return c.json({ id: council.id, name: council.name, datasets, funds: [council.fund] })
  })

  app.get("/v1/councils/:council/datasets/:dataset", async (c) => {
    const council = await authorise(c)
    if (council instanceof Response) return council
    const name = c.req.param("dataset") as Councils.DatasetName
    if (!datasetNames.includes(name)) return Problem.response(404, "Not Found", `no dataset ${JSON.stringify(name)}`)
    const cursor = wholeNumber(c.req.query("cursor"), 0)
    const limit = wholeNumber(c.req.query("limit"), 1000)
    if (cursor === undefined) return Problem.response(400, "Bad Request", "cursor must be a whole number")
    if (limit === undefined || limit < 1 || limit > maxLimit) {
      return Problem.response(400, "Bad Request", `limit must be a whole number from 1 to ${maxLimit}`)
    }
    const raw = name === "spend" ? options.rawSpend?.get(council.id) : undefined
    if (raw !== undefined) return rawPage(c, raw, cursor)
    const volumeText = c.req.query("rows")
    const volume = volumeText === undefined ? (name === "spend" ? options.spendRows : undefined) : wholeNumber(volumeText, 0)
    if (volumeText !== undefined && (volume === undefined || volume < 1 || volume > maxVolume)) {
      return Problem.response(400, "Bad Request", `rows must be a whole number from 1 to ${maxVolume}`)
    }
    const dataset = name === "pooled-funds" ? (pooledFunds.get(council.id) ?? council.datasets[name]) : council.datasets[name]
    const rowFaults = faults.rowFaults(c)
    const page = SourceDataset.page(dataset, cursor, limit, {
      ...(volume === undefined ? {} : { volume }),
      rewrite: (records) => Faults.applyRowFaults(records, rowFaults, corrupt)
    })
    return c.body(page.body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "x-cursor": String(page.cursor),
      "x-next-cursor": String(page.nextCursor),
      "x-done": String(page.done),
      "x-row-count": String(page.rowCount),
      "x-first-line": String(page.firstLine),
      "x-total-rows": String(page.totalRows),
      "x-source": volume === undefined ? dataset.source : `${dataset.source}-x${volume}`
    })
  })

  app.post("/v1/councils/:council/pooled-funds/:fundId/contributions", async (c) => {
    const council = await authorise(c)
    if (council instanceof Response) return council
    const fundId = c.req.param("fundId")
    if (fundId !== council.fund.id) return Problem.response(404, "Not Found", `${council.name} hosts no fund ${JSON.stringify(fundId)}`)
    const idempotencyKey = c.req.header(SubmissionRecorder.idempotencyKeyHeader)
    if (idempotencyKey === undefined || idempotencyKey.trim() === "") {
      return Problem.response(400, "Bad Request", "the Idempotency-Key header is required")
    }
    let body: unknown
    try {
      body = JSON.parse(await c.req.text())
    } catch {
      return Problem.response(400, "Bad Request", "the request body is not valid JSON")
    }
    return recorder.submit({
      kind: contributionKind,
      idempotencyKey,
      body: { fundId, body },
      accept: () => {
        const decoded = BodyValidation.validate(Contribution, body)
        if (Result.isFailure(decoded)) {
          return {
            status: 422,
            body: {
              type: "about:blank",
              title: "Unprocessable Content",
              status: 422,
              detail: decoded.failure.map((e) => `${e.field}: ${e.message}`).join("; "),
              errors: decoded.failure.map((e) => ({ path: e.field, message: e.message }))
            }
          }
        }
        const contribution = decoded.success
        const wrong: Array<string> = []
        if (contribution.partnerCode !== council.fund.nhsPartner) {
          wrong.push(`partner ${contribution.partnerCode} is not the NHS partner of ${fundId}`)
        }
        if (contribution.financialYear !== council.fund.financialYear) {
          wrong.push(`${fundId} runs in ${council.fund.financialYear}, not ${contribution.financialYear}`)
        }
        if (wrong.length > 0) {
          return { status: 422, body: { type: "about:blank", title: "Unprocessable Content", status: 422, detail: wrong.join("; ") } }
        }
        const amount = Money.parsePounds(contribution.amount) as Money.Pence
        const byMonth = contributions.get(council.id) ?? new Map<number, { readonly version: number; readonly amount: Money.Pence }>()
        const known = byMonth.get(contribution.month)
        if (known === undefined || known.version <= contribution.version) {
          byMonth.set(contribution.month, { version: contribution.version, amount })
          contributions.set(council.id, byMonth)
          pooledFunds.set(council.id, Councils.pooledFundDataset(council, new Map([...byMonth].map(([m, c]) => [m, c.amount]))))
        }
        const sequence = recorder.list(contributionKind).length + 1
        return {
          status: 201,
          body: {
            submissionId: `CF-${String(sequence).padStart(6, "0")}`,
            status: "accepted",
            receivedAt: new Date().toISOString(),
            fundId,
            ...contribution
          }
        }
      }
    })
  })

  return simulator
}
