import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as BulkUpsert from "./BulkUpsert.ts"
import { column, type TableSpec } from "./TableSpec.ts"

const specWith = (width: number): TableSpec<Record<string, unknown>> => ({
  table: "t",
  key: ["c0"],
  columns: Array.from({ length: width }, (_, i) => column<Record<string, unknown>>(`f${i}`, `c${i}`, "text"))
})

const placeholders = (text: string): number => new Set(text.match(/\$\d+/gu) ?? []).size

describe("BulkUpsert", () => {
  it("sends one array parameter per column plus one per extra column, whatever the row count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 3 }), (width, extra) => {
        const text = BulkUpsert.upsertStatement(specWith(width), Array.from({ length: extra }, (_, i) => `x${i}`))
        expect(placeholders(text)).toBe(width + extra)
        expect(BulkUpsert.rowsPerChunk(width + extra) * (width + extra)).toBeLessThanOrEqual(BulkUpsert.maxValues)
      }),
      { numRuns: 40 }
    )
  })

  it("column arrays are PostgreSQL array literals: every value quoted with quotes and backslashes escaped, absent as NULL", () => {
    const spec: TableSpec<{ readonly k: string; readonly n?: number; readonly j: ReadonlyArray<string> }> = {
      table: "t",
      key: ["k"],
      columns: [column("k", "k", "text"), column("n", "n", "integer", { optional: true }), column("j", "j", "jsonb")]
    }
    const arrays = BulkUpsert.columnArrays(spec, [
      { k: "a \"quoted\" \\ back,slash {brace}", n: 1, j: ["x\"y"] },
      { k: "NULL", j: [] }
    ])
    expect(arrays).toEqual([
      `{"a \\"quoted\\" \\\\ back,slash {brace}","NULL"}`,
      `{"1",NULL}`,
      `{"[\\"x\\\\\\"y\\"]","[]"}`
    ])
  })

  it("chunks keep every row once, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 50 }), (items, size) => {
        const chunks = BulkUpsert.chunk(items, size)
        expect(chunks.flat()).toEqual(items)
        expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true)
      })
    )
  })

  it("de-duplicating keeps the last row of each natural key", () => {
    const spec: TableSpec<{ readonly k: string; readonly v: number }> = {
      table: "t",
      key: ["k"],
      columns: [column("k", "k", "text"), column("v", "v", "integer")]
    }
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.constantFrom("a", "b", "c"), v: fc.integer() })), (rows) => {
        const kept = BulkUpsert.dedupe(spec, rows)
        const expected = new Map(rows.map((r) => [r.k, r.v]))
        expect(new Map(kept.map((r) => [r.k, r.v]))).toEqual(expected)
        expect(kept).toHaveLength(expected.size)
      })
    )
  })

  it("updates only rows whose columns changed, and skips tables that are all key", () => {
    const text = BulkUpsert.upsertStatement(specWith(3), ["plugin"], { touch: "updated_at" })
    expect(text).toContain(`ON CONFLICT ("c0") DO UPDATE SET "c1" = EXCLUDED."c1", "c2" = EXCLUDED."c2", "plugin" = EXCLUDED."plugin", "updated_at" = now()`)
    expect(text).toContain(`WHERE ("t"."c1", "t"."c2", "t"."plugin") IS DISTINCT FROM (EXCLUDED."c1", EXCLUDED."c2", EXCLUDED."plugin")`)
    expect(BulkUpsert.upsertStatement(specWith(1), [])).toContain(`ON CONFLICT ("c0") DO NOTHING`)
  })
})
