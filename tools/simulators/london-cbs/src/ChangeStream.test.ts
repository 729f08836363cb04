import fc from "fast-check"
import { Result } from "effect"
import { expect, it } from "vitest"
import * as ChangeStream from "./ChangeStream.ts"

interface Item { readonly u: string; readonly id: string; readonly fy: string }

/** Items ordered by (u, id), as the simulator keeps its streams. */
const items = fc.uniqueArray(
  fc.record({ u: fc.constantFrom("2011-05-01T00:00:00Z", "2011-06-01T00:00:00Z", "2012-01-01T00:00:00Z"), id: fc.string({ minLength: 1, maxLength: 4 }), fy: fc.constantFrom("2011/12", "2012/13") }),
  { selector: (i) => `${i.u}|${i.id}` }
).map((xs) => [...xs].sort((a, b) => (a.u < b.u ? -1 : a.u > b.u ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))

const parse = (params: Record<string, string>) => {
  const q = ChangeStream.parse("activity", (name) => params[name])
  if (Result.isFailure(q) || q.success._tag !== "Dataset") throw new Error("expected a dataset query")
  return q.success
}

const pageAll = (list: ReadonlyArray<Item>, limit: number, fy?: string): ReadonlyArray<Item> => {
  const out: Array<Item> = []
  let params: Record<string, string> = { limit: String(limit), ...(fy === undefined ? {} : { financialYear: fy }) }
  for (let guard = 0; guard <= list.length + 1; guard++) {
    const page = ChangeStream.pageOf("activity", list, (i) => i, parse(params), (i) => fy === undefined || i.fy === fy)
    out.push(...page.rows)
    if (!page.hasMore) return out
    params = { limit: String(limit), cursor: page.nextCursor }
  }
  throw new Error("paging did not end")
}

it("paging with any page size yields exactly the (filtered) stream, in order, once", () => {
  fc.assert(
    fc.property(items, fc.integer({ min: 1, max: 7 }), fc.option(fc.constantFrom("2011/12", "2012/13"), { nil: undefined }), (list, limit, fy) => {
      expect(pageAll(list, limit, fy)).toEqual(list.filter((i) => fy === undefined || i.fy === fy))
    })
  )
})

it("updatedSince starts at the first item updated at or after it", () => {
  fc.assert(
    fc.property(items, (list) => {
      const page = ChangeStream.pageOf("activity", list, (i) => i, parse({ limit: "1000", updatedSince: "2011-06-01T00:00:00Z" }), () => true)
      expect(page.rows).toEqual(list.filter((i) => i.u >= "2011-06-01T00:00:00Z"))
    })
  )
})

it("a volume stream of N lines pages to exactly N indexes", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 }), (volume, limit) => {
      const seen: Array<number> = []
      let params: Record<string, string> = { limit: String(limit), volume: String(volume) }
      for (let guard = 0; guard <= volume; guard++) {
        const q = ChangeStream.parse("activity", (name) => params[name])
        if (Result.isFailure(q) || q.success._tag !== "Volume") throw new Error("expected a volume query")
        const page = ChangeStream.volumePageOf("activity", q.success, (i) => i)
        seen.push(...page.rows)
        if (!page.hasMore) break
        params = { limit: String(limit), cursor: page.nextCursor }
      }
      expect(seen).toEqual(Array.from({ length: volume }, (_, i) => i))
    })
  )
})
