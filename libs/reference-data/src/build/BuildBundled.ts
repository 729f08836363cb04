/**
 * Script that regenerates data/bundled/*.json from the real files in data/ (run from the library folder with
 * `npx tsx src/build/BuildBundled.ts`, or `npm run build-bundled`). Writes nothing and exits 1 if any check of
 * the derivation fails.
 *
 * @since 0.1.0
 */
import { Cause, Console, Effect, Exit, Result } from "effect"
import { writeFileSync } from "node:fs"
import { pathToFileURL } from "node:url"
import * as OdsExtract from "../OdsExtract.ts"
import * as OnsLookup from "../OnsLookup.ts"
import * as PcoList from "../PcoList.ts"
import * as ReferenceFiles from "../ReferenceFiles.ts"
import * as BundledDataset from "./BundledDataset.ts"

/**
 * Reads the real files and derives the dataset (no writing), for the script and for the test that checks the
 * committed files are up to date.
 *
 * @category running
 * @since 0.1.0
 */
export const derive = Effect.gen(function*() {
  const [pcos, eccg, lookup2015, lookup2020] = yield* Effect.all(
    [
      PcoList.load(ReferenceFiles.pcoList),
      OdsExtract.load(ReferenceFiles.odsCcgs),
      OnsLookup.load(ReferenceFiles.onsLookup2015),
      OnsLookup.load(ReferenceFiles.onsLookup2020)
    ],
    { concurrency: "unbounded" }
  )
  return BundledDataset.build({ pcos, eccg, lookup2015, lookup2020 })
})

/**
 * The committed JSON text of each file: stable key order, one body or coverage group per line, so a change to
 * the data shows as a readable diff.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toJsonText = (value: { readonly [key: string]: ReadonlyArray<unknown> }): string =>
  `{\n${Object.entries(value)
    .map(([key, items]) => `  ${JSON.stringify(key)}: [${items.length === 0 ? "" : `\n${items.map((i) => `    ${JSON.stringify(i)}`).join(",\n")}\n  `}]`)
    .join(",\n")}\n}\n`

const main = Effect.gen(function*() {
  const result = yield* derive
  if (Result.isFailure(result)) {
    for (const problem of result.failure) yield* Console.error(`problem: ${problem}`)
    return yield* Effect.fail(`${result.failure.length} problem(s); nothing written`)
  }
  const { organisations, geography, notes } = result.success
  for (const note of notes) yield* Console.log(note)
  yield* Effect.sync(() => {
    writeFileSync(ReferenceFiles.bundledOrganisations, toJsonText(organisations))
    writeFileSync(ReferenceFiles.bundledGeography, toJsonText(geography))
  })
  yield* Console.log(`wrote ${ReferenceFiles.bundledOrganisations} and ${ReferenceFiles.bundledGeography}`)
})

// Run only when started as a script; the tests import `derive` without writing anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void Effect.runPromiseExit(main).then((exit) => {
    if (Exit.isFailure(exit)) {
      console.error(Cause.pretty(exit.cause))
      process.exitCode = 1
    }
  })
}
