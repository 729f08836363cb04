import { ReferenceDataRepo, Store } from "@hub/store"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { bin, type Run } from "../test-support/HubProcess.ts"
import { parseLookupName } from "./ImportLookup.ts"

/** Runs `hub import-lookup ...` on the embedded database in `dataDir` (never a DATABASE_URL from the environment). */
const hub = (dataDir: string, args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir }
    delete env["DATABASE_URL"]
    delete env["HUB_DATABASE_SCHEMA"]
    const child = spawn(process.execPath, [bin, "import-lookup", ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL")
      reject(new Error(`hub import-lookup ${args.join(" ")} did not finish within 60 s`))
    }, 60_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

const folders: Array<string> = []
const freshFolder = async () => {
  const dir = await mkdtemp(join(tmpdir(), "hub-import-lookup-"))
  folders.push(dir)
  return dir
}
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true })
})

const csv = [
  "LSOA11CD,LSOA11NM,CCG15CD,CCG15CDH,CCG15NM,LAD15CD,LAD15NM,FID",
  "E01010638,Bradford 004A,E38000001,02N,NHS Airedale CCG,E08000032,Bradford,1",
  "E01023975,Ashford 007B,E38000002,09C,NHS Ashford CCG,E07000105,Ashford,2",
  "E01010639,Bradford 004B,E38000001,02N,NHS Airedale CCG,E08000032,Bradford,3",
  ""
].join("\n")

/** The file's data lines as the test counts them (non-empty, after the header). */
const dataLines = csv.split("\n").slice(1).filter((l) => l.trim() !== "")

/** What the embedded database in `dataDir` holds for `lookup` (read after the CLI has exited). */
const stored = (dataDir: string, lookup: string) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const repo = yield* ReferenceDataRepo.ReferenceDataRepo
      return { areas: (yield* repo.areas()).map((a) => a.code), coverage: (yield* repo.coverage(lookup)).map((c) => `${c.areaCode} ${c.bodyCode}`) }
    }).pipe(Effect.provide(Store.layerPglite({ dataDir: join(dataDir, "db") })))
  )

describe("hub import-lookup", () => {
  it("imports a lookup file, prints its counts; the store holds each LSOA's ODS-coded health body and council; a rerun changes nothing", async () => {
    const dataDir = await freshFolder()
    const file = join(await freshFolder(), "lsoa11-ccg15-lad15.csv")
    await writeFile(file, csv)

    const first = await hub(dataDir, [file])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toEqual({
      file,
      lookup: "lsoa11-ccg15-lad15",
      rows: dataLines.length,
      areas: dataLines.length,
      coverage: 2 * dataLines.length,
      written: 3 * dataLines.length
    })
    const expected = {
      areas: ["E01010638", "E01010639", "E01023975"],
      coverage: ["E01010638 02N", "E01010638 E08000032", "E01010639 02N", "E01010639 E08000032", "E01023975 09C", "E01023975 E07000105"]
    }
    expect(await stored(dataDir, "lsoa11-ccg15-lad15")).toEqual(expected)

    const again = await hub(dataDir, [file, "--format", "table"])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("lsoa11-ccg15-lad15")
    expect(await stored(dataDir, "lsoa11-ccg15-lad15")).toEqual(expected)

    const named = await hub(dataDir, [file, "--name", "ccg15"])
    expect(JSON.parse(named.stdout)).toMatchObject({ lookup: "ccg15", coverage: 2 * dataLines.length })
    expect((await stored(dataDir, "ccg15")).coverage).toEqual(expected.coverage)
  }, 240_000)

  it("a bad row exits 2 with one line naming the file, line and column, and writes nothing", async () => {
    const dataDir = await freshFolder()
    const file = join(await freshFolder(), "bad.csv")
    const lines = csv.split("\n")
    lines[2] = "E0102397X,Ashford 007B,E38000002,09C,NHS Ashford CCG,E07000105,Ashford,2"
    await writeFile(file, lines.join("\n"))
    const result = await hub(dataDir, [file])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(`${file}:3 column 1 (LSOA11CD)`)])
    expect(await stored(dataDir, "bad")).toEqual({ areas: [], coverage: [] })
  }, 120_000)

  it("bad arguments exit 2 with a one-line reason", async () => {
    const dataDir = await freshFolder()
    for (const [args, reason] of [
      [[], "missing lookup file"],
      [["a.csv", "b.csv"], "expected one lookup file"],
      [[join(dataDir, "missing.csv")], "missing.csv"],
      [["a.csv", "--name", "no spaces"], "bad --name"]
    ] as const) {
      const result = await hub(dataDir, args)
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(reason)])
    }
  }, 180_000)
})

describe("parseLookupName", () => {
  it("keeps a plain name and leaves an absent one to the file name", async () => {
    expect(await Effect.runPromise(parseLookupName(" sicbl22 "))).toBe("sicbl22")
    expect(await Effect.runPromise(parseLookupName(undefined))).toBeUndefined()
  })
})
