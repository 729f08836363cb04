/**
 * Command-line entry point: `npm run bench -w @hub/bench -- [--smoke] [--only coterminosity,gateway,worker,ingest,push] [--json FILE]
 * [--md FILE] [--strict] [--ingest-rows SMALL,LARGE] [--push-returns N]`. Full runs write docs/benchmarks.json and the generated section of docs/benchmarks.md;
 * smoke runs write to a temporary folder unless given files. Reads REDIS_URL (default redis://127.0.0.1:6379) and
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 *
 * @since 0.1.0
 */
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import * as Runner from "./Runner.ts"
import * as Suite from "./Suite.ts"
import * as Report from "./Report.ts"

const usage = `usage: npm run bench -w @hub/bench -- [--smoke] [--only NAME[,NAME]] [--json FILE] [--md FILE] [--strict]
  [--ingest-rows SMALL,LARGE] [--push-returns N]
  --smoke    tiny sizes, 1-2 rounds, goals not enforced; writes to a temporary folder unless --json/--md given
  --only     run only these benchmarks (coterminosity, gateway, worker, ingest, push); their entries replace the earlier ones
  --json     results file (default docs/benchmarks.json)
  --md       markdown report whose generated section is rewritten (default docs/benchmarks.md)
  --strict   exit 1 when a goal is missed
  --ingest-rows SMALL,LARGE   rows of the ingest benchmark's two sizes in a full run (default 100000,1000000;
             e.g. smaller for profiling)
  --push-returns N   returns the push benchmark prepares and pushes per measurement (default 1000, 20 with
             --smoke; e.g. 200 for profiling)
environment: REDIS_URL (default redis://127.0.0.1:6379), BENCH_DATABASE_URL or TEST_DATABASE_URL
  (default postgres://postgres@127.0.0.1:5432/test)`

const workspaceRoot = fileURLToPath(new URL("../../../", import.meta.url))

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      json: { type: "string" },
      md: { type: "string" },
      strict: { type: "boolean", default: false },
      "ingest-rows": { type: "string" },
      "push-returns": { type: "string" },
      help: { type: "boolean", default: false }
    }
  })
  if (values.help) {
    console.log(usage)
    return 0
  }
  const mode = values.smoke ? "smoke" : "full"
  const ingestRows = values["ingest-rows"]?.split(",").map((n) => Number(n.trim()))
  if (ingestRows !== undefined && (ingestRows.length !== 2 || !ingestRows.every((n) => Number.isSafeInteger(n) && n > 0))) {
    console.error(`--ingest-rows wants two whole numbers SMALL,LARGE, got "${values["ingest-rows"]}"`)
    return 2
  }
  const pushReturnsText = values["push-returns"]
  const pushReturns = pushReturnsText === undefined ? undefined : Number(pushReturnsText.trim())
  if (pushReturns !== undefined && !(Number.isSafeInteger(pushReturns) && pushReturns > 0)) {
    console.error(`--push-returns wants a whole number above 0, got "${pushReturnsText}"`)
    return 2
  }
  const smokeDir = mode === "smoke" && (values.json === undefined || values.md === undefined) ? await mkdtemp(path.join(tmpdir(), "hub-bench-")) : undefined
  const jsonFile = path.resolve(values.json ?? (smokeDir === undefined ? path.join(workspaceRoot, "docs/benchmarks.json") : path.join(smokeDir, "benchmarks.json")))
  const markdownFile = path.resolve(values.md ?? (smokeDir === undefined ? path.join(workspaceRoot, "docs/benchmarks.md") : path.join(smokeDir, "benchmarks.md")))
  const only = values.only?.flatMap((name) => name.split(",")).map((name) => name.trim()).filter((name) => name !== "")
  const args = [
    ...(values.smoke ? ["--smoke"] : []),
    ...(only === undefined ? [] : ["--only", only.join(",")]),
    ...(ingestRows === undefined ? [] : ["--ingest-rows", ingestRows.join(",")]),
    ...(pushReturns === undefined ? [] : ["--push-returns", String(pushReturns)])
  ]
  const command = ["npm run bench -w @hub/bench", ...(args.length === 0 ? [] : ["--", ...args])].join(" ")
  const outcome = await Runner.run({
    benchmarks: Suite.all({
      redisUrl: process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
      databaseUrl: process.env["BENCH_DATABASE_URL"] ?? process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test",
      ...(ingestRows === undefined ? {} : { ingestRows: { small: ingestRows[0] as number, large: ingestRows[1] as number } }),
      ...(pushReturns === undefined ? {} : { pushReturns })
    }),
    mode,
    only,
    jsonFile,
    markdownFile,
    command,
    cwd: workspaceRoot,
    log: (line) => console.error(line)
  })
  for (const entry of outcome.entries) console.log(`\n${Report.entryMarkdown(entry)}\n`)
  console.log(`written: ${jsonFile}\n         ${markdownFile}`)
  const missed = outcome.entries.flatMap((entry) => entry.results).filter((result) => result.goal?.status === "miss")
  for (const result of missed) console.log(`MISS: ${result.name}: ${result.goal?.kind} ratio ${result.goal?.measured.toFixed(3)}`)
  return values.strict && missed.length > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exitCode = 1
  }
)
