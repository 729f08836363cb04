/**
 * Paging of the CBS change streams (`/v1/contracts`, `/v1/activity`): query parsing with errors naming the
 * parameter, opaque cursors carrying the position `(updatedAt, id)` and the filters, and page selection by
 * binary search over a list ordered by `(updatedAt, id)`.
 *
 * @since 0.1.0
 */
import { Cursor, Problem } from "@hub/simulator-kit"
import { Result } from "effect"
import { isoSeconds, parseFinancialYear, volumeEpochMs } from "./Dataset.ts"

// ---------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------

/**
 * Where a page starts: after `(u, id)` in the stream order (`u: ""` = the very start).
 *
 * @category models
 * @since 0.1.0
 */
export interface Position {
  readonly u: string
  readonly id: string
}

/**
 * A parsed list request.
 *
 * @category models
 * @since 0.1.0
 */
export type StreamQuery =
  | {
    readonly _tag: "Dataset"
    readonly limit: number
    readonly after: Position
    readonly since: string | undefined
    readonly financialYear: string | undefined
  }
  | {
    readonly _tag: "Volume"
    readonly limit: number
    readonly volume: number
    /** Index of the first line to serve. */
    readonly index: number
    readonly since: string | undefined
  }

/** The cursor's JSON: version 1, the stream, the position and the filters. */
interface CursorState {
  readonly v: 1
  readonly s: string
  readonly u?: string
  readonly id?: string
  readonly n?: number
  readonly i?: number
  readonly t?: string
  readonly fy?: string
}

// ---------------------------------------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------------------------------------

const defaultLimit = 100
const maxLimit = 1000
const maxVolume = 100_000_000
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/u

const badParameter = (field: string, message: string): Response =>
  Problem.response(400, "Bad Request", `${field}: ${message}`, { errors: [{ field, message }] })

const isCursorState = (value: unknown, stream: string): value is CursorState => {
  if (value === null || typeof value !== "object") return false
  const c = value as Record<string, unknown>
  const optional = (k: string, type: "string" | "number") => c[k] === undefined || typeof c[k] === type
  return c["v"] === 1 && c["s"] === stream && optional("u", "string") && optional("id", "string") &&
    optional("n", "number") && optional("i", "number") && optional("t", "string") && optional("fy", "string") &&
    ((typeof c["u"] === "string" && typeof c["id"] === "string") || (Number.isSafeInteger(c["n"]) && Number.isSafeInteger(c["i"])))
}

/**
 * Parses `limit`, `cursor`, `updatedSince`, and for the activity stream `financialYear` and `volume`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (
  stream: "contracts" | "activity",
  query: (name: string) => string | undefined
): Result.Result<StreamQuery, Response> => {
  const limitText = query("limit")
  const limit = limitText === undefined ? defaultLimit : Number(limitText)
  if (limitText !== undefined && (!/^\d+$/u.test(limitText) || limit < 1 || limit > maxLimit)) {
    return Result.fail(badParameter("limit", `must be a whole number from 1 to ${maxLimit}, got "${limitText}"`))
  }

  const sinceText = query("updatedSince")
  let since: string | undefined
  if (sinceText !== undefined) {
    const ms = Date.parse(sinceText)
    if (!timestampPattern.test(sinceText) || Number.isNaN(ms)) {
      return Result.fail(badParameter("updatedSince", `must be an ISO 8601 timestamp such as 2011-06-01T00:00:00Z, got "${sinceText}"`))
    }
    // Records carry whole seconds: "at or after" a fractional instant starts at the next whole second.
    since = isoSeconds(Math.ceil(ms / 1000) * 1000)
  }

  const fyText = stream === "activity" ? query("financialYear") : undefined
  if (fyText !== undefined && parseFinancialYear(fyText) === undefined) {
    return Result.fail(badParameter("financialYear", `must be a financial year such as 2011/12, got "${fyText}"`))
  }
  const volumeText = stream === "activity" ? query("volume") : undefined
  const volume = volumeText === undefined ? undefined : Number(volumeText)
  if (volumeText !== undefined && (!/^\d+$/u.test(volumeText) || (volume ?? 0) < 1 || (volume ?? 0) > maxVolume)) {
    return Result.fail(badParameter("volume", `must be a whole number from 1 to ${maxVolume}, got "${volumeText}"`))
  }
  if (volume !== undefined && fyText !== undefined) {
    return Result.fail(badParameter("volume", "cannot be combined with financialYear (every synthetic line is 2012/13)"))
  }

  const cursorText = query("cursor")
  if (cursorText === undefined) {
    if (volume !== undefined) {
      const index = since === undefined ? 0 : Math.max(0, Math.ceil((Date.parse(since) - volumeEpochMs) / 1000))
      return Result.succeed({ _tag: "Volume", limit, volume, index, since })
    }
    return Result.succeed({ _tag: "Dataset", limit, after: { u: since ?? "", id: "" }, since, financialYear: fyText })
  }
  const state = Cursor.decode(cursorText)
  if (!isCursorState(state, stream)) {
    return Result.fail(badParameter("cursor", "is not a cursor of this stream (use a nextCursor as given)"))
  }
  const conflicts: Array<string> = []
  if (sinceText !== undefined && state.t !== since) conflicts.push("updatedSince")
  if (fyText !== undefined && state.fy !== fyText) conflicts.push("financialYear")
  if (volume !== undefined && state.n !== volume) conflicts.push("volume")
  if (conflicts.length > 0) {
    return Result.fail(badParameter(conflicts[0] as string, "differs from the value the cursor was made with; omit it when passing a cursor"))
  }
  if (state.n !== undefined && state.i !== undefined) {
    return Result.succeed({ _tag: "Volume", limit, volume: state.n, index: state.i, since: state.t })
  }
  return Result.succeed({
    _tag: "Dataset",
    limit,
    after: { u: state.u ?? "", id: state.id ?? "" },
    since: state.t,
    financialYear: state.fy
  })
}

// ---------------------------------------------------------------------------------------------------------
// paging
// ---------------------------------------------------------------------------------------------------------

/**
 * One page of a stream: the rows, the position after them, and whether more rows follow.
 *
 * @category models
 * @since 0.1.0
 */
export interface Page<A> {
  readonly rows: ReadonlyArray<A>
  readonly nextCursor: string
  readonly hasMore: boolean
}

/** Index of the first element strictly after `position` in a list ordered by `(u, id)`. */
const firstAfter = <A>(items: ReadonlyArray<A>, key: (a: A) => Position, position: Position): number => {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const k = key(items[mid] as A)
    const after = k.u > position.u || (k.u === position.u && k.id > position.id)
    if (after) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * Selects a page of an ordered list after `query.after`, keeping only rows matching `keep`.
 *
 * @category paging
 * @since 0.1.0
 */
export const pageOf = <A>(
  stream: string,
  items: ReadonlyArray<A>,
  key: (a: A) => Position,
  query: Extract<StreamQuery, { _tag: "Dataset" }>,
  keep: (a: A) => boolean
): Page<A> => {
  const rows: Array<A> = []
  let i = firstAfter(items, key, query.after)
  for (; i < items.length && rows.length < query.limit; i++) {
    const item = items[i] as A
    if (keep(item)) rows.push(item)
  }
  let hasMore = false
  for (; i < items.length; i++) {
    if (keep(items[i] as A)) {
      hasMore = true
      break
    }
  }
  const last = rows.length > 0 ? key(rows[rows.length - 1] as A) : query.after
  const state: CursorState = {
    v: 1,
    s: stream,
    u: last.u,
    id: last.id,
    ...(query.since === undefined ? {} : { t: query.since }),
    ...(query.financialYear === undefined ? {} : { fy: query.financialYear })
  }
  return { rows, nextCursor: Cursor.encode(state), hasMore }
}

/**
 * Selects a page of a synthetic stream of `query.volume` rows made by `make(i)`.
 *
 * @category paging
 * @since 0.1.0
 */
export const volumePageOf = <A>(
  stream: string,
  query: Extract<StreamQuery, { _tag: "Volume" }>,
  make: (i: number) => A
): Page<A> => {
  const start = Math.min(query.index, query.volume)
  const end = Math.min(start + query.limit, query.volume)
  const rows: Array<A> = []
  for (let i = start; i < end; i++) rows.push(make(i))
  const state: CursorState = { v: 1, s: stream, n: query.volume, i: end, ...(query.since === undefined ? {} : { t: query.since }) }
  return { rows, nextCursor: Cursor.encode(state), hasMore: end < query.volume }
}
