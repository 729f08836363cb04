import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as PcoList from "./PcoList.ts"
import * as ReferenceFiles from "./ReferenceFiles.ts"

const dir = mkdtempSync(join(tmpdir(), "pco-list-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const failure = (file: string) => Effect.runPromise(Effect.flip(PcoList.load(file)))

describe("PcoList", () => {
  it("reads the real April 2011 list: trailing empty column, unquoted commas in names, the blank last record", async () => {
    const pcos = await Effect.runPromise(PcoList.load(ReferenceFiles.pcoList))
    expect(pcos).toHaveLength(151)
    expect(pcos.find((p) => p.odsCode === "5LE")).toMatchObject({ gssCode: "E16000059", name: "Southwark" })
    expect(pcos.find((p) => p.odsCode === "5HG")?.name).toBe("Ashton, Leigh and Wigan")
    expect(pcos.find((p) => p.odsCode === "5A3")?.name).toBe("South Gloucestershire")
    expect(pcos.find((p) => p.odsCode === "TAK")?.gssCode).toBe("E17000002")
  })

  it("columns are found by name in any order", async () => {
    const file = write("reordered.csv", "PCO11NM,PCO11CDO,PCO11CD\n\"Ashton, Leigh and Wigan\",5HG,E16000032\nSouthwark,5LE,E16000059\n")
    const pcos = await Effect.runPromise(PcoList.load(file))
    expect(pcos.map((p) => [p.gssCode, p.odsCode, p.name])).toEqual([
      ["E16000032", "5HG", "Ashton, Leigh and Wigan"],
      ["E16000059", "5LE", "Southwark"]
    ])
  })

  it("extra values after a column that is not the name are an error, not a silent shift", async () => {
    const file = write("shifted.csv", "PCO11NM,PCO11CD,PCO11CDO\nSouthwark,E16000059,5LE,oops\n")
    expect((await failure(file)).message).toBe(`${file}:2: expected 3 fields, found 4 with values after the last column`)
  })

  it("a bad ODS code names line and column; a header without the columns lists them", async () => {
    const bad = write("bad.csv", "PCO11CD,PCO11CDO,PCO11NM\nE16000059,5le,Southwark\n")
    expect(await failure(bad)).toMatchObject({ _tag: "RowError", line: 2, column: 2, field: "PCO11CDO" })
    const layout = await failure(write("layout.csv", "CODE,NAME\nE16000059,Southwark\n"))
    expect(layout._tag).toBe("LayoutError")
    expect(layout.message).toContain("PCO<yy>CDO")
  })
})
