/**
 * `hub orgs <code>`: a body of the bundled dataset as at a date: what it is, the groups it belongs to (and hosts
 * or is nominated to), its members if it is a group, the bodies carrying its population on that date, and its
 * predecessors.
 *
 * @since 0.1.0
 */
import { CalendarDate, Organisation, Period, Registry } from "@hub/domain"
import { Bundled } from "@hub/reference-data"
import { Clock, Console, Effect } from "effect"
import { BadInput } from "../BadInput.ts"
import * as Command from "../Command.ts"
import * as TextTable from "../TextTable.ts"

// ---------------------------------------------------------------------------------------------------------
// output
// ---------------------------------------------------------------------------------------------------------

/**
 * A body in the JSON output; `closed` is null while open, and the period is `[opened, closed)`.
 *
 * @category models
 * @since 0.1.0
 */
export interface BodyJson {
  readonly code: string
  readonly odsCode: string | null
  readonly gssCode: string | null
  readonly name: string
  readonly kind: string
  readonly statutory: boolean
  readonly opened: string
  readonly closed: string | null
}

/**
 * The JSON document `hub orgs --format json` prints. `successors` are the bodies carrying the body's population
 * on `asOf`: the body itself while it is operational, else its successors followed forward to that date.
 *
 * @category models
 * @since 0.1.0
 */
export interface OrgJson {
  readonly asOf: string
  readonly body: BodyJson & { readonly operational: boolean }
  readonly groups: ReadonlyArray<BodyJson>
  readonly hostedBy: ReadonlyArray<BodyJson>
  readonly nominatedTo: ReadonlyArray<BodyJson>
  readonly members: ReadonlyArray<BodyJson>
  readonly successors: ReadonlyArray<BodyJson>
  readonly predecessors: ReadonlyArray<BodyJson>
  readonly successions: ReadonlyArray<{ readonly predecessor: string; readonly successor: string; readonly date: string; readonly type: string }>
}

const bodyJson = (b: Organisation.Body): BodyJson => ({
  code: b.code,
  odsCode: b.odsCode ?? null,
  gssCode: b.gssCode ?? null,
  name: b.name,
  kind: b.kind,
  statutory: b.statutory,
  opened: b.period.opened,
  closed: b.period.closed ?? null
})

/**
 * What the registry says about one body on a date.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describeBody = (registry: Registry.Registry, body: Organisation.Body, date: CalendarDate.CalendarDate): OrgJson => ({
  asOf: date,
  body: { ...bodyJson(body), operational: Period.contains(body.period, date) },
  groups: Registry.groupsOf(registry, body.code, date).map(bodyJson),
  hostedBy: Registry.groupsOf(registry, body.code, date, "hosted-by").map(bodyJson),
  nominatedTo: Registry.groupsOf(registry, body.code, date, "nominated-to").map(bodyJson),
  members: Registry.membersAt(registry, body.code, date).map(bodyJson),
  successors: Registry.successorsAt(registry, body.code, date).map(bodyJson),
  predecessors: Registry.predecessorsOf(registry, body.code).map(bodyJson),
  successions: Registry.successionsOf(registry, body.code).map((s) => ({
    predecessor: s.predecessor,
    successor: s.successor,
    date: s.date,
    type: s.type
  }))
})

/**
 * The description as text: the body, then a table of related bodies.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toTable = (org: OrgJson): string => {
  const b = org.body
  const codes = [b.odsCode === null ? "" : `ODS ${b.odsCode}`, b.gssCode === null ? "" : `GSS ${b.gssCode}`].filter((c) => c !== "")
  const head = [
    `${b.code}  ${b.name}`,
    `  ${b.kind}${b.statutory ? ", statutory" : ""}${codes.length === 0 ? "" : `; ${codes.join(", ")}`}`,
    `  operational [${b.opened}, ${b.closed ?? "open"}); on ${org.asOf}: ${b.operational ? "operational" : "not operational"}`
  ]
  const related: Array<Array<string>> = []
  const add = (relation: string, bodies: ReadonlyArray<BodyJson>) => {
    for (const r of bodies) related.push([relation, r.code, r.name, r.kind, `[${r.opened}, ${r.closed ?? "open"})`])
  }
  add("member of", org.groups)
  add("hosted by", org.hostedBy)
  add("nominated to", org.nominatedTo)
  add("member", org.members)
  add("successor", org.successors.filter((s) => s.code !== b.code))
  add("predecessor", org.predecessors)
  const table = related.length === 0
    ? `  nothing related on ${org.asOf}`
    : TextTable.render(
      [{ heading: `as at ${org.asOf}` }, { heading: "code" }, { heading: "name" }, { heading: "kind" }, { heading: "period" }],
      related
    )
  return `${head.join("\n")}\n\n${table}`
}

// ---------------------------------------------------------------------------------------------------------
// command
// ---------------------------------------------------------------------------------------------------------

const name = "orgs"

const usage = `Usage: hub orgs <code> [--as-of YYYY-MM-DD] [--format json|table]

A body of the bundled London and Southampton dataset as at a date: what it is, the groups it belongs to, its
members, the bodies carrying its population on that date (itself while operational, else its successors)
and its predecessors. <code> is a hub code (5LE, 08Q, E09000028, LDN-SECTOR-SE) or an ODS or GSS code.

  --as-of YYYY-MM-DD   the date to answer for (default: today, UTC).
  --format json|table  default json.

Exit status: 0 done, 2 bad input (reason on standard error), 1 internal fault.`

const today = Effect.map(Clock.currentTimeMillis, (ms) => CalendarDate.fromEpochDay(Math.floor(ms / 86_400_000)))

const parseDate = (text: string): Effect.Effect<CalendarDate.CalendarDate, BadInput> => {
  const date = CalendarDate.parse(text)
  return date === undefined
    ? Effect.fail(new BadInput({ reason: `${name}: bad --as-of ${JSON.stringify(text)}: expected a real date as YYYY-MM-DD` }))
    : Effect.succeed(date)
}

/**
 * The `orgs` command.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name,
  summary: "a body of the bundled dataset as at a date: groups, members, successors, predecessors",
  usage,
  run: (args) =>
    Effect.gen(function*() {
      const { values, positionals } = yield* Command.parse(name, args, {
        "as-of": { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" }
      })
      if (values.help === true) return yield* Console.log(usage)
      const code = yield* Command.onePositional(name, "body code", positionals)
      const format = yield* Command.format(name, values.format)
      const date = values["as-of"] === undefined ? yield* today : yield* parseDate(values["as-of"])
      const registry = Bundled.registry()
      const wanted = code.trim().toUpperCase()
      const body = Registry.get(registry, wanted) ?? Registry.findByOdsCode(registry, wanted) ?? Registry.findByGssCode(registry, wanted)
      if (body === undefined) {
        return yield* Effect.fail(new BadInput({ reason: `${name}: unknown body code ${JSON.stringify(code)} (not in the bundled dataset)` }))
      }
      const org = describeBody(registry, body, date)
      yield* Console.log(format === "json" ? JSON.stringify(org, null, 2) : toTable(org))
    })
}
