import { CalendarDate, Money } from "@hub/domain"
import { AuditLog, BudgetRepo, IngestRepo, Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { ConnectionError, SqlError } from "effect/sql/SqlError"
import { describe, expect, it } from "vitest"
import * as IdCursor from "../http/IdCursor.ts"
import { bearer, makeTestApp, tokens } from "../test-support/TestApp.ts"

// The read routes over a real (embedded, in-memory) store, seeded through the store's own writers as the
// ingest and budget import would: 5 rejected council-finance rows, 1 london-cbs one, two allocations, budgets.
const seed = Layer.effectDiscard(
  Effect.gen(function* () {
    const ingest = yield* IngestRepo.IngestRepo
    const allocation = (organisationCode: string, financialYear: string, amount: number) => ({
      organisationCode,
      financialYear,
      allocationType: "core",
      amount: Money.pence(amount),
      publishedOn: CalendarDate.unsafeMake("2015-01-15")
    })
    yield* ingest.commitPage({
      plugin: "council-finance",
      stream: "spend",
      kind: "allocation-line",
      records: [allocation("08Q", "2015/16", 123_456_78), allocation("08Q", "2016/17", 130_000_00), allocation("07T", "2015/16", 99_00)],
      rejections: [1, 2, 3, 4, 5].map((n) => ({
        line: n + 1,
        raw: `SOUTHWARK,2015-0${n}-01,not-money`,
        problems: [{ field: "amount", reason: `"not-money" is not an amount (row ${n})` }, { field: "date", reason: "in the future" }]
      })),
      nextCursor: "page-1"
    })
    yield* ingest.commitPage({
      plugin: "london-cbs",
      stream: "activity",
      kind: "allocation-line",
      records: [],
      rejections: [{ line: 9, raw: "x,y", problems: [{ field: "hrg", reason: "missing" }] }],
      nextCursor: "page-1"
    })
    const budgets = yield* BudgetRepo.BudgetRepo
    yield* budgets.upsert([
      { bodyCode: "08Q", financialYear: "2015/16", scope: "total", amount: Money.pence(400_000_000_00), source: "SLCCG board 2015-04" },
      { bodyCode: "08Q", financialYear: "2015/16", scope: "admin", amount: Money.pence(9_000_000_00), adminCap: Money.pence(9_500_000_00) },
      { bodyCode: "08Q", financialYear: "2016/17", scope: "total", amount: Money.pence(410_000_000_00) },
      { bodyCode: "07T", financialYear: "2015/16", scope: "total", amount: Money.pence(350_000_000_00) }
    ])
    yield* Effect.provideService(
      Effect.flatMap(AuditLog.AuditLog, (log) => log.record({ action: "decision.record", entityType: "decision", entityKey: "D-1", after: { ok: true } })),
      AuditLog.Actor,
      "api-key:key-admin"
    )
  })
)

const { app } = makeTestApp({ store: Layer.provideMerge(seed, Store.layerTest) })

const get = async (path: string, token: string = tokens.read) => {
  const res = await app.request(path, { headers: bearer(token) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items: Array<Record<string, unknown>>; nextCursor: string | null } }
}

/** Every page of a list, following nextCursor. */
const walk = async (first: string) => {
  const pages: Array<Array<Record<string, unknown>>> = []
  let path: string | undefined = first
  while (path !== undefined) {
    const { status, body } = await get(path)
    expect(status).toBe(200)
    pages.push(body.items)
    path = body.nextCursor === null ? undefined : `${first}${first.includes("?") ? "&" : "?"}cursor=${body.nextCursor}`
  }
  return pages
}

describe("GET /v1/quarantine", () => {
  it("lists rejected rows with their source, line, raw text and every reason", async () => {
    const { status, body } = await get("/v1/quarantine?plugin=london-cbs")
    expect(status).toBe(200)
    expect(body).toEqual({
      items: [
        {
          id: expect.any(Number),
          plugin: "london-cbs",
          stream: "activity",
          line: 9,
          raw: "x,y",
          reasons: [{ field: "hrg", reason: "missing" }],
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/u),
          lastSeenAt: expect.any(String)
        }
      ],
      nextCursor: null
    })
  })

  it("pages by cursor: every row once, in id order, whatever the page size", async () => {
    for (const limit of [1, 2, 5, 200]) {
      const pages = await walk(`/v1/quarantine?plugin=council-finance&stream=spend&limit=${limit}`)
      const rows = pages.flat()
      expect(rows.map((r) => r["line"])).toEqual([2, 3, 4, 5, 6])
      expect(pages.length).toBe(Math.ceil(5 / limit))
      expect(rows[2]?.["reasons"]).toEqual([{ field: "amount", reason: '"not-money" is not an amount (row 3)' }, { field: "date", reason: "in the future" }])
    }
    expect((await walk("/v1/quarantine?limit=4")).flat().length).toBe(6)
  })

  it("refuses a cursor of another list and a bad filter, naming the parameter", async () => {
    const wrong = await get(`/v1/quarantine?cursor=${IdCursor.encode("audit", 1)}`)
    expect(wrong.status).toBe(400)
    expect(wrong.body["errors"]).toEqual([{ path: ["query", "cursor"], message: expect.any(String) }])
    const bad = await get("/v1/quarantine?plugin=Council_Finance&limit=0")
    expect(bad.status).toBe(400)
    expect((bad.body["errors"] as Array<{ path: Array<string> }>).map((e) => e.path)).toEqual([["query", "plugin"], ["query", "limit"]])
  })
})

describe("GET /v1/audit", () => {
  it("says who changed what and when, oldest first", async () => {
    const { status, body } = await get("/v1/audit")
    expect(status).toBe(200)
    expect(body.items.map((e) => [e["actor"], e["action"], e["entityType"], e["entityKey"]])).toEqual([
      ["system", "ingest.commit-page", "stream", "council-finance/spend"],
      ["system", "ingest.commit-page", "stream", "london-cbs/activity"],
      ["system", "budget.upsert", "budgets", "*"],
      ["api-key:key-admin", "decision.record", "decision", "D-1"]
    ])
    expect(body.items[0]).toMatchObject({ at: expect.stringMatching(/^\d{4}-/u), before: { cursor: null }, after: expect.objectContaining({ cursor: "page-1", quarantined: 5 }) })
  })

  it("filters by entity and pages by cursor", async () => {
    const one = await get("/v1/audit?entityType=stream&entityKey=london-cbs%2Factivity")
    expect(one.body.items.map((e) => e["entityKey"])).toEqual(["london-cbs/activity"])
    const pages = await walk("/v1/audit?limit=3")
    expect(pages.map((p) => p.length)).toEqual([3, 1])
    expect(new Set(pages.flat().map((e) => e["id"])).size).toBe(4)
  })
})

describe("GET /v1/budgets", () => {
  it("lists budgets by holder and year, in pence, with the admin cap where one applies", async () => {
    const { status, body } = await get("/v1/budgets?holder=08Q&year=2015%2F16")
    expect(status).toBe(200)
    expect(body.items).toEqual([
      { holder: "08Q", financialYear: "2015/16", scope: "admin", amountPence: 9_000_000_00, adminCapPence: 9_500_000_00 },
      { holder: "08Q", financialYear: "2015/16", scope: "total", amountPence: 400_000_000_00, source: "SLCCG board 2015-04" }
    ])
    expect((await get("/v1/budgets")).body.items.length).toBe(4)
  })

  it("refuses a malformed financial year, naming it", async () => {
    const { status, body } = await get("/v1/budgets?year=2015%2F17")
    expect(status).toBe(400)
    expect(body["errors"]).toEqual([{ path: ["query", "year"], message: expect.stringContaining("2015/16") }])
  })
})

describe("GET /v1/budgets/allocations", () => {
  it("lists the centre's allocations by organisation and year", async () => {
    const { status, body } = await get("/v1/budgets/allocations?organisation=08Q")
    expect(status).toBe(200)
    expect(body.items).toEqual([
      { organisation: "08Q", financialYear: "2015/16", allocationType: "core", amountPence: 123_456_78, publishedOn: "2015-01-15" },
      { organisation: "08Q", financialYear: "2016/17", allocationType: "core", amountPence: 130_000_00, publishedOn: "2015-01-15" }
    ])
    expect((await get("/v1/budgets/allocations?year=2015%2F16")).body.items.map((a) => a["organisation"])).toEqual(["07T", "08Q"])
  })
})

describe("a database that cannot answer", () => {
  it("is a 503 problem naming the database, without the driver's message", async () => {
    const down = new SqlError({ reason: new ConnectionError({ cause: new Error("ECONNREFUSED 10.1.2.3:5432"), message: "connect ECONNREFUSED 10.1.2.3:5432", operation: "connect" }) })
    const failing = Layer.succeed(AuditLog.AuditLog, { record: () => Effect.fail(down), list: () => Effect.fail(down) })
    const broken = makeTestApp({ store: Layer.merge(Store.layerTest, failing) })
    const res = await broken.app.request("/v1/audit", { headers: bearer(tokens.read) })
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text)).toMatchObject({ status: 503, dependencies: ["database"] })
    expect(text).not.toContain("10.1.2.3")
  })
})
