/**
 * `hub status`: per plugin and stream the last successful sync, rows stored and quarantined; per queue the job
 * counts and the failed jobs with their reasons; per plugin the outbox by status. It asks the running hub
 * (`npm start` serves its status on loopback, `HUB_STATUS_URL`, default http://127.0.0.1:8090/status),
 * because the embedded database belongs to that one process.
 *
 * @since 0.1.0
 */
import { Config, Console, Effect } from "effect"
import { BadInput } from "../BadInput.ts"
import * as Command from "../Command.ts"
import * as TextTable from "../TextTable.ts"

/**
 * The status document the hub serves (`Status.HubStatus` of libs/hub, as JSON).
 *
 * @category models
 * @since 0.1.0
 */
export interface StatusDocument {
  readonly streams: ReadonlyArray<{
    readonly plugin: string
    readonly stream: string
    readonly lastSyncAt?: string
    readonly rowsStored: number
    readonly rowsQuarantined: number
  }>
  readonly queues: ReadonlyArray<{
    readonly queue: string
    readonly counts?: { readonly waiting: number; readonly active: number; readonly delayed: number; readonly failed: number; readonly completed: number }
    readonly failedJobs: ReadonlyArray<{ readonly id: string; readonly reason: string; readonly attempts: number }>
    readonly error?: string
  }>
  readonly outbox: ReadonlyArray<{ readonly plugin: string; readonly counts: Readonly<Record<string, number>> }>
}

/**
 * The document as three tables and a list of failed jobs.
 *
 * @category formatting
 * @since 0.1.0
 */
export const render = (status: StatusDocument): string => {
  const streams = TextTable.render(
    [{ heading: "plugin" }, { heading: "stream" }, { heading: "last sync" }, { heading: "stored", align: "right" }, { heading: "quarantined", align: "right" }],
    status.streams.map((s) => [s.plugin, s.stream, s.lastSyncAt ?? "never", String(s.rowsStored), String(s.rowsQuarantined)])
  )
  const queues = TextTable.render(
    [
      { heading: "queue" },
      { heading: "waiting", align: "right" },
      { heading: "active", align: "right" },
      { heading: "delayed", align: "right" },
      { heading: "failed", align: "right" },
      { heading: "completed", align: "right" }
    ],
    status.queues.map((q) =>
      q.counts === undefined
        ? [q.queue, `unavailable: ${q.error ?? "no answer"}`]
        : [q.queue, String(q.counts.waiting), String(q.counts.active), String(q.counts.delayed), String(q.counts.failed), String(q.counts.completed)]
    )
  )
  const statuses = ["prepared", "sent", "acknowledged", "rejected", "failed"] as const
  const outbox = TextTable.render(
    [{ heading: "plugin" }, ...statuses.map((s) => ({ heading: s, align: "right" as const }))],
    status.outbox.map((o) => [o.plugin, ...statuses.map((s) => String(o.counts[s] ?? 0))])
  )
  const failed = status.queues.flatMap((q) => q.failedJobs.map((j) => `  ${q.queue} job ${j.id} (${j.attempts} attempts): ${j.reason}`))
  return [
    "Streams",
    streams,
    "",
    "Queues",
    queues,
    "",
    failed.length === 0 ? "Failed jobs: none" : ["Failed jobs", ...failed].join("\n"),
    "",
    "Outbox",
    outbox
  ].join("\n")
}

const statusUrl = Config.String("HUB_STATUS_URL").pipe(Config.withDefault("http://127.0.0.1:8090/status"))

const fetchStatus = (url: string): Effect.Effect<StatusDocument, BadInput> =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, { signal })
      const body = (await response.json()) as unknown
      if (!response.ok) throw new Error(`the hub answered ${response.status}: ${JSON.stringify(body)}`)
      return body as StatusDocument
    },
    catch: (error) =>
      new BadInput({
        reason: `status: cannot read the hub's status at ${url} (${error instanceof Error ? error.message : String(error)}); is the hub running (npm start)? Set HUB_STATUS_URL if it serves elsewhere`
      })
  }).pipe(Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.fail(new BadInput({ reason: `status: the hub at ${url} did not answer within 10 seconds` })) }))

/**
 * The command.
 *
 * @category commands
 * @since 0.1.0
 */
export const command: Command.Command = {
  name: "status",
  summary: "the running hub: last sync and rows per stream, queues and failed jobs, outbox",
  usage: "hub status [--url URL] [--format table|json]",
  run: (args) =>
    Effect.gen(function*() {
      const parsed = yield* Command.parse("status", args, { url: { type: "string" }, format: { type: "string" }, help: { type: "boolean" } })
      if (parsed.values.help === true) return yield* Console.log(command.usage)
      const format = parsed.values.format === undefined ? "table" : yield* Command.format("status", parsed.values.format)
      const url = parsed.values.url ?? (yield* statusUrl.pipe(Effect.orElseSucceed(() => "http://127.0.0.1:8090/status")))
      const status = yield* fetchStatus(url)
      yield* Console.log(format === "json" ? JSON.stringify(status, null, 2) : render(status))
    })
}
