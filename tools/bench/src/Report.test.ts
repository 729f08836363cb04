import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type * as Harness from "./Harness.ts"
import type * as Machine from "./Machine.ts"
import * as Report from "./Report.ts"

const machine: Machine.Machine = {
  cpuModel: "Test CPU",
  cores: 2,
  memoryGb: 24,
  node: "v20.20.2",
  v8: "11.3",
  platform: "linux x64",
  loadAverage1m: 0.5,
  gcExposed: true,
  commit: "abc1234"
}

const side = (label: string, medianMs: number): Harness.SideFigures => ({
  label,
  medianMs,
  minMs: medianMs,
  maxMs: medianMs,
  samplesMs: [medianMs],
  cpuMedianMs: medianMs,
  peakRssMb: 100,
  peakHeapUsedMb: 40,
  heapGrowthMb: 1
})

const result = (name: string, ours: number, anchor: number): Harness.Result => ({
  name,
  description: `${name} description`,
  params: { size: 1 },
  rounds: 1,
  warmup: 0,
  gcBetweenRounds: true,
  ours: side("ours", ours),
  anchor: side("anchor", anchor),
  timeRatio: ours / anchor,
  cpuRatio: ours / anchor,
  pairedTimeRatio: { median: ours / anchor, min: ours / anchor, max: ours / anchor },
  goal: { kind: "time", atMost: 0.25, measured: ours / anchor, status: ours / anchor <= 0.25 ? "pass" : "miss" }
})

const entry = (benchmark: string, date: string, results: ReadonlyArray<Harness.Result>): Report.Entry => ({
  benchmark,
  description: `${benchmark} benchmark`,
  mode: "full",
  date,
  durationSeconds: 1,
  machine,
  command: `npm run bench -- --only ${benchmark}`,
  results
})

describe("merge", () => {
  it("replaces a benchmark's earlier entry and keeps the other benchmarks' entries", () => {
    const first = Report.merge(undefined, [entry("worker", "2026-01-01", []), entry("coterminosity", "2026-01-01", [])])
    const second = Report.merge(first, [entry("worker", "2026-02-02", [])])
    expect(Object.keys(second.benchmarks)).toEqual(["coterminosity", "worker"])
    expect(second.benchmarks["worker"]?.date).toBe("2026-02-02")
    expect(second.benchmarks["coterminosity"]?.date).toBe("2026-01-01")
  })
})

describe("markdown", () => {
  it("shows each comparison's medians, ratio and verdict with the date, machine and command", () => {
    const text = Report.entryMarkdown(entry("coterminosity", "2026-03-03T10:00:00.000Z", [result("cot.report", 10, 200), result("cot.slow", 100, 200)]))
    expect(text).toContain("2026-03-03T10:00:00.000Z")
    expect(text).toContain("Test CPU (2 cores), 24 GB RAM, Node v20.20.2")
    expect(text).toContain("`npm run bench -- --only coterminosity`")
    expect(text).toMatch(/\| `cot\.report` \| 10\.0 ms .*\| 200 ms .*\| \*\*0\.050\*\* .*\*\*pass\*\*/u)
    expect(text).toMatch(/\| `cot\.slow` .*\*\*0\.500\*\* .*\*\*MISS\*\*/u)
  })

  it("replaces only the generated section and keeps the text around it", () => {
    const document = `# Benchmarks\n\nIntro.\n\n${Report.markers.start}\nold figures\n${Report.markers.end}\n\n## Analysis\n\nKept.\n`
    const updated = Report.replaceSection(document, `${Report.markers.start}\nnew figures\n${Report.markers.end}`)
    expect(updated).toBe(`# Benchmarks\n\nIntro.\n\n${Report.markers.start}\nnew figures\n${Report.markers.end}\n\n## Analysis\n\nKept.\n`)
  })

  it("appends the section to a document that has none yet", () => {
    expect(Report.replaceSection("# Benchmarks\n", "SECTION")).toBe("# Benchmarks\n\nSECTION\n")
  })

  it("refuses a document with only one marker, naming it", () => {
    expect(() => Report.replaceSection(`text ${Report.markers.end}`, "SECTION", "docs/benchmarks.md")).toThrow(
      "docs/benchmarks.md: expected the markers"
    )
  })
})

describe("files", () => {
  let dir = ""
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "hub-bench-report-"))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("writes the merged JSON and regenerates the markdown section from it", async () => {
    const json = path.join(dir, "benchmarks.json")
    const md = path.join(dir, "benchmarks.md")
    await writeFile(md, `# Benchmarks\n\n${Report.markers.start}\n${Report.markers.end}\n\nHand-written analysis.\n`)
    await Report.write([entry("coterminosity", "2026-01-01", [result("cot.report", 10, 200)])], json, md)
    await Report.write([entry("worker", "2026-01-02", [result("worker.c1", 90, 100)])], json, md)
    const written = JSON.parse(await readFile(json, "utf8")) as Report.ResultsFile
    expect(Object.keys(written.benchmarks)).toEqual(["coterminosity", "worker"])
    const text = await readFile(md, "utf8")
    expect(text).toContain("`cot.report`")
    expect(text).toContain("`worker.c1`")
    expect(text).toContain("Hand-written analysis.")
  })

  it("refuses to overwrite a JSON file that is not a results file, naming it", async () => {
    const json = path.join(dir, "package.json")
    await writeFile(json, `{"name": "something else"}`)
    await expect(Report.write([], json, path.join(dir, "b.md"))).rejects.toThrow(`${json}: not a @hub/bench results file`)
    expect(await readFile(json, "utf8")).toBe(`{"name": "something else"}`)
  })
})
