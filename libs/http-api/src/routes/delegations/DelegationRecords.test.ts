import { beforeAll, describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

// One in-memory store for the file; each test keeps to its own function, bodies or ids.
const { app, runtime } = makeTestApp()

// Building the embedded database is slow on a busy machine; do it once, before any test's own time starts.
beforeAll(() => runtime.context(), 300_000)

const post = (body: unknown, token: string = tokens.write) =>
  app.request("/v1/delegations", { method: "POST", body: JSON.stringify(body), headers: bearer(token, { "Content-Type": "application/json" }) })
const get = (path: string) => app.request(path, { headers: bearer(tokens.read) })

interface Problem {
  readonly status: number
  readonly violations?: ReadonlyArray<{ readonly rule: string; readonly message: string; readonly bodies: ReadonlyArray<string>; readonly dates: ReadonlyArray<string>; readonly source?: string }>
  readonly errors?: ReadonlyArray<{ readonly path: ReadonlyArray<string | number> }>
}

interface Page {
  readonly items: ReadonlyArray<{ readonly id: string; readonly status: string; readonly recordedAt: string }>
  readonly nextCursor: string | null
}

const auditOf = async (id: string) =>
  ((await (await get(`/v1/audit?entityType=delegation&entityKey=${id}`)).json()) as { items: Array<{ actor: string; action: string; after: unknown }> }).items

const procurement = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  function: "collective-procurement",
  delegator: "5LE",
  delegate: { _tag: "Body", code: "JC-SEL" },
  population: ["5LE"],
  period: { opened: "2010-07-01", closed: "2013-04-01" },
  source: "test paper §1",
  ...overrides
})

describe("POST /v1/delegations", () => {
  it("a recorded delegation is followed by GET /v1/delegations/resolve: the delegate exercises the function, the delegator stays accountable", async () => {
    const query = "function=collective-procurement&body=5LG&date=2011-06-01"
    expect((await get(`/v1/delegations/resolve?${query}`)).status).toBe(404)
    expect((await post(procurement("greenwich-procurement", { delegator: "5LG", population: ["5LG"] }))).status).toBe(201)
    const res = await get(`/v1/delegations/resolve?${query}`)
    expect(res.status).toBe(200)
    const answer = (await res.json()) as { accountable: string; exercisedBy: ReadonlyArray<string>; chain: ReadonlyArray<{ id: string }> }
    expect(answer.accountable).toBe("5LG")
    expect(answer.chain.map((d) => d.id)).toEqual(["greenwich-procurement"])
    expect(answer.exercisedBy).toEqual(["JC-SEL"])
  })

  it("records a delegation that keeps every rule: 201 with its Location, readable there, audited with the key as actor", async () => {
    const res = await post(procurement("swk-procurement"))
    expect(res.status).toBe(201)
    expect(res.headers.get("location")).toBe("/v1/delegations/swk-procurement")
    const created = (await res.json()) as Record<string, unknown>
    expect(created).toMatchObject({ ...procurement("swk-procurement"), status: "agreed" })
    const read = await get("/v1/delegations/swk-procurement")
    expect(read.status).toBe(200)
    expect(await read.json()).toEqual(created)
    expect(await auditOf("swk-procurement")).toEqual([
      expect.objectContaining({ actor: "api-key:key-write", action: "delegation.record", after: expect.objectContaining({ id: "swk-procurement", delegator: "5LE" }) })
    ])
  })

  it("checks against the recorded delegations too: an overlap with one is a 422 naming it, and nothing is stored", async () => {
    expect((await post(procurement("lambeth-procurement", { delegator: "5LD", population: ["5LD"] }))).status).toBe(201)
    const res = await post(procurement("lambeth-procurement-again", { delegator: "5LD", population: ["5LD"], period: { opened: "2012-04-01", closed: "2013-04-01" } }))
    expect(res.status).toBe(422)
    const problem = (await res.json()) as Problem
    expect(problem.violations?.map((v) => v.rule)).toEqual(["delegation/overlap"])
    expect(problem.violations?.[0]?.message).toContain("lambeth-procurement")
    expect((await get("/v1/delegations/lambeth-procurement-again")).status).toBe(404)
    expect(await auditOf("lambeth-procurement-again")).toEqual([])
  })

  it("answers 422 with every violation (rule, bodies, dates, source paper) when the kernel rejects it", async () => {
    // A closed PCT delegating to itself: not operational as delegator nor as delegate, and a cycle; and a level
    // where none applies (southwark-2015 §15).
    const res = await post(procurement("closed-to-itself", {
      function: "contract-management",
      delegate: { _tag: "Body", code: "5LE" },
      period: { opened: "2014-04-01", closed: "2015-04-01" },
      level: "joint"
    }))
    expect(res.status).toBe(422)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    const problem = (await res.json()) as Problem
    expect(problem.violations?.map((v) => v.rule).sort()).toEqual([
      "delegation/cycle",
      "delegation/level-not-applicable",
      "delegation/party-not-operational",
      "delegation/party-not-operational"
    ])
    expect(problem.violations?.every((v) => v.bodies.includes("5LE") && v.dates.length > 0)).toBe(true)
    expect(problem.violations?.find((v) => v.rule === "delegation/level-not-applicable")?.source).toBe("southwark-2015 §15")
    expect((await get("/v1/delegations/closed-to-itself")).status).toBe(404)
  })

  it("a taken id is a 409, whether recorded here or one of the board papers'", async () => {
    expect((await post(procurement("taken-id", { delegator: "5LF", population: ["5LF"] }))).status).toBe(201)
    const again = await post(procurement("taken-id", { delegator: "5LF", population: ["5LF"], period: { opened: "2008-04-01", closed: "2009-04-01" } }))
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ status: 409, type: "urn:hub:problem:conflict" })
    const paper = await post(procurement("southwark-2010-acute-sel", { delegator: "5LG", population: ["5LG"] }))
    expect(paper.status).toBe(409)
    expect((await auditOf("taken-id")).length).toBe(1)
  })

  it("a body that does not match the schema is a 400 naming every field", async () => {
    const res = await post({ ...procurement("bad id!"), function: "brain-surgery", delegator: undefined, population: [] })
    expect(res.status).toBe(400)
    const problem = (await res.json()) as Problem
    const paths = [...new Set(problem.errors?.map((e) => e.path.join(".")))].sort()
    expect(paths).toEqual(expect.arrayContaining(["body.delegator", "body.function", "body.id", "body.population.0"]))
  })

  it("needs a key (401) with the write scope (403), and stores nothing without one", async () => {
    const none = await app.request("/v1/delegations", { method: "POST", body: JSON.stringify(procurement("no-key")), headers: { "Content-Type": "application/json" } })
    expect(none.status).toBe(401)
    expect((await post(procurement("read-key", { delegator: "5A4", population: ["5A4"] }), tokens.read)).status).toBe(403)
    expect((await get("/v1/delegations/read-key")).status).toBe(404)
    expect((await app.request("/v1/delegations")).status).toBe(401)
  })
})

describe("GET /v1/delegations", () => {
  const pcts = ["5K5", "5HX", "5H1", "5K6", "5AT"]
  const group = (code: string) =>
    procurement(`ldn-${code.toLowerCase()}`, {
      delegator: code,
      delegate: { _tag: "Body", code: "LDN-COMMISSIONING-GROUP" },
      population: [code],
      period: { opened: "2007-04-01", closed: "2008-04-01" },
      ...(code === "5AT" ? { status: "proposed" } : {})
    })
  const query = "function=collective-procurement&delegate=LDN-COMMISSIONING-GROUP"

  const walk = async (limit: number, between?: () => Promise<void>) => {
    const ids: Array<string> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = (await (await get(`/v1/delegations?${query}&limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`)).json()) as Page
      ids.push(...page.items.map((i) => i.id))
      cursor = page.nextCursor
      pages += 1
      if (pages === 1) await between?.()
    } while (cursor !== null)
    return { ids, pages }
  }

  it("pages in the order recorded, stable while new delegations are recorded between pages", async () => {
    for (const code of pcts.slice(0, 4)) expect((await post(group(code))).status).toBe(201)
    const { ids, pages } = await walk(2, async () => {
      expect((await post(group("5AT"))).status).toBe(201)
    })
    expect(ids).toEqual(pcts.map((c) => `ldn-${c.toLowerCase()}`))
    expect(pages).toBe(3)
    expect((await walk(200)).pages).toBe(1)
  })

  it("filters by delegator, any role, date and status", async () => {
    const ids = async (q: string) => ((await (await get(`/v1/delegations?${q}`)).json()) as Page).items.map((i) => i.id)
    expect(await ids(`${query}&delegator=5HX`)).toEqual(["ldn-5hx"])
    expect(await ids(`${query}&body=5H1`)).toEqual(["ldn-5h1"])
    expect(await ids(`${query}&status=proposed`)).toEqual(["ldn-5at"])
    expect(await ids(`${query}&date=2008-04-01`)).toEqual([])
    expect((await ids(`${query}&date=2007-04-01`)).length).toBe(5)
  })

  it("refuses a bad limit, a foreign cursor and an unknown filter, naming each", async () => {
    const res = await get(`/v1/delegations?limit=0&status=maybe&colour=red`)
    expect(res.status).toBe(400)
    const paths = ((await res.json()) as Problem).errors?.map((e) => e.path.join(".")).sort()
    expect(paths).toEqual(["query.colour", "query.limit", "query.status"])
    const auditPage = (await (await get("/v1/audit?limit=1")).json()) as Page
    expect(auditPage.nextCursor).not.toBeNull()
    const foreign = await get(`/v1/delegations?cursor=${auditPage.nextCursor}`)
    expect(foreign.status).toBe(400)
    expect(((await foreign.json()) as Problem).errors?.map((e) => e.path.join("."))).toEqual(["query.cursor"])
  })
})
