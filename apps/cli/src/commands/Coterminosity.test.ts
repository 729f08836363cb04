import { ReferenceFiles } from "@hub/reference-data"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as HubProcess from "../test-support/HubProcess.ts"
import type { BodyJson, ReportJson } from "./Coterminosity.ts"

const dir = mkdtempSync(join(tmpdir(), "hub-coterminosity-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const expectBadInput = (run: HubProcess.Run, ...fragments: ReadonlyArray<string>): void => {
  expect(run.code).toBe(2)
  expect(run.stdout).toBe("")
  const lines = run.stderr.split("\n").filter((l) => l !== "")
  expect(lines).toHaveLength(1)
  for (const fragment of fragments) expect(lines[0]).toContain(fragment)
}

describe("hub coterminosity on the real July 2015 lookup", () => {
  let json: ReportJson
  const byOds = (ods: string): BodyJson => json.bodies.find((b) => b.odsCode === ods) as BodyJson

  beforeAll(async () => {
    const run = await HubProcess.run(["coterminosity", ReferenceFiles.onsLookup2015, "--format", "json"])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    json = JSON.parse(run.stdout) as ReportJson
  })

  it("prints exactly the documented shape", () => {
    expect(Object.keys(json)).toEqual(["bodies", "summary"])
    expect(Object.keys(json.summary)).toEqual(["coterminous", "union", "within", "crossing"])
    expect(Object.keys(byOds("07T"))).toEqual(["code", "odsCode", "name", "relation", "councils"])
    expect(Object.keys(byOds("07T").councils[0] ?? {})).toEqual(["code", "name", "areas", "shareOfBody", "shareOfCouncil"])
    expect(json.bodies).toHaveLength(209)
  })

  it("City and Hackney CCG (07T) is the union of the City of London and Hackney", () => {
    const body = byOds("07T")
    expect(body).toMatchObject({ code: "E38000035", name: "NHS City and Hackney CCG", relation: "union" })
    expect(body.councils.map((c) => [c.code, c.name, c.shareOfCouncil])).toEqual([
      ["E09000001", "City of London", 1],
      ["E09000012", "Hackney", 1]
    ])
  })

  it("Central London CCG (09A) is within Westminster", () => {
    const body = byOds("09A")
    expect(body.relation).toBe("within")
    expect(body.councils.map((c) => c.name)).toEqual(["Westminster"])
    expect(body.councils[0]?.shareOfBody).toBe(1)
  })

  it("West London CCG (08Y) crosses Kensington and Chelsea and Westminster", () => {
    const body = byOds("08Y")
    expect(body.relation).toBe("crossing")
    expect(body.councils.map((c) => c.name)).toEqual(["Kensington and Chelsea", "Westminster"])
  })

  it("Southampton CCG (10X) is coterminous with Southampton", () => {
    const body = byOds("10X")
    expect(body.relation).toBe("coterminous")
    expect(body.councils).toEqual([{ code: "E06000045", name: "Southampton", areas: 148, shareOfBody: 1, shareOfCouncil: 1 }])
  })

  it("the summary counts the bodies' relations", () => {
    const counted = { coterminous: 0, union: 0, within: 0, crossing: 0 }
    for (const b of json.bodies) counted[b.relation] += 1
    expect(json.summary).toEqual(counted)
  })
})

describe.concurrent("hub coterminosity options", () => {
  // H1 holds a1-a3, all in C1; C1 also holds a4, which is H2's. By count H1 holds 3/4 of C1.
  const lookup = write(
    "small.csv",
    "LSOA11CD,CCG20CD,CCG20CDH,CCG20NM,LAD20CD,LAD20NM\n" +
      "E01000001,E38000001,AAA,H1,E09000001,C1\nE01000002,E38000001,AAA,H1,E09000001,C1\n" +
      "E01000003,E38000001,AAA,H1,E09000001,C1\nE01000004,E38000002,BBB,H2,E09000001,C1\n"
  )
  const weights = write("weights.csv", "LSOA code,All Ages\nE01000001,100\nE01000002,100\nE01000003,100\nE01000004,1\n")
  const relationOfH1 = async (...args: ReadonlyArray<string>) => {
    const run = await HubProcess.run(["coterminosity", lookup, ...args])
    expect(run.code).toBe(0)
    return (JSON.parse(run.stdout) as ReportJson).bodies.find((b) => b.code === "E38000001")
  }

  it("weights change the shares and a tolerance lets a near-whole share count as whole", async () => {
    expect((await relationOfH1())?.councils[0]?.shareOfCouncil).toBe(0.75)
    const weighted = await relationOfH1("--weights", weights)
    expect(weighted?.councils[0]?.shareOfCouncil).toBeCloseTo(300 / 301, 12)
    expect(weighted?.relation).toBe("within")
    expect((await relationOfH1("--weights", weights, "--tolerance", "0.01"))?.relation).toBe("coterminous")
    expect((await relationOfH1("--tolerance", "0.01"))?.relation).toBe("within")
  })

  it("prints a table on request", async () => {
    const run = await HubProcess.run(["coterminosity", lookup, "--format", "table"])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("E38000001  AAA  H1           within")
    expect(run.stdout).toContain("2 health bodies: 0 coterminous, 0 union, 2 within, 0 crossing")
  })
})

describe.concurrent("hub coterminosity bad input exits 2 with a one-line reason", () => {
  it("a missing file", async () => {
    expectBadInput(await HubProcess.run(["coterminosity", join(dir, "absent.csv")]), "absent.csv: cannot read: no such file")
  })

  it("an unknown layout names the file and line", async () => {
    const file = write("layout.csv", "LSOA11CD,WARD\nE01000001,x\n")
    expectBadInput(await HubProcess.run(["coterminosity", file]), `${file}:1:`, "no health body code column")
  })

  it("a malformed row names the file, line and column", async () => {
    const file = write("row.csv", "LSOA11CD,CCG15CD,LAD15CD\nE01000001,E38000001,E09000001\nE01000002,E3800000,E09000001\n")
    expectBadInput(await HubProcess.run(["coterminosity", file]), `${file}:3 column 2 (CCG15CD)`)
  })

  it.each([["1"], ["-0.1"], ["abc"], [""]])("a tolerance of %j", async (tolerance) => {
    expectBadInput(await HubProcess.run(["coterminosity", ReferenceFiles.onsLookup2015, `--tolerance=${tolerance}`]), "bad --tolerance")
  })

  it("weights missing for some LSOAs, an unknown option, a bad format", async () => {
    const partial = write("partial.csv", "LSOA11CD,population\nE01000001,5\n")
    const small = write("two.csv", "LSOA11CD,CCG15CD,LAD15CD\nE01000001,E38000001,E09000001\nE01000002,E38000001,E09000001\n")
    expectBadInput(await HubProcess.run(["coterminosity", small, "--weights", partial]), "1 LSOA(s)", "E01000002")
    expectBadInput(await HubProcess.run(["coterminosity", small, "--colour"]), "--colour")
    expectBadInput(await HubProcess.run(["coterminosity", small, "--format", "xml"]), "bad --format")
  })
})
