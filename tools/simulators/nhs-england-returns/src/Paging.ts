/**
 * Cursor paging over the service's append-only lists (allocations, acknowledgements): the cursor is the
 * number of entries already seen plus the filters it was made with, so asking again with the last cursor
 * returns only entries added since.
 *
 * @since 0.1.0
 */
import { Cursor, Problem } from "@hub/simulator-kit"
import { Result } from "effect"

/**
 * A parsed page request: how many entries (of the filtered list) were seen, and the page size.
 *
 * @category models
 * @since 0.1.0
 */
export interface PageRequest {
  readonly offset: number
  readonly limit: number
}

const badParameter = (field: string, message: string): Response =>
  Problem.response(400, "Bad Request", `${field}: ${message}`, { errors: [{ field, message }] })

/**
 * Parses `limit` and `cursor` for `stream`; `filters` (a canonical string of the query's filters) must match
 * the cursor's.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (
  stream: string,
  filters: string,
  query: (name: string) => string | undefined
): Result.Result<PageRequest, Response> => {
  const limitText = query("limit")
  const limit = limitText === undefined ? 100 : Number(limitText)
  if (limitText !== undefined && (!/^\d+$/u.test(limitText) || limit < 1 || limit > 1000)) {
    return Result.fail(badParameter("limit", `must be a whole number from 1 to 1000, got "${limitText}"`))
  }
  const cursorText = query("cursor")
  if (cursorText === undefined) return Result.succeed({ offset: 0, limit })
  const state = Cursor.decode(cursorText) as { v?: unknown; s?: unknown; i?: unknown; f?: unknown } | undefined
  if (state === null || typeof state !== "object" || state.v !== 1 || state.s !== stream || !Number.isSafeInteger(state.i) || (state.i as number) < 0 || state.f !== filters) {
    return Result.fail(badParameter("cursor", "is not a cursor of this stream with these filters (use a nextCursor as given)"))
  }
  return Result.succeed({ offset: state.i as number, limit })
}

/**
 * The page of `items` for a request, with the cursor after it.
 *
 * @category paging
 * @since 0.1.0
 */
export const page = <A>(
  stream: string,
  filters: string,
  total: number,
  request: PageRequest,
  slice: (offset: number, limit: number) => ReadonlyArray<A>
): { readonly rows: ReadonlyArray<A>; readonly nextCursor: string; readonly hasMore: boolean } => {
  const rows = slice(request.offset, request.limit)
  const next = Math.min(total, request.offset + rows.length)
  return { rows, nextCursor: Cursor.encode({ v: 1, s: stream, i: next, f: filters }), hasMore: next < total }
}
