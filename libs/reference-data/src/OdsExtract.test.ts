import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as OdsExtract from "./OdsExtract.ts"
import * as ReferenceFiles from "./ReferenceFiles.ts"

const dir = mkdtempSync(join(tmpdir(), "ods-extract-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const load = (file: string) => Effect.runPromise(OdsExtract.load(file))
const failure = (file: string) => Effect.runPromise(Effect.flip(OdsExtract.load(file)))

const record = (code: string, open: string, close: string): string =>
  [code, `NHS ${code} CCG`, "Y56", "QKK", "1 HIGH STREET", "", "", "LONDON", "", "SE1 1AA", open, close, ...Array(15).fill("")]
    .map((f) => `"${f}"`)
    .join(",")

describe("OdsExtract", () => {
  it("reads the real eccg extract (quoted, CRLF) and turns the close date (last day) into an exclusive close", async () => {
    const ccgs = await load(ReferenceFiles.odsCcgs)
    expect(ccgs).toHaveLength(320)
    const southwark = ccgs.find((c) => c.code === "08Q")
    expect(southwark).toMatchObject({
      name: "NHS SOUTHWARK CCG",
      postcode: "SE1 2QH",
      address: ["160 TOOLEY STREET", "LONDON"],
      opened: "2013-04-01",
      lastDay: "2020-03-31",
      period: { opened: "2013-04-01", closed: "2020-04-01" }
    })
    expect(ccgs.find((c) => c.code === "10X")?.period).toEqual({ opened: "2013-04-01", closed: "2021-04-01" })
    expect(ccgs.find((c) => c.code === "72Q")?.period).toEqual({ opened: "2020-04-01" })
  })

  it("reads the real etr extract (unquoted, 24 fields) including trusts with no open date yet", async () => {
    const trusts = await load(ReferenceFiles.odsTrusts)
    expect(trusts).toHaveLength(241)
    expect(trusts.find((t) => t.code === "RJ1")?.name).toBe("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST")
    const r0a = trusts.find((t) => t.code === "R0A")
    expect(r0a?.name).toBe("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST")
    expect(r0a?.period).toBeUndefined()
  })

  it("a bad date names the file, line and field", async () => {
    const file = write("bad-date.csv", `${record("08Q", "20130401", "")}\r\n${record("08R", "20130401", "20201331")}\r\n`)
    const error = await failure(file)
    expect(error).toMatchObject({ _tag: "RowError", file, line: 2, column: 12, field: "Close Date" })
    expect(error.message).toBe(`${file}:2 column 12 (Close Date): "20201331" is not a date as YYYYMMDD or empty`)
  })

  it("a close date before the open date, a short row and a repeated code are errors", async () => {
    expect((await failure(write("before.csv", `${record("08Q", "20130401", "")}\n${record("08R", "20130401", "20120101")}\n`))).message)
      .toContain("before the open date")
    expect((await failure(write("short.csv", `${record("08Q", "20130401", "")}\n"08R","X","Y56"\n`))).message)
      .toContain(":2: expected 12 to 27 fields")
    expect((await failure(write("twice.csv", `${record("08Q", "20130401", "")}\n${record("08Q", "20130401", "")}\n`))).message)
      .toContain("08Q is already listed on line 1")
  })

  it("a file with a header or of another kind is a layout error listing the ODS fields", async () => {
    const error = await failure(ReferenceFiles.pcoList)
    expect(error._tag).toBe("LayoutError")
    expect(error.message).toContain("1 Organisation Code")
    expect(error.message).toContain("\"PCO11CD\"")
  })
})
