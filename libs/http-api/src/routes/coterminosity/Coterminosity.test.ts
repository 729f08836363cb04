import { CalendarDate, type Codes } from "@hub/domain"
import { Bundled } from "@hub/reference-data"
import { describe, expect, it } from "vitest"
import { make as makeReferenceData } from "../../ports/ReferenceData.ts"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"
import { relationAt } from "./CoterminosityQueries.ts"

const { app } = makeTestApp()
const get = (path: string) => app.request(path, { headers: bearer(tokens.read) })

interface Relation {
  readonly body: string
  readonly relation: string
  readonly councils: ReadonlyArray<{ readonly council: string; readonly shareOfBody: number; readonly shareOfCouncil: number }>
}

describe("GET /v1/coterminosity/{code}", () => {
  it("Southwark CCG was coterminous with Southwark council in 2015, named from the registry", async () => {
    const res = await get("/v1/coterminosity/08Q?asOf=2015-06-01")
    expect(res.status).toBe(200)
    const answer = (await res.json()) as { relation: Relation; names: Record<string, string> }
    expect(answer.relation.relation).toBe("coterminous")
    expect(answer.relation.councils.map((c) => c.council)).toEqual(["E09000028"])
    expect(answer.names["E09000028"]).toBe("Southwark")
  })

  it("City and Hackney is a union, West London crossing, Central London within (2015)", async () => {
    const relation = async (code: string) => ((await (await get(`/v1/coterminosity/${code}?asOf=2015-06-01`)).json()) as { relation: Relation }).relation.relation
    expect(await relation("07T")).toBe("union")
    expect(await relation("08Y")).toBe("crossing")
    expect(await relation("09A")).toBe("within")
  })

  it("a tolerance lets a best fit count as whole", async () => {
    const exact = (await (await get("/v1/coterminosity/09A?asOf=2015-06-01")).json()) as { relation: Relation; tolerance: number }
    const share = exact.relation.councils[0]?.shareOfCouncil ?? 0
    const tolerance = Math.ceil((1 - share) * 1000) / 1000
    const loose = (await (await get(`/v1/coterminosity/09A?asOf=2015-06-01&tolerance=${tolerance}`)).json()) as { relation: Relation; tolerance: number }
    expect(exact.tolerance).toBe(0)
    expect(loose.tolerance).toBe(tolerance)
    expect(loose.relation.relation).toBe("coterminous")
  })

  it("a body holding no areas on the date is a 404", async () => {
    expect((await get("/v1/coterminosity/08Q?asOf=2010-07-15")).status).toBe(404)
    expect((await get("/v1/coterminosity/ZZZ")).status).toBe(404)
  })

  it("rejects a tolerance of 1 or more, and a bad date, listing both", async () => {
    const res = await get("/v1/coterminosity/08Q?tolerance=1&asOf=yesterday")
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { errors: Array<{ path: Array<string> }> }
    expect([...new Set(problem.errors.map((e) => e.path.join(".")))].sort()).toEqual(["query.asOf", "query.tolerance"])
  })
})

describe("GET /v1/coterminosity", () => {
  it("reports every health body with counts that add up", async () => {
    const res = await get("/v1/coterminosity?asOf=2010-07-15")
    expect(res.status).toBe(200)
    const report = (await res.json()) as { bodies: Array<Relation>; summary: Record<string, number>; missing: Array<string> }
    const total = Object.values(report.summary).reduce((a, b) => a + b, 0)
    expect(total).toBe(report.bodies.length)
    expect(report.bodies.find((b) => b.body === "5C3")?.relation).toBe("union")
    expect(report.missing).toEqual([])
  })

  it("reports only the bodies asked for, and lists those holding no areas as missing", async () => {
    const report = (await (await get("/v1/coterminosity?bodies=08Q,10X,ZZZ&asOf=2015-06-01")).json()) as {
      bodies: Array<Relation>
      summary: Record<string, number>
      missing: Array<string>
    }
    expect(report.bodies.map((b) => b.body)).toEqual(["08Q", "10X"])
    expect(report.summary).toEqual({ coterminous: 2, union: 0, within: 0, crossing: 0 })
    expect(report.missing).toEqual(["ZZZ"])
  })

  it("rejects malformed codes in the list with their positions", async () => {
    const res = await get("/v1/coterminosity?bodies=08Q,bad code")
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ errors: [{ path: ["query", "bodies", 1] }] })
  })
})

describe("GET /v1/coterminosity/{code}: encoded once, with an ETag", () => {
  const reference = makeReferenceData({ registry: Bundled.registry(), geography: Bundled.geography() })
  const expected = (code: string, asOf: string, tolerance: number) =>
    JSON.stringify(relationAt(reference, code as Codes.BodyCode, CalendarDate.unsafeMake(asOf), tolerance))

  it("answers the bytes of the computation itself, also from the memo, per date and tolerance", async () => {
    for (let i = 0; i < 2; i++) {
      expect(await (await get("/v1/coterminosity/08Y?asOf=2015-06-01")).text()).toBe(expected("08Y", "2015-06-01", 0))
      expect(await (await get("/v1/coterminosity/08Y?asOf=2015-06-01&tolerance=0.4")).text()).toBe(expected("08Y", "2015-06-01", 0.4))
      expect(await (await get("/v1/coterminosity/5C3?asOf=2010-07-15")).text()).toBe(expected("5C3", "2010-07-15", 0))
    }
    expect(expected("08Y", "2015-06-01", 0.4)).not.toBe(expected("08Y", "2015-06-01", 0))
    // A date on which the body holds no areas is still a 404 after its other dates were answered.
    expect((await get("/v1/coterminosity/08Y?asOf=2010-07-15")).status).toBe(404)
  })

  it("answers 304 with the same ETag when If-None-Match names it", async () => {
    const first = await get("/v1/coterminosity/08Q?asOf=2015-06-01")
    const etag = first.headers.get("etag") ?? ""
    const again = await app.request("/v1/coterminosity/08Q?asOf=2015-06-01", { headers: bearer(tokens.read, { "If-None-Match": etag }) })
    expect(again.status).toBe(304)
    expect(again.headers.get("etag")).toBe(etag)
    const otherTolerance = await app.request("/v1/coterminosity/08Q?asOf=2015-06-01&tolerance=0.1", {
      headers: bearer(tokens.read, { "If-None-Match": etag })
    })
    expect(otherTolerance.status).toBe(200)
  })
})
