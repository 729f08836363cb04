import { beforeAll, describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

const bodyLimit = 4096
const { app, runtime } = makeTestApp({ limits: { bodyBytes: bodyLimit } })

// The runtime (reference data, the embedded database) is built on first use: slow on a busy machine, so once
// here rather than inside the first test's time limit.
beforeAll(() => runtime.context(), 300_000)
const get = (path: string) => app.request(path, { headers: bearer(tokens.read) })
const post = (body: string, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
  app.request("/v1/delegations/check", { method: "POST", body, headers: bearer(tokens.read, headers) })

interface Resolution {
  readonly accountable: string
  readonly exercisedBy: ReadonlyArray<string>
  readonly involved: ReadonlyArray<string>
  readonly level?: string
  readonly chain: ReadonlyArray<{ readonly id: string }>
  readonly path: ReadonlyArray<string>
}

const resolve = async (query: string): Promise<Resolution> => {
  const res = await get(`/v1/delegations/resolve?${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Resolution
}

describe("GET /v1/delegations/resolve", () => {
  it("NHS Southwark stays accountable for acute commissioning exercised by the six-PCT joint committee (southwark-2010 §2)", async () => {
    const answer = await resolve("function=acute-commissioning&body=5LE&date=2011-01-01")
    expect(answer.accountable).toBe("5LE")
    expect(answer.exercisedBy).toEqual(["JC-SEL"])
    expect(answer.path).toEqual(["5LE", "JC-SEL"])
  })

  it("resolves by the council area the population is known by too", async () => {
    expect((await resolve("function=acute-commissioning&body=E09000028&date=2011-01-01")).exercisedBy).toEqual(["JC-SEL"])
  })

  it("joint primary care co-commissioning in 2015: NHS England accountable, both deciding", async () => {
    const answer = await resolve("function=primary-care-commissioning&body=08Q&date=2015-06-01")
    expect(answer.accountable).toBe("X24")
    expect(answer.level).toBe("joint")
    expect(answer.exercisedBy).toEqual(["08Q", "X24"])
  })

  it("follows proposed delegations only when asked", async () => {
    const agreed = await resolve("function=primary-care-commissioning&body=08Q&date=2017-01-01")
    expect(agreed.exercisedBy).toEqual(["X24"])
    const proposed = await resolve("function=primary-care-commissioning&body=08Q&date=2017-01-01&includeProposed=true")
    expect(proposed.exercisedBy).toEqual(["08Q"])
    expect(proposed.level).toBe("delegated")
  })

  it("defaults the date to today from the clock (2015-06-01 in tests)", async () => {
    expect((await resolve("function=primary-care-commissioning&body=08Q")).level).toBe("joint")
  })

  it("is a 404 when nothing is recorded for the function and body", async () => {
    expect((await get("/v1/delegations/resolve?function=urgent-care-budget&body=5LE&date=2011-01-01")).status).toBe(404)
  })

  it("lists every bad parameter: an unknown function, a missing body, a bad date", async () => {
    const res = await get("/v1/delegations/resolve?function=brain-surgery&date=2011-13-01")
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { errors: Array<{ path: Array<string> }> }
    expect([...new Set(problem.errors.map((e) => e.path.join(".")))].sort()).toEqual(["query.body", "query.date", "query.function"])
  })
})

const delegation = (overrides: Record<string, unknown> = {}) => ({
  id: "test-contract-management",
  function: "contract-management",
  delegator: "5LE",
  delegate: { _tag: "Body", code: "JC-SEL" },
  population: ["5LE"],
  period: { opened: "2010-07-01", closed: "2013-04-01" },
  ...overrides
})

describe("POST /v1/delegations/check", () => {
  it("answers 200 when every rule holds", async () => {
    const res = await post(JSON.stringify({ delegations: [delegation()] }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ valid: true, delegations: 1, holdings: 0 })
  })

  it("answers 422 with every violation when rules are broken", async () => {
    const res = await post(
      JSON.stringify({
        delegations: [
          delegation({ id: "closed-delegator", period: { opened: "2014-04-01", closed: "2015-04-01" } }),
          delegation({ id: "to-itself", delegate: { _tag: "Body", code: "5LE" } })
        ]
      })
    )
    expect(res.status).toBe(422)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    const problem = (await res.json()) as { violations: Array<{ rule: string; bodies: Array<string> }> }
    expect(problem.violations.length).toBeGreaterThanOrEqual(2)
    expect(problem.violations.every((v) => v.rule.startsWith("delegation/"))).toBe(true)
    expect(problem.violations.some((v) => v.bodies.includes("5LE"))).toBe(true)
  })

  it("rejects unknown fields, listing each with its path, together with other schema errors", async () => {
    const res = await post(JSON.stringify({ delegations: [delegation({ colour: "red", population: [] })], extra: 1 }))
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { errors: Array<{ path: Array<string | number>; message: string }> }
    const paths = problem.errors.map((e) => e.path.join("."))
    expect(paths).toEqual(expect.arrayContaining(["body.extra", "body.delegations.0.colour", "body.delegations.0.population.0"]))
  })

  it("malformed JSON is a 400 problem", async () => {
    const res = await post('{"delegations": [')
    expect(res.status).toBe(400)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toMatchObject({ status: 400, type: "urn:hub:problem:malformed-json" })
  })

  it("a body that is not JSON is a 415 problem", async () => {
    const res = await post("delegations=1", { "Content-Type": "application/x-www-form-urlencoded" })
    expect(res.status).toBe(415)
    expect((await post("{}", {})).status).toBe(415)
  })

  it("an oversized body with a Content-Length is a 413 problem", async () => {
    const body = JSON.stringify({ delegations: [], padding: "x".repeat(bodyLimit) })
    const res = await post(body, { "Content-Type": "application/json", "Content-Length": String(body.length) })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, type: "urn:hub:problem:payload-too-large" })
  })

  it("an oversized streamed body without a Content-Length is a 413 problem too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8) controller.close()
        else {
          sent += 1
          controller.enqueue(chunk)
        }
      }
    })
    const request = new Request("http://localhost/v1/delegations/check", {
      method: "POST",
      body: stream,
      headers: bearer(tokens.read, { "Content-Type": "application/json" }),
      duplex: "half"
    } as RequestInit)
    expect(request.headers.has("content-length")).toBe(false)
    const res = await app.request(request)
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(8)
  })

  it("a streamed body within the limit is read", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ delegations: [delegation()] }))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes)
        controller.close()
      }
    })
    const request = new Request("http://localhost/v1/delegations/check", {
      method: "POST",
      body: stream,
      headers: bearer(tokens.read, { "Content-Type": "application/json" }),
      duplex: "half"
    } as RequestInit)
    expect((await app.request(request)).status).toBe(200)
  })
})
