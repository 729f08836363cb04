/**
 * `hub coterminosity <ons-lookup.csv>`: how each health body of a real ONS LSOA lookup (any year) relates to the
 * councils, as JSON or a table. Optional area weights (population) and a tolerance for best-fit lookups.
 *
 * @since 0.1.0
 */
import { Coterminosity } from "@hub/domain"
import { AreaWeights, OnsLookup } from "@hub/reference-data"
import { Console, Effect } from "effect"
import { BadInput, oneLine } from "../BadInput.ts"
import * as Command from "../Command.ts"
import * as TextTable from "../TextTable.ts"

// ---------------------------------------------------------------------------------------------------------
// output
// ---------------------------------------------------------------------------------------------------------

/**
 * A council a health body shares areas with, in the JSON output.
 *
 * @category models
 * @since 0.1.0
 */
export interface CouncilJson {
  readonly code: string
  readonly name: string | null
  readonly areas: number
  readonly shareOfBody: number
  readonly shareOfCouncil: number
}

/**
 * A health body in the JSON output: `code` is its GSS code from the lookup, `odsCode` its ODS code (null when
 * the lookup has no ODS column), `name` from the lookup (null when it has no name column).
 *
 * @category models
 * @since 0.1.0
 */
export interface BodyJson {
  readonly code: string
  readonly odsCode: string | null
  readonly name: string | null
  readonly relation: Coterminosity.Relation
  readonly councils: ReadonlyArray<CouncilJson>
}

/**
 * The JSON document `hub coterminosity --format json` prints.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReportJson {
  readonly bodies: ReadonlyArray<BodyJson>
  readonly summary: Coterminosity.Summary
}

/**
 * The report in its JSON shape, with codes and names from the lookup.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toJson = (lookup: OnsLookup.OnsLookup, report: Coterminosity.Report): ReportJson => ({
  bodies: report.bodies.map((b) => {
    const named = lookup.healthBodies.get(b.body)
    return {
      code: b.body,
      odsCode: named?.odsCode ?? null,
      name: named?.name ?? null,
      relation: b.relation,
      councils: b.councils.map((c) => ({
        code: c.council,
        name: lookup.councils.get(c.council)?.name ?? null,
        areas: c.areas,
        shareOfBody: c.shareOfBody,
        shareOfCouncil: c.shareOfCouncil
      }))
    }
  }),
  summary: {
    coterminous: report.summary.coterminous,
    union: report.summary.union,
    within: report.summary.within,
    crossing: report.summary.crossing
  }
})

/**
 * The report as a table: one line per body and council it touches, then the summary.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toTable = (json: ReportJson): string => {
  const rows = json.bodies.flatMap((b) =>
    b.councils.map((c, i) => [
      i === 0 ? b.code : "",
      i === 0 ? b.odsCode ?? "" : "",
      i === 0 ? b.name ?? "" : "",
      i === 0 ? b.relation : "",
      c.code,
      c.name ?? "",
      String(c.areas),
      TextTable.percent(c.shareOfBody),
      TextTable.percent(c.shareOfCouncil)
    ])
  )
  const table = TextTable.render(
    [
      { heading: "code" },
      { heading: "ods" },
      { heading: "health body" },
      { heading: "relation" },
      { heading: "council" },
      { heading: "council name" },
      { heading: "areas", align: "right" },
      { heading: "of body", align: "right" },
      { heading: "of council", align: "right" }
    ],
    rows
  )
  const s = json.summary
  return `${table}\n\n${json.bodies.length} health bodies: ${s.coterminous} coterminous, ${s.union} union, ${s.within} within, ${s.crossing} crossing`
}

// ---------------------------------------------------------------------------------------------------------
// command
// ---------------------------------------------------------------------------------------------------------

const name = "coterminosity"

const usage = `Usage: hub coterminosity <ons-lookup.csv> [--weights <csv>] [--tolerance <t>] [--format json|table]

How each health body (CCG, sub-ICB location, PCT, LHB...) of an ONS LSOA lookup relates to the councils:
coterminous, union, within or crossing (DOMAIN.md §2). Columns are found by name, any year's release.

  --weights <csv>    LSOA weights (population): an LSOA code column and a weight/population column.
                     Every LSOA of the lookup must have a weight. Default: 1 per LSOA.
  --tolerance <t>    a share of at least 1 - t counts as whole (0 <= t < 1; default 0).
  --format json|table   default json.

Exit status: 0 done, 2 bad input (reason on standard error), 1 internal fault.`

const decimal = /^(?:\d+(?:\.\d*)?|\.\d+)$/u

const parseTolerance = (text: string): Effect.Effect<number, BadInput> => {
  const value = Number(text)
  return decimal.test(text.trim()) && Coterminosity.isTolerance(value)
    ? Effect.succeed(value)
    : Effect.fail(new BadInput({ reason: `${name}: bad --tolerance ${JSON.stringify(text)}: expected a number t with 0 <= t < 1` }))
}

const loadWeights = (file: string, lookup: OnsLookup.OnsLookup) =>
  AreaWeights.load(file).pipe(
    Effect.mapError((e) => oneLine(e.message)),
    Effect.flatMap((weights) => {
      const missing = lookup.rows.filter((r) => !weights.has(r.area))
      return missing.length === 0
        ? Effect.succeed((area: string) => weights.get(area) as number)
        : Effect.fail(
          new BadInput({
            reason: `${file}: ${missing.length} LSOA(s) of ${lookup.file} have no weight (first: ${missing[0]?.area})`
          })
        )
    })
  )

/**
 * The `coterminosity` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name,
  summary: "how each health body of an ONS LSOA lookup relates to the councils",
  usage,
  run: (args) =>
    Effect.gen(function*() {
      const { values, positionals } = yield* Command.parse(name, args, {
        weights: { type: "string" },
        tolerance: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" }
      })
      if (values.help === true) return yield* Console.log(usage)
      const file = yield* Command.onePositional(name, "ONS lookup file", positionals)
      const format = yield* Command.format(name, values.format)
      const tolerance = values.tolerance === undefined ? Coterminosity.defaultTolerance : yield* parseTolerance(values.tolerance)
      const lookup = yield* OnsLookup.load(file).pipe(Effect.mapError((e) => oneLine(e.message)))
      const weightOf = values.weights === undefined ? undefined : yield* loadWeights(values.weights, lookup)
      const report = Coterminosity.report(OnsLookup.assignments(lookup, weightOf), { tolerance })
      const json = toJson(lookup, report)
      yield* Console.log(format === "json" ? JSON.stringify(json, null, 2) : toTable(json))
    })
}
