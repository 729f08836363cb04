/**
 * The envelope every CBS list endpoint answers with (`{ data, nextCursor, hasMore }`), read from a response
 * body with plain code so a page that is not the documented JSON is reported, never half-used.
 *
 * @since 0.1.0
 */
import { Result } from "effect"

/**
 * The envelope of a CBS list page.
 *
 * @category models
 * @since 0.1.0
 */
export interface CbsPage {
  readonly data: ReadonlyArray<unknown>
  readonly nextCursor: string
  readonly hasMore: boolean
}

/**
 * Reads the page envelope from a response body, or says what is wrong with it.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseEnvelope = (body: string): Result.Result<CbsPage, string> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return Result.fail("the page is not valid JSON")
  }
  if (json === null || typeof json !== "object") return Result.fail("the page is not a JSON object")
  const page = json as Record<string, unknown>
  if (!Array.isArray(page["data"])) return Result.fail("the page has no data array")
  if (typeof page["nextCursor"] !== "string" || page["nextCursor"] === "") return Result.fail("the page has no nextCursor")
  if (typeof page["hasMore"] !== "boolean") return Result.fail("the page has no hasMore flag")
  return Result.succeed({ data: page["data"], nextCursor: page["nextCursor"], hasMore: page["hasMore"] })
}
