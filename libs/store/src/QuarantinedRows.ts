/**
 * The `quarantined_rows` table as the repositories write it: a stream's rejected rows (IngestRepo) and a
 * reference file's (ReferenceDataRepo) go to the same table under the same natural key, so `hub status` and the
 * quarantine routes show them side by side.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { column, type TableSpec } from "./TableSpec.ts"

/**
 * One rejected row as written.
 *
 * @category models
 * @since 0.1.0
 */
export interface QuarantineInsert {
  readonly plugin: string
  readonly stream: string
  readonly line: number
  readonly raw: string
  readonly rawDigest: string
  readonly reasons: ReadonlyArray<{ readonly field: string; readonly reason: string }>
}

/**
 * The table, keyed so that the same raw row at the same line of a stream is the same rejection, however often
 * its page or file is replayed.
 *
 * @category tables
 * @since 0.1.0
 */
export const table: TableSpec<QuarantineInsert> = {
  table: "quarantined_rows",
  key: ["plugin", "stream", "line", "raw_digest"],
  columns: [
    column("plugin", "plugin", "text"),
    column("stream", "stream", "text"),
    column("line", "line", "integer"),
    column("raw", "raw", "text"),
    column("rawDigest", "raw_digest", "text"),
    column("reasons", "reasons", "jsonb")
  ]
}

/**
 * The digest of a raw row that stands for it in the key (rows can be long).
 *
 * @category constructors
 * @since 0.1.0
 */
export const rawDigest = (raw: string): string => createHash("sha256").update(raw).digest("hex")
