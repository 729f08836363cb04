/**
 * Opaque page cursors over rows with increasing numeric ids (quarantine, audit log): the cursor names the last
 * id of a page, so the next page is "ids after it" and stays stable while new rows arrive. Each list has its own
 * cursor kind, so a cursor from one list is refused by another.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The `cursor` query parameter as it arrives (decoded by {@link decode}).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CursorParam = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9_-]{1,120}$/u, { expected: "a cursor returned as nextCursor" })
).annotate({ description: "The `nextCursor` of the previous page." })

/**
 * The cursor after the row with id `id`, for the list `kind`.
 *
 * @category cursors
 * @since 0.1.0
 */
export const encode = (kind: string, id: number): string => Buffer.from(`${kind}:${id}`, "utf8").toString("base64url")

/**
 * The id a cursor of list `kind` points after, or `undefined` when it is not such a cursor.
 *
 * @category cursors
 * @since 0.1.0
 */
export const decode = (kind: string, cursor: string): number | undefined => {
  const match = /^([a-z0-9-]+):(0|[1-9][0-9]{0,15})$/u.exec(Buffer.from(cursor, "base64url").toString("utf8"))
  if (match === null || match[1] !== kind) return undefined
  const id = Number(match[2])
  return Number.isSafeInteger(id) ? id : undefined
}
