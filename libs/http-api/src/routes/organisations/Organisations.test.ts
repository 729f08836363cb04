import { CalendarDate, Codes, Registry } from "@hub/domain"
import { Bundled } from "@hub/reference-data"
import { Context, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { Services } from "../../http/GatewayEnv.ts"
import * as JsonAnswer from "../../http/JsonAnswer.ts"
import { make as makeReferenceData, ReferenceData } from "../../ports/ReferenceData.ts"
import { bearer, makeTestApp, today, tokens } from "../../test-support/TestApp.ts"
import { decodeCursor, detailAnswer, detailOf, encodeCursor } from "./OrganisationQueries.ts"

const { app } = makeTestApp()
const get = (path: string, token: string = tokens.read) => app.request(path, { headers: bearer(token) })

interface Page {
  readonly asOf: string
  readonly items: ReadonlyArray<{ readonly code: string; readonly name: string; readonly kind: string }>
  readonly nextCursor: string | null
}

const walk = async (query: string, limit: number): Promise<{ codes: Array<string>; pages: number }> => {
  const codes: Array<string> = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res = await get(`/v1/organisations?${query}&limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`)
    expect(res.status).toBe(200)
    const page = (await res.json()) as Page
    expect(page.items.length).toBeLessThanOrEqual(limit)
    codes.push(...page.items.map((b) => b.code))
    cursor = page.nextCursor
    pages += 1
  } while (cursor !== null && pages < 100)
  return { codes, pages }
}

describe("GET /v1/organisations", () => {
  it("lists the bodies operational today (from the clock) when no date is given", async () => {
    const page = (await (await get("/v1/organisations?limit=200")).json()) as Page
    expect(page.asOf).toBe("2015-06-01")
    expect(page.items.map((b) => b.code)).toContain("08Q")
    expect(page.items.map((b) => b.code)).not.toContain("5LE")
  })

  it("answers as at the date asked: PCTs in 2010, CCGs in 2015", async () => {
    const in2010 = (await (await get("/v1/organisations?asOf=2010-07-15&kind=primary-care-trust&limit=200")).json()) as Page
    expect(in2010.items.map((b) => b.code)).toContain("5LE")
    expect(in2010.items.every((b) => b.kind === "primary-care-trust")).toBe(true)
    const in2015 = (await (await get("/v1/organisations?asOf=2015-06-01&kind=primary-care-trust")).json()) as Page
    expect(in2015.items).toEqual([])
  })

  it("filters by group membership on the date and by text in name or code", async () => {
    const sector = (await (await get("/v1/organisations?asOf=2010-07-15&group=LDN-SECTOR-INE")).json()) as Page
    expect(sector.items).toHaveLength(3)
    const text = (await (await get("/v1/organisations?asOf=2015-06-01&text=southwark")).json()) as Page
    expect(text.items.map((b) => b.code).sort()).toEqual(expect.arrayContaining(["08Q"]))
    expect(text.items.every((b) => `${b.name} ${b.code}`.toLowerCase().includes("southwark"))).toBe(true)
  })

  it("pages with a stable cursor: the pages together are the whole list, in order, without repeats", async () => {
    const whole = (await (await get("/v1/organisations?asOf=2010-07-15&limit=200")).json()) as Page
    expect(whole.nextCursor).toBeNull()
    for (const limit of [1, 7, 50]) {
      const { codes, pages } = await walk("asOf=2010-07-15", limit)
      expect(codes).toEqual(whole.items.map((b) => b.code))
      expect(pages).toBe(Math.max(1, Math.ceil(codes.length / limit)))
    }
  })

  it("a cursor names the code it follows, so the same cursor gives the same page", async () => {
    expect(decodeCursor(encodeCursor("08Q"))).toBe("08Q")
    const a = await (await get(`/v1/organisations?asOf=2015-06-01&limit=3&cursor=${encodeCursor("08Q")}`)).json()
    const b = await (await get(`/v1/organisations?asOf=2015-06-01&limit=3&cursor=${encodeCursor("08Q")}`)).json()
    expect(a).toEqual(b)
    expect((a as Page).items.every((item) => item.code > "08Q")).toBe(true)
  })

  it("rejects every bad parameter at once, each with its path", async () => {
    const res = await get("/v1/organisations?limit=201&asOf=2013-02-29&kind=hospital&colour=red")
    expect(res.status).toBe(400)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    const problem = (await res.json()) as { errors: Array<{ path: Array<string>; message: string }> }
    expect(problem.errors.map((e) => e.path.join(".")).sort()).toEqual(["query.asOf", "query.colour", "query.kind", "query.limit"])
  })

  it("rejects a limit of 0 and a cursor it did not issue", async () => {
    expect((await get("/v1/organisations?limit=0")).status).toBe(400)
    const forged = await get(`/v1/organisations?cursor=${Buffer.from("something-else").toString("base64url")}`)
    expect(forged.status).toBe(400)
    expect(await forged.json()).toMatchObject({ errors: [{ path: ["query", "cursor"] }] })
  })

  it("an unknown group is a 404", async () => {
    expect((await get("/v1/organisations?group=NO-SUCH-GROUP")).status).toBe(404)
  })
})

describe("GET /v1/organisations/{code}", () => {
  it("answers with the body, its groups and hosts as at the date", async () => {
    const res = await get("/v1/organisations/5LE?asOf=2010-07-15")
    expect(res.status).toBe(200)
    const detail = (await res.json()) as { operational: boolean; groups: Array<{ code: string }>; body: { name: string } }
    expect(detail.operational).toBe(true)
    expect(detail.groups.map((g) => g.code)).toContain("LDN-SECTOR-SE")
  })

  it("after a body closed, names the successors carrying its population; the successor names its predecessors", async () => {
    const closed = (await (await get("/v1/organisations/08Q?asOf=2021-01-01")).json()) as {
      operational: boolean
      successors: Array<{ code: string }>
    }
    expect(closed.operational).toBe(false)
    expect(closed.successors.map((b) => b.code)).toEqual(["72Q"])
    const merged = (await (await get("/v1/organisations/72Q?asOf=2021-01-01")).json()) as { predecessors: Array<{ code: string }> }
    expect(merged.predecessors.map((b) => b.code)).toContain("08Q")
  })

  it("finds a body by its GSS code too", async () => {
    const detail = (await (await get("/v1/organisations/E38000171")).json()) as { body: { code: string } }
    expect(detail.body.code).toBe("08Q")
  })

  it("an unknown code is a 404 problem; a malformed one a 400 naming the path parameter", async () => {
    const missing = await get("/v1/organisations/ZZZ9")
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ status: 404, detail: expect.stringContaining("ZZZ9") })
    const malformed = await get("/v1/organisations/not-a-code")
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ errors: [{ path: ["path", "code"] }] })
  })
})

describe("GET /v1/organisations/{code}: encoded once, with an ETag", () => {
  const registry = Bundled.registry()
  const code = "5LE" as Codes.BodyCode
  const expected = (asOf: string) => JSON.stringify(detailOf(registry, code, CalendarDate.unsafeMake(asOf)))

  it("answers the bytes of the computation itself, the first time and from the memo after", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await get("/v1/organisations/5LE?asOf=2010-07-15")
      expect(res.headers.get("content-type")).toBe("application/json")
      expect(await res.text()).toBe(expected("2010-07-15"))
    }
    expect(await (await get("/v1/organisations/5LE")).text()).toBe(expected(today))
  })

  it("a different date is a different answer (5LE operational in 2010, closed with successors by 2014)", async () => {
    const in2010 = await get("/v1/organisations/5LE?asOf=2010-07-15")
    const in2014 = await get("/v1/organisations/5LE?asOf=2014-07-15")
    expect(await in2014.text()).toBe(expected("2014-07-15"))
    expect(expected("2014-07-15")).not.toBe(expected("2010-07-15"))
    expect(in2014.headers.get("etag")).not.toBe(in2010.headers.get("etag"))
  })

  it("answers 304 with the same ETag and no body when If-None-Match names it, 200 otherwise", async () => {
    const first = await get("/v1/organisations/5LE?asOf=2010-07-15")
    const etag = first.headers.get("etag")
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/u)
    const again = await app.request("/v1/organisations/5LE?asOf=2010-07-15", { headers: bearer(tokens.read, { "If-None-Match": `W/"x", ${etag}` }) })
    expect(again.status).toBe(304)
    expect(again.headers.get("etag")).toBe(etag)
    expect(again.headers.get("x-request-id")).not.toBeNull()
    expect(again.headers.get("x-content-type-options")).toBe("nosniff")
    expect(await again.text()).toBe("")
    const other = await app.request("/v1/organisations/5LE?asOf=2014-07-15", { headers: bearer(tokens.read, { "If-None-Match": etag ?? "" }) })
    expect(other.status).toBe(200)
  })

  it("still asks for a key before answering from the memo", async () => {
    await get("/v1/organisations/5LE?asOf=2010-07-15")
    expect((await app.request("/v1/organisations/5LE?asOf=2010-07-15")).status).toBe(401)
  })

  it("answers from reloaded reference data, not from what the memo kept for the old", () => {
    const data = Bundled.organisations()
    const renamed = Registry.make({ ...data, bodies: data.bodies.map((b) => (b.code === "5LE" ? { ...b, name: "Renamed PCT" } : b)) })
    if (Result.isFailure(renamed)) throw new Error("renamed registry is invalid")
    const before = makeReferenceData({ registry, geography: Bundled.geography() })
    const after = makeReferenceData({ registry: renamed.success, geography: Bundled.geography() })
    const answers = JsonAnswer.memo()
    const read = detailAnswer(answers, code, CalendarDate.unsafeMake("2010-07-15"))
    const nameIn = (reference: typeof before) => {
      const answer = read(Context.make(ReferenceData, reference) as Context.Context<Services>)
      if (Result.isFailure(answer)) throw new Error("expected an answer")
      return (JSON.parse(new TextDecoder().decode(answer.success.body)) as { body: { name: string } }).body.name
    }
    expect(nameIn(before)).not.toBe("Renamed PCT")
    expect(nameIn(after)).toBe("Renamed PCT")
    expect(nameIn(before)).not.toBe("Renamed PCT")
    expect([answers.size(before), answers.size(after)]).toEqual([1, 1])
  })
})
