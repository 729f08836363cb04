/**
 * The use cases' own failures. Like plugin errors, each says whether trying again can help (`retryable`), so
 * the worker can turn any failure of a use case into a BullMQ retry or a permanent failure without knowing it.
 *
 * @since 0.1.0
 */
import { Cause, Schema } from "effect"

/**
 * The database failed (unreachable, lost connection, a statement refused). Retryable: every write of the use
 * cases is idempotent, so running the job again is safe.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreFailure extends Schema.TaggedError<StoreFailure>()("StoreFailure", {
  operation: Schema.String,
  reason: Schema.String
}) {
  readonly retryable = true as const
  override get message(): string {
    return `the store failed during ${this.operation}: ${this.reason}`
  }
}

/**
 * A stream whose canonical record type the store has no table for. Not retryable: a plugin/store mismatch.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnsupportedStream extends Schema.TaggedError<UnsupportedStream>()("UnsupportedStream", {
  plugin: Schema.String,
  stream: Schema.String,
  reason: Schema.String
}) {
  readonly retryable = false as const
  override get message(): string {
    return `${this.plugin}/${this.stream} cannot be ingested: ${this.reason}`
  }
}

/**
 * Another worker committed a page of the same stream between this one's read of the cursor and its commit;
 * nothing was written. Retryable: the next run starts from the new cursor.
 *
 * @category errors
 * @since 0.1.0
 */
export class ConcurrentIngest extends Schema.TaggedError<ConcurrentIngest>()("ConcurrentIngest", {
  plugin: Schema.String,
  stream: Schema.String,
  expected: Schema.NullOr(Schema.String),
  actual: Schema.NullOr(Schema.String)
}) {
  readonly retryable = true as const
  override get message(): string {
    return `${this.plugin}/${this.stream} moved from cursor ${String(this.expected)} to ${String(this.actual)} while this page was read; nothing was written`
  }
}

/**
 * A page holding more rows than the ingest takes in one page (`maxPageRows`): a system that ignores `limit`
 * and sends a whole file. Nothing of it was stored and the cursor stayed where it was. Not retryable: the same
 * pull gets the same page, so it needs a smaller page from the system or a larger cap.
 *
 * @category errors
 * @since 0.1.0
 */
export class PageTooLarge extends Schema.TaggedError<PageTooLarge>()("PageTooLarge", {
  plugin: Schema.String,
  stream: Schema.String,
  cursor: Schema.NullOr(Schema.String),
  limitRows: Schema.Number,
  rows: Schema.Number
}) {
  readonly retryable = false as const
  override get message(): string {
    return `${this.plugin}/${this.stream} sent a page over the row cap from cursor ${String(this.cursor)}: ${this.rows} rows, the limit is ${this.limitRows} rows; nothing of it was stored`
  }
}

/**
 * A submission that cannot be prepared or sent as asked (unknown outbox entry, a version conflict, inputs that
 * do not make a return). Not retryable: a person has to look.
 *
 * @category errors
 * @since 0.1.0
 */
export class SubmissionProblem extends Schema.TaggedError<SubmissionProblem>()("SubmissionProblem", {
  key: Schema.String,
  reason: Schema.String
}) {
  readonly retryable = false as const
  override get message(): string {
    return `submission ${this.key}: ${this.reason}`
  }
}

/**
 * A reference-data file that cannot be imported at all: unreadable, not in the expected format, or breaking a
 * rule no single row explains (overlapping coverage). Nothing was written. Not retryable: the file must be fixed.
 *
 * @category errors
 * @since 0.1.0
 */
export class ReferenceImportFailed extends Schema.TaggedError<ReferenceImportFailed>()("ReferenceImportFailed", {
  file: Schema.String,
  reason: Schema.String
}) {
  readonly retryable = false as const
  override get message(): string {
    return `${this.file} cannot be imported: ${this.reason}`
  }
}

/**
 * Wraps a store failure (`SqlError`, an unreadable stored value) as {@link StoreFailure}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const storeFailure = (operation: string) => (error: { readonly message: string } | unknown): StoreFailure =>
  new StoreFailure({
    operation,
    reason: typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : Cause.pretty(Cause.fail(error))
  })
