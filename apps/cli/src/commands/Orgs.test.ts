import { describe, expect, it } from "vitest"
import * as HubProcess from "../test-support/HubProcess.ts"
import type { OrgJson } from "./Orgs.ts"

const orgs = async (...args: ReadonlyArray<string>): Promise<OrgJson> => {
  const run = await HubProcess.run(["orgs", ...args])
  expect(run.stderr).toBe("")
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as OrgJson
}

describe.concurrent("hub orgs on the bundled data", () => {
  it("Southwark PCT (5LE) on 2010-07-15 is operational and in the South East sector", async () => {
    const org = await orgs("5LE", "--as-of", "2010-07-15")
    expect(org.asOf).toBe("2010-07-15")
    expect(org.body).toMatchObject({ code: "5LE", kind: "primary-care-trust", operational: true, opened: "2006-10-01", closed: "2013-04-01" })
    expect(org.groups.filter((g) => g.kind === "sector").map((g) => g.code)).toEqual(["LDN-SECTOR-SE"])
    expect(org.groups.length).toBeGreaterThan(1) // also the board papers' groups (LCG, joint committee...)
    expect(org.successors.map((s) => s.code)).toEqual(["5LE"])
  })

  it("Southwark CCG (08Q) on 2020-04-01 is carried by South East London CCG (72Q)", async () => {
    const org = await orgs("08Q", "--as-of", "2020-04-01")
    expect(org.body.operational).toBe(false)
    expect(org.successors.map((s) => [s.code, s.name])).toEqual([["72Q", "NHS South East London CCG"]])
    expect(org.successions).toEqual([{ predecessor: "08Q", successor: "72Q", date: "2020-04-01", type: "merger" }])
  })

  it("Southwark CCG (08Q) answers as itself on 2019-04-01", async () => {
    expect((await orgs("08Q", "--as-of", "2019-04-01")).successors.map((s) => s.code)).toEqual(["08Q"])
  })

  it("a sector lists its members on the date, and 72Q its predecessors; GSS codes find bodies too", async () => {
    expect((await orgs("LDN-SECTOR-SE", "--as-of", "2010-07-15")).members.map((m) => m.code)).toEqual(["5A7", "5A8", "5LD", "5LE", "5LF", "TAK"])
    expect((await orgs("72Q", "--as-of", "2021-01-01")).predecessors).toHaveLength(6)
    expect((await orgs("E38000171", "--as-of", "2015-01-01")).body.code).toBe("08Q")
  })

  it("prints a table on request", async () => {
    const run = await HubProcess.run(["orgs", "08Q", "--as-of", "2020-04-01", "--format", "table"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^successor +72Q +NHS South East London CCG/mu)
  })

  it("an unknown code or a bad date exits 2 with a one-line reason", async () => {
    const unknown = await HubProcess.run(["orgs", "ZZZ"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe("hub: orgs: unknown body code \"ZZZ\" (not in the bundled dataset)\n")
    const badDate = await HubProcess.run(["orgs", "5LE", "--as-of", "2010-02-30"])
    expect(badDate.code).toBe(2)
    expect(badDate.stderr).toContain("bad --as-of \"2010-02-30\"")
  })
})
