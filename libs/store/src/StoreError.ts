/**
 * The store's own typed failures (database failures themselves stay effect's `SqlError`): each says what was
 * refused and why, in words an operator can act on.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Applying migrations was refused: an applied migration differs from the code's, or the database is newer
 * than the code.
 *
 * @category errors
 * @since 0.1.0
 */
export class MigrationError extends Schema.TaggedError<MigrationError>()("MigrationError", {
  version: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `migration ${this.version}: ${this.reason}`
  }
}

/**
 * A stored value cannot be read back as the hub's type (for example a bigint column holding more pence than a
 * safe integer): names the table, column and natural key.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoredValueError extends Schema.TaggedError<StoredValueError>()("StoredValueError", {
  table: Schema.String,
  column: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.table}.${this.column}: ${this.reason}`
  }
}

/**
 * A page was committed from a cursor that is no longer the stream's committed cursor: another worker has
 * committed the stream since this page was read. Retrying from the committed cursor is the fix.
 *
 * @category errors
 * @since 0.1.0
 */
export class CursorMoved extends Schema.TaggedError<CursorMoved>()("CursorMoved", {
  plugin: Schema.String,
  stream: Schema.String,
  expected: Schema.NullOr(Schema.String),
  actual: Schema.NullOr(Schema.String)
}) {
  override get message(): string {
    return `stream ${this.plugin}/${this.stream}: expected cursor ${JSON.stringify(this.expected)}, committed cursor is ${JSON.stringify(this.actual)}`
  }
}

/**
 * A submission cannot be prepared or moved on as asked: the idempotency key is taken by another submission,
 * the version does not follow the latest one, or the status change is not allowed.
 *
 * @category errors
 * @since 0.1.0
 */
export class OutboxConflict extends Schema.TaggedError<OutboxConflict>()("OutboxConflict", {
  idempotencyKey: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `submission ${this.idempotencyKey}: ${this.reason}`
  }
}

/**
 * No row has the given key.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  key: Schema.String
}) {
  override get message(): string {
    return `${this.entity} ${this.key} not found`
  }
}

/**
 * A row with this key already exists (a unique constraint refused the write).
 *
 * @category errors
 * @since 0.1.0
 */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  entity: Schema.String,
  key: Schema.String
}) {
  override get message(): string {
    return `${this.entity} ${this.key} already exists`
  }
}

/**
 * The embedded database's data folder is in use by another running process (or another store layer of this
 * one): opening it as well would split the state and can corrupt the database. Names the folder, the lock
 * file and the pid holding it.
 *
 * @category errors
 * @since 0.1.0
 */
export class DataFolderLocked extends Schema.TaggedError<DataFolderLocked>()("DataFolderLocked", {
  folder: Schema.String,
  lockFile: Schema.String,
  pid: Schema.Number,
  startedAt: Schema.String
}) {
  override get message(): string {
    return `the data folder ${this.folder} is in use by process ${this.pid} (running since ${this.startedAt}, lock ${this.lockFile}): stop the running hub (pid ${this.pid}) or point DATABASE_URL at PostgreSQL`
  }
}
