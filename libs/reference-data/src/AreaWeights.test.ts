import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as AreaWeights from "./AreaWeights.ts"

const dir = mkdtempSync(join(tmpdir(), "area-weights-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const load = (file: string) => Effect.runPromise(AreaWeights.load(file))
const failure = (file: string) => Effect.runPromise(Effect.flip(AreaWeights.load(file)))

describe("AreaWeights", () => {
  it("finds the LSOA and population columns of a mid-year estimates layout, with thousands separators", async () => {
    const file = write("mye.csv", "\uFEFFLSOA Code,LSOA Name,All Ages,0,1\r\nE01000001,City of London 001A,\"1,465\",7,9\r\nE01000002,City of London 001B,1436,8,4\r\n")
    expect([...(await load(file))]).toEqual([["E01000001", 1465], ["E01000002", 1436]])
  })

  it("finds LSOA11CD and a weight column in any order", async () => {
    const file = write("weights.csv", "weight,LSOA11CD\n2.5,E01000001\n0,E01000002\n")
    expect([...(await load(file))]).toEqual([["E01000001", 2.5], ["E01000002", 0]])
  })

  it("a negative or missing weight names the line and column", async () => {
    const file = write("negative.csv", "LSOA11CD,population\nE01000001,10\nE01000002,-3\n")
    expect(await failure(file)).toMatchObject({ _tag: "RowError", file, line: 3, column: 2, field: "population" })
  })

  it("a file without a weight column is a layout error listing what it looks for", async () => {
    const error = await failure(write("none.csv", "LSOA11CD,LSOA11NM\nE01000001,x\n"))
    expect(error._tag).toBe("LayoutError")
    expect(error.message).toContain("no weight column")
    expect(error.message).toContain("\"LSOA11NM\"")
  })
})
