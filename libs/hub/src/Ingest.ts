/**
 * The pull use case (ARCHITECTURE.md, "Pull (ingest)"): read a stream's committed cursor, pull the next page
 * through the plugin, check every record against its canonical schema in plain code over the batch, and commit
 * the page in one transaction (records upserted by natural key, bad rows quarantined, cursor advanced). A crash
 * leaves the page committed with its cursor or not at all; a replay stores nothing twice. After the pages of a
 * run, the budget positions they affect are recomputed (Positions.ts).
 *
 * @since 0.1.0
 */
import { type Page, PluginError, RecordType } from "@hub/plugin-sdk"
import { type BudgetRepo, IngestRepo, RecordKinds } from "@hub/store"
import { Effect, Result } from "effect"
import { ConcurrentIngest, PageTooLarge, storeFailure, type StoreFailure, UnsupportedStream } from "./HubError.ts"
import { PluginRegistry, type UnknownPlugin } from "./PluginRegistry.ts"
import * as Positions from "./Positions.ts"

/**
 * Which stream to ingest: a registry id and one of its manifest's streams.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamRef {
  readonly plugin: string
  readonly stream: string
}

/**
 * What one page did. `accepted` is the page's source rows; `accepted = stored + quarantined` always.
 * `written` counts record rows actually inserted or changed (0 when the page had been committed before).
 *
 * @category models
 * @since 0.1.0
 */
export interface PageOutcome {
  readonly plugin: string
  readonly stream: string
  readonly from: string | null
  readonly nextCursor: string
  readonly done: boolean
  readonly accepted: number
  readonly stored: number
  readonly quarantined: number
  readonly written: number
  /** The budget positions the page's stored records affect (recomputed by {@link runToEnd}). */
  readonly affected: ReadonlyArray<Positions.Key>
}

/**
 * What a run of pages did, summed.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunOutcome {
  readonly plugin: string
  readonly stream: string
  readonly pages: number
  readonly accepted: number
  readonly stored: number
  readonly quarantined: number
  readonly written: number
  readonly cursor: string | null
  readonly done: boolean
  /** What recomputing the affected budget positions did. */
  readonly positions: Positions.Recomputed
}

/**
 * Every way an ingest can fail; each carries `retryable`.
 *
 * @category models
 * @since 0.1.0
 */
export type IngestError =
  | PluginError.PluginError
  | UnknownPlugin
  | UnsupportedStream
  | StoreFailure
  | ConcurrentIngest
  | PageTooLarge

/**
 * A page checked against its canonical schema: the records to store and every rejection (the plugin's own,
 * then records that fail the schema or repeat an earlier record's natural key on the page).
 *
 * @category models
 * @since 0.1.0
 */
export interface CheckedPage<A> {
  readonly records: ReadonlyArray<A>
  readonly rejections: ReadonlyArray<IngestRepo.Rejection>
}

const lineOf = (record: unknown, index: number): number =>
  typeof record === "object" && record !== null && "line" in record && typeof record.line === "number" &&
    Number.isSafeInteger(record.line)
    ? record.line
    : index + 1

const rawOf = (record: unknown): string => {
  try {
    return JSON.stringify(record) ?? String(record)
  } catch {
    return String(record)
  }
}

/**
 * Checks a page's records against the canonical type (its decoded form: money as pence, dates as dates) and
 * against each other (natural keys unique on the page), in plain code over the batch. A record that fails is a
 * rejection, never a failure: `records.length + rejections.length` is the page's row count.
 *
 * @category validation
 * @since 0.1.0
 */
export const checkPage = <A>(info: RecordType.RecordTypeInfo<A>, page: Page.Page): CheckedPage<A> => {
  // Compiled once per record type, with its plain fast check where it has one (RecordType.ts).
  const check = info.check
  const records: Array<A> = []
  const rejections: Array<IngestRepo.Rejection> = page.rejections.map((r) => ({ line: r.line, raw: r.raw, problems: r.problems }))
  const seen = new Map<string, number>()
  page.records.forEach((candidate, index) => {
    const line = lineOf(candidate, index)
    const checked = check(candidate)
    if (Result.isFailure(checked)) {
      rejections.push({ line, raw: rawOf(candidate), problems: checked.failure.map((p) => ({ field: p.field, reason: `${p.reason} (the plugin returned a record that is not a valid ${info.name})` })) })
      return
    }
    const key = info.naturalKey(checked.success)
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      rejections.push({ line, raw: rawOf(candidate), problems: [{ field: "*", reason: `repeats the natural key ${key} of the record on line ${earlier} of this page` }] })
      return
    }
    seen.set(key, line)
    records.push(checked.success)
  })
  return { records, rejections }
}

const isStoredKind = (name: string): name is RecordKinds.RecordKind => Object.hasOwn(RecordKinds.tables, name)

/**
 * Ingests the next page of a stream: reads the committed cursor, pulls one page from there, checks it, and
 * commits it with the cursor after it in one transaction. When another worker moved the cursor meanwhile,
 * nothing is written (`ConcurrentIngest`, retryable).
 *
 * @category use cases
 * @since 0.1.0
 */
export const runPage = Effect.fn("Ingest.runPage")(function*(ref: StreamRef, options: PageOptions = {}) {
  const stream = yield* resolveStream(ref)
  const from = yield* stream.repo.cursor(ref).pipe(Effect.mapError(storeFailure("reading the cursor")))
  const pulled = yield* pullChecked(stream, from, maxPageRowsOf(options)).pipe(Effect.catch((e) => settleRefusal(stream, from, e)))
  return yield* commitPulled(stream, from, pulled)
})

/** A stream resolved once per run: its plugin entry, record kind and the store. */
const resolveStream = Effect.fnUntraced(function*(ref: StreamRef) {
  const registry = yield* PluginRegistry
  const repo = yield* IngestRepo.IngestRepo
  const entry = yield* registry.get(ref.plugin)
  const descriptor = entry.manifest.streams.find((s) => s.name === ref.stream)
  if (descriptor === undefined) {
    return yield* new PluginError.BadConfiguration({
      reason: `${entry.id} has no stream ${JSON.stringify(ref.stream)} (streams: ${entry.manifest.streams.map((s) => s.name).join(", ")})`
    })
  }
  const kind = descriptor.recordType
  if (!isStoredKind(kind)) {
    return yield* new UnsupportedStream({ plugin: ref.plugin, stream: ref.stream, reason: `the store keeps no ${kind} records` })
  }
  return { ref, entry, repo, kind }
})

type ResolvedStream = Effect.Success<ReturnType<typeof resolveStream>>

/** A page pulled from `from` and checked, not yet committed. */
interface PulledPage {
  readonly page: Page.Page
  readonly checked: CheckedPage<RecordKinds.Rows[RecordKinds.RecordKind]>
}

const pullChecked = Effect.fnUntraced(function*(stream: ResolvedStream, from: string | null, maxPageRows: number) {
  const page = yield* capRows(stream, from, yield* stream.entry.pull(stream.ref.stream, from), maxPageRows)
  // The store's row type of each kind mirrors the SDK's canonical type field for field (RecordKinds.ts), so a
  // record that passed the canonical schema is a row of its table.
  const checked = checkPage(RecordType.recordTypes[stream.kind] as RecordType.RecordTypeInfo<RecordKinds.Rows[typeof stream.kind]>, page)
  const pulled: PulledPage = { page, checked }
  return pulled
})

/** Commits a pulled page read from `from`, refusing it when the committed cursor is no longer `from`. */
const commitPulled = Effect.fnUntraced(function*(stream: ResolvedStream, from: string | null, { checked, page }: PulledPage) {
  const { kind, ref, repo } = stream
  const counts = yield* repo.commitPage({
    plugin: ref.plugin,
    stream: ref.stream,
    kind,
    records: checked.records,
    rejections: checked.rejections,
    nextCursor: page.nextCursor,
    expectedCursor: from
  }).pipe(
    Effect.catchTag("CursorMoved", (moved) =>
      Effect.fail(new ConcurrentIngest({ plugin: ref.plugin, stream: ref.stream, expected: moved.expected, actual: moved.actual }))),
    Effect.mapError((e) => (e._tag === "ConcurrentIngest" ? e : storeFailure("committing the page")(e)))
  )
  const outcome: PageOutcome = {
    plugin: ref.plugin,
    stream: ref.stream,
    from,
    nextCursor: page.nextCursor,
    done: page.done,
    accepted: page.records.length + page.rejections.length,
    stored: counts.stored,
    quarantined: counts.quarantined,
    written: counts.written,
    affected: Positions.affectedBy(kind, checked.records)
  }
  const { affected: _affected, ...logged } = outcome
  yield* Effect.logDebug("ingested a page").pipe(Effect.annotateLogs({ ...logged, affectedPositions: outcome.affected.length }))
  return outcome
})

/** A page that made no progress and is not the end would loop forever: it ends the run. */
const endsRun = (page: Page.Page, from: string | null): boolean =>
  page.done || (page.records.length + page.rejections.length === 0 && page.nextCursor === from)

/**
 * Options of {@link runPage}.
 *
 * @category models
 * @since 0.1.0
 */
export interface PageOptions {
  /** The row cap: a page holding more rows is refused whole (see {@link PageTooLarge}). Default {@link defaultMaxPageRows}. */
  readonly maxPageRows?: number | undefined
}

/**
 * Options of {@link runToEnd}.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunOptions extends PageOptions {
  /** Stop after this many pages even when the stream has more (the next job carries on). Default: no limit. */
  readonly maxPages?: number | undefined
  /** Called after each committed page (progress reporting). */
  readonly onPage?: ((outcome: PageOutcome) => Effect.Effect<void>) | undefined
}

/**
 * Ingests pages of a stream until the plugin says it is done for now (or `maxPages`). Each page is its own
 * transaction, so an interruption or crash loses at most the page in flight, which the next run pulls again
 * from the committed cursor.
 *
 * @category use cases
 * @since 0.1.0
 */
export const runToEnd: (
  ref: StreamRef,
  options?: RunOptions
) => Effect.Effect<
  RunOutcome,
  IngestError,
  PluginRegistry | IngestRepo.IngestRepo | BudgetRepo.BudgetRepo
> = Effect.fn("Ingest.runToEnd")(function*(ref: StreamRef, options: RunOptions = {}) {
  const affected: Array<Positions.Key> = []
  // Pages committed before a failure or an interruption still get their positions recomputed; a process killed
  // outright leaves them to the next run over the same keys or to `Positions.recomputeAll` at start.
  const recompute = Effect.suspend(() => Positions.recompute(affected))
  return yield* runPages(ref, options, affected).pipe(
    Effect.onError(() => recompute.pipe(Effect.catchCause((cause) => Effect.logWarning("could not recompute budget positions", cause)))),
    Effect.flatMap((run) =>
      Effect.map(recompute, (positions): RunOutcome => ({ ...run, positions }))
    ),
    Effect.tap((run) => Effect.logInfo("ingested a stream").pipe(Effect.annotateLogs({ ...run, positions: run.positions.positions })))
  )
})

const runPages = Effect.fnUntraced(function*(ref: StreamRef, options: RunOptions, affected: Array<Positions.Key>) {
  let pages = 0
  let accepted = 0
  let stored = 0
  let quarantined = 0
  let written = 0
  let cursor: string | null = null
  let done = false
  if (options.maxPages !== undefined && options.maxPages <= 0) {
    return { plugin: ref.plugin, stream: ref.stream, pages, accepted, stored, quarantined, written, cursor, done }
  }
  const stream = yield* resolveStream(ref)
  let from = yield* stream.repo.cursor(ref).pipe(Effect.mapError(storeFailure("reading the cursor")))
  const maxPageRows = maxPageRowsOf(options)
  let pulled = yield* pullChecked(stream, from, maxPageRows).pipe(Effect.catch((e) => settleRefusal(stream, from, e)))
  for (;;) {
    const current = pulled
    const next = current.page.nextCursor
    const more = !endsRun(current.page, from) && (options.maxPages === undefined || pages + 1 < options.maxPages)
    // Pipelining: while page N commits (the database's time), page N+1 is pulled and checked from the cursor
    // page N's commit will leave, and it is committed only if that cursor is still the stream's then. A failed
    // pull is held until page N has committed, so page N lands as it would have without the overlap.
    const [outcome, prefetched] = yield* Effect.all([
      commitPulled(stream, from, current),
      more ? Effect.result(pullChecked(stream, next, maxPageRows)) : Effect.succeed(undefined)
    ], { concurrency: 2 })
    pages += 1
    accepted += outcome.accepted
    stored += outcome.stored
    quarantined += outcome.quarantined
    written += outcome.written
    cursor = outcome.nextCursor
    // Distinct keys only: a long run touches the same few positions page after page.
    if (outcome.affected.length > 0) affected.splice(0, affected.length, ...Positions.distinct([...affected, ...outcome.affected]))
    done = endsRun(current.page, from)
    if (options.onPage !== undefined) yield* options.onPage(outcome)
    if (prefetched === undefined) break
    if (Result.isFailure(prefetched)) return yield* settleRefusal(stream, next, prefetched.failure)
    from = next
    pulled = prefetched.success
  }
  const run: Omit<RunOutcome, "positions"> = { plugin: ref.plugin, stream: ref.stream, pages, accepted, stored, quarantined, written, cursor, done }
  return run
})

// ---------------------------------------------------------------------------------------------------------
// caps on one page
// ---------------------------------------------------------------------------------------------------------

/**
 * The row cap of one page when none is given: far above any page size a plugin asks for, low enough that a
 * system ignoring `limit` (a whole file in one answer) is refused instead of stored in one transaction.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultMaxPageRows = 50_000

const maxPageRowsOf = (options: PageOptions): number => options.maxPageRows ?? defaultMaxPageRows

/** How much of a refused page its quarantine row keeps. */
const refusedPrefixChars = 1_000

/** A page over the row cap: the error the run fails with and the page's first line and first rows (module-internal). */
class RowCapRefusal {
  readonly _tag = "RowCapRefusal" as const
  constructor(readonly error: PageTooLarge, readonly line: number, readonly raw: string) {}
}

/** Passes a page within the row cap; refuses a bigger one whole, before any of it is checked or stored. */
const capRows = (stream: ResolvedStream, from: string | null, page: Page.Page, maxPageRows: number): Effect.Effect<Page.Page, RowCapRefusal> => {
  const rows = page.records.length + page.rejections.length
  if (rows <= maxPageRows) return Effect.succeed(page)
  let line = Number.POSITIVE_INFINITY
  page.records.forEach((record, index) => void (line = Math.min(line, lineOf(record, index))))
  for (const r of page.rejections) line = Math.min(line, r.line)
  const first = [
    ...page.records.slice(0, 20).map((record, index) => ({ line: lineOf(record, index), raw: rawOf(record) })),
    ...page.rejections.slice(0, 20).map((r) => ({ line: r.line, raw: r.raw }))
  ].sort((a, b) => a.line - b.line)
  const error = new PageTooLarge({ plugin: stream.ref.plugin, stream: stream.ref.stream, cursor: from, limitRows: maxPageRows, rows })
  return Effect.fail(new RowCapRefusal(error, line, first.map((f) => f.raw).join("\n").slice(0, refusedPrefixChars)))
}

/**
 * Settles a failed pull from `from`. A page refused by a cap (over the row cap, or an answer over the HTTP
 * client's size cap) leaves one quarantine row naming the cap, committed with the cursor left at `from`, so
 * `hub status` and the quarantine routes show why the stream stopped; then the run fails with the cap's error,
 * which is not retryable. Any other failure passes through. Called only once every earlier page has committed.
 */
const settleRefusal = (
  stream: ResolvedStream,
  from: string | null,
  failure: PluginError.PluginError | RowCapRefusal
): Effect.Effect<never, PluginError.PluginError | PageTooLarge> => {
  if (failure._tag !== "RowCapRefusal" && failure._tag !== "ResponseTooLarge") return Effect.fail(failure)
  const refused = failure._tag === "RowCapRefusal"
    ? { error: failure.error, rejection: { line: failure.line, raw: failure.raw, field: "*" } }
    // The body was never kept: the quarantine row's raw is the request that answered too much.
    : { error: failure, rejection: { line: 0, raw: failure.url, field: "*" } }
  const { plugin, stream: name } = stream.ref
  const reason = `${refused.error.message} (the page from cursor ${String(from)} was refused whole: nothing of it stored, the cursor stays)`
  return stream.repo.commitPage({
    plugin,
    stream: name,
    kind: stream.kind,
    records: [],
    rejections: [{ line: refused.rejection.line, raw: refused.rejection.raw, problems: [{ field: refused.rejection.field, reason }] }],
    nextCursor: from,
    expectedCursor: from
  }).pipe(
    // The refusal stands even when it cannot be recorded: failing with a retryable store error instead would
    // pull the oversized page again.
    Effect.catchCause((cause) => Effect.logWarning("could not quarantine a refused page", cause)),
    Effect.andThen(Effect.logWarning("refused a page over a cap").pipe(Effect.annotateLogs({ plugin, stream: name, from, reason }))),
    Effect.andThen(Effect.fail(refused.error))
  )
}
