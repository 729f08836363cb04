import { Effect, Result, Stream } from "effect"
import fc from "fast-check"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as CsvFile from "./CsvFile.ts"

const dir = mkdtempSync(join(tmpdir(), "csv-file-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const records = (file: string, batchSize?: number) =>
  Effect.runPromise(Stream.runCollect(CsvFile.batches(file, batchSize === undefined ? {} : { batchSize }))).then((b) => b.flat())

describe("CsvFile", () => {
  it("keeps the line each record starts on across blank lines and quoted line breaks", async () => {
    const file = write("lines.csv", "\uFEFFa,b\r\n1,\"x,y\"\r\n\r\n\r\n2,\"two\r\nlines\"\r\n3,z\r\n\r\n")
    expect(await records(file)).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "x,y"] },
      { line: 5, fields: ["2", "two\r\nlines"] },
      { line: 7, fields: ["3", "z"] }
    ])
  })

  it("reports the start line of every record, whatever the line ends, blank lines and quoted line breaks (property)", async () => {
    const field = fc.stringMatching(/^[a-z,]{0,3}(?:(?:\r\n|\n)[a-z]{0,2})?$/u)
    const record = fc.array(field, { minLength: 1, maxLength: 4 }).filter((fields) => fields.some((f) => f.trim() !== ""))
    const input = fc.record({
      records: fc.array(fc.record({ fields: record, blanksBefore: fc.nat(2) }), { minLength: 1, maxLength: 12 }),
      eol: fc.constantFrom("\n", "\r\n"),
      bom: fc.boolean()
    })
    await fc.assert(
      fc.asyncProperty(input, async ({ records: rows, eol, bom }) => {
        let text = bom ? "\uFEFF" : ""
        const expected: Array<CsvFile.CsvRecord> = []
        for (const row of rows) {
          text += eol.repeat(row.blanksBefore)
          const line = text.split("\n").length
          expected.push({ line, fields: row.fields })
          text += row.fields.map((f) => (/[,\r\n]/u.test(f) || f === "" ? `"${f}"` : f)).join(",") + eol
        }
        expect(await records(write("property.csv", text))).toEqual(expected)
      }),
      { numRuns: 60 }
    )
  })

  it("hands records over in batches of the given size, in order", async () => {
    const file = write("many.csv", Array.from({ length: 25 }, (_, i) => `${i},v`).join("\n"))
    const batches = await Effect.runPromise(Stream.runCollect(CsvFile.batches(file, { batchSize: 10 })))
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5])
    expect(batches.flat().map((r) => r.fields[0])).toEqual(Array.from({ length: 25 }, (_, i) => String(i)))
  })

  it("a step's failure stops the fold with that failure", async () => {
    const file = write("stop.csv", "1\n2\n3\n")
    const exit = await Effect.runPromise(
      Effect.flip(CsvFile.fold(file, () => 0, (n, batch) => (n + batch.length > 1 ? Result.fail("too many") : Result.succeed(n + batch.length)), { batchSize: 1 }))
    )
    expect(exit).toBe("too many")
  })
})
