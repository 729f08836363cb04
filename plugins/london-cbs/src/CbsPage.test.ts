import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as CbsPage from "./CbsPage.ts"

describe("CbsPage.parseEnvelope", () => {
  it("accepts a page and says what is missing from a broken one", () => {
    expect(Result.isSuccess(CbsPage.parseEnvelope(JSON.stringify({ data: [], nextCursor: "c", hasMore: false })))).toBe(true)
    expect(CbsPage.parseEnvelope("{\"data\":[")).toEqual(Result.fail("the page is not valid JSON"))
    expect(CbsPage.parseEnvelope(JSON.stringify({ data: [], hasMore: true }))).toEqual(Result.fail("the page has no nextCursor"))
    expect(CbsPage.parseEnvelope(JSON.stringify({ nextCursor: "c", hasMore: true }))).toEqual(Result.fail("the page has no data array"))
    expect(CbsPage.parseEnvelope(JSON.stringify({ data: [], nextCursor: "c" }))).toEqual(Result.fail("the page has no hasMore flag"))
    expect(CbsPage.parseEnvelope("[]")).toEqual(Result.fail("the page has no data array"))
  })
})
