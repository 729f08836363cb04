import { Schema } from "effect"
import { Hono } from "hono"
import { describe, expect, it } from "vitest"
import { ValidationFailed } from "../problems/GatewayErrors.ts"
import * as QueryParams from "./QueryParams.ts"
import { validate } from "./Validation.ts"

/** A route validating its path and query, recording every decoded value it was handed. */
const makeApp = () => {
  const seen: Array<{ readonly param: unknown; readonly query: unknown }> = []
  const app = new Hono()
    .get(
      "/things/:code",
      validate("param", Schema.Struct({ code: Schema.String.check(Schema.isPattern(/^[A-Z0-9]{3}$/u)) })),
      validate("query", Schema.Struct({ asOf: Schema.optionalKey(QueryParams.AsOf), limit: Schema.optionalKey(QueryParams.Limit) })),
      (c) => {
        seen.push({ param: c.req.valid("param"), query: c.req.valid("query") })
        return c.json({ param: c.req.valid("param"), query: c.req.valid("query") })
      }
    )
  app.onError((error, c) =>
    error instanceof ValidationFailed ? c.json({ issues: error.issues.map((i) => i.path.join(".")) }, 400) : c.text("unexpected", 500)
  )
  return { app, seen }
}

describe("validate (query and path)", () => {
  it("decodes the same query string and path once: later requests get the value decoded first", async () => {
    const { app, seen } = makeApp()
    expect(await (await app.request("/things/ABC?asOf=2015-06-01&limit=5")).json()).toEqual({
      param: { code: "ABC" },
      query: { asOf: "2015-06-01", limit: 5 }
    })
    await app.request("/things/ABC?asOf=2015-06-01&limit=5")
    await app.request("/things/ABD?asOf=2015-06-01&limit=6")
    const [first, second, third] = seen
    expect(second?.query).toBe(first?.query)
    expect(second?.param).toBe(first?.param)
    expect(third?.query).not.toBe(first?.query)
    expect(third?.query).toEqual({ asOf: "2015-06-01", limit: 6 })
    expect(third?.param).toEqual({ code: "ABD" })
  })

  it("rejects bad input every time, with every issue, also after good input on the same route", async () => {
    const { app } = makeApp()
    await app.request("/things/ABC?asOf=2015-06-01")
    for (let i = 0; i < 2; i++) {
      const res = await app.request("/things/ABC?asOf=2013-02-29&limit=0")
      expect(res.status).toBe(400)
      expect(((await res.json()) as { issues: Array<string> }).issues.sort()).toEqual(["query.asOf", "query.limit"])
      expect((await app.request("/things/abcd")).status).toBe(400)
    }
  })

  it("keeps a bounded number of decoded values: an old query string is decoded afresh", async () => {
    const { app, seen } = makeApp()
    await app.request("/things/ABC?limit=1")
    for (let limit = 2; limit <= 200; limit++) await app.request(`/things/ABC?limit=${limit}`)
    await app.request("/things/ABC?limit=1")
    const first = seen[0]?.query
    const last = seen[seen.length - 1]?.query
    expect(last).toEqual(first)
    expect(last).not.toBe(first)
  })
})
