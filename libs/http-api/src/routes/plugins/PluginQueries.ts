/**
 * The installed plugins as the API shows them: a page of manifests with their configuration status, one plugin
 * with its streams and settings, and running a plugin's `check` against its configured system. Settings are
 * described by status only (`set`, `unset`, `default`): no value, secret or not, ever leaves the port.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Result, Schema } from "effect"
import * as QueryParams from "../../http/QueryParams.ts"
import { Plugins, Description, type Installed } from "../../ports/Plugins.ts"
import { Conflict, NotFound, ValidationFailed } from "../../problems/GatewayErrors.ts"

// ---------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------

const cursorPattern = /^[A-Za-z0-9_-]{1,120}$/u

/**
 * The query of `GET /v1/plugins`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  limit: Schema.optionalKey(QueryParams.Limit),
  cursor: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(cursorPattern, { expected: "a cursor returned as nextCursor" })).annotate({
      description: "The `nextCursor` of the previous page."
    })
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type ListQuery = typeof ListQuery.Type

/**
 * A page of plugins, sorted by id; `nextCursor` fetches the next page (null on the last).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PluginPage = Schema.Struct({
  items: Schema.Array(Description),
  nextCursor: Schema.NullOr(Schema.String)
})

/**
 * @category models
 * @since 0.1.0
 */
export type PluginPage = typeof PluginPage.Type

/**
 * The path of `/v1/plugins/{id}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IdParam = Schema.Struct({
  id: Schema.String.check(
    Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u, { expected: "a plugin id in lower-case kebab case, such as london-cbs" })
  )
})

/**
 * What a check found: `ok`, or the plugin error's tag and message and whether trying again may help.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CheckResult = Schema.Struct({
  plugin: Schema.String,
  ok: Schema.Boolean,
  checkedAt: Schema.String.annotate({ description: "When the check started (ISO 8601, UTC)." }),
  durationMs: Schema.Finite,
  failure: Schema.optionalKey(
    Schema.Struct({
      tag: Schema.String,
      message: Schema.String,
      retryable: Schema.optionalKey(Schema.Boolean)
    })
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type CheckResult = typeof CheckResult.Type

// ---------------------------------------------------------------------------------------------------------
// cursors
// ---------------------------------------------------------------------------------------------------------

const cursorPrefix = "plugin1:"

/**
 * The cursor after a plugin: its id, which stays valid however the list changes (the list is keyed by id).
 *
 * @category cursors
 * @since 0.1.0
 */
export const encodeCursor = (id: string): string => Buffer.from(`${cursorPrefix}${id}`, "utf8").toString("base64url")

/**
 * The id a cursor points after, or `undefined` when it is not one of ours.
 *
 * @category cursors
 * @since 0.1.0
 */
export const decodeCursor = (cursor: string): string | undefined => {
  const text = Buffer.from(cursor, "base64url").toString("utf8")
  if (!text.startsWith(cursorPrefix)) return undefined
  const id = text.slice(cursorPrefix.length)
  return /^[a-z][a-z0-9-]{0,99}$/u.test(id) ? id : undefined
}

// ---------------------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------------------

/**
 * A page of the installed plugins, sorted by id.
 *
 * @category queries
 * @since 0.1.0
 */
export const list = Effect.fnUntraced(function*(query: ListQuery) {
  const { installed } = yield* Plugins
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  if (query.cursor !== undefined && after === undefined) {
    return yield* new ValidationFailed({
      target: "query",
      issues: [{ path: ["query", "cursor"], message: "Expected a cursor returned as nextCursor" }]
    })
  }
  const limit = query.limit ?? QueryParams.defaultLimit
  const sorted = installed.map((p) => p.description).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const rest = after === undefined ? sorted : sorted.filter((p) => p.id > after)
  const items = rest.slice(0, limit)
  const last = items[items.length - 1]
  const page: PluginPage = { items, nextCursor: rest.length > limit && last !== undefined ? encodeCursor(last.id) : null }
  return page
})

/**
 * The installed plugin with this id, or `NotFound`.
 *
 * @category queries
 * @since 0.1.0
 */
export const find = Effect.fnUntraced(function*(id: string) {
  const { installed } = yield* Plugins
  const found = installed.find((p) => p.description.id === id)
  if (found === undefined) return yield* new NotFound({ entity: "plugin", key: id })
  return found
})

/**
 * One plugin's description.
 *
 * @category queries
 * @since 0.1.0
 */
export const get = (id: string): Effect.Effect<Description, NotFound, Plugins> => Effect.map(find(id), (p) => p.description)

/** The check of an enabled plugin, or `Conflict` saying what to configure. */
const checkOf = (plugin: Installed) => {
  const check = plugin.check
  if (check === undefined || !plugin.description.enabled) {
    const required = plugin.description.settings.filter((s) => s.required && s.env !== undefined).map((s) => s.env)
    return Effect.fail(
      new Conflict({
        reason: `Plugin ${JSON.stringify(plugin.description.id)} is not enabled in this hub${
          required.length > 0 ? `; set ${required.join(", ")}` : ""
        }`
      })
    )
  }
  return Effect.succeed(check)
}

/**
 * Runs an enabled plugin's check against its configured system. A failing check is an answer (`ok: false` with
 * the plugin's reason), not an error of this request.
 *
 * @category queries
 * @since 0.1.0
 */
export const check = Effect.fnUntraced(function*(id: string) {
  const plugin = yield* find(id)
  const run = yield* checkOf(plugin)
  const started = yield* Clock.currentTimeMillis
  const outcome = yield* Effect.result(run())
  const ended = yield* Clock.currentTimeMillis
  const base = { plugin: id, checkedAt: new Date(started).toISOString(), durationMs: Math.max(0, ended - started) }
  if (Result.isSuccess(outcome)) {
    const result: CheckResult = { ...base, ok: true }
    return result
  }
  const error = outcome.failure
  const result: CheckResult = {
    ...base,
    ok: false,
    failure: { tag: error._tag, message: error.message, ...(error.retryable === undefined ? {} : { retryable: error.retryable }) }
  }
  return result
})

/**
 * Whether a plugin is installed and enabled, for the sync routes (`NotFound`, `Conflict`).
 *
 * @category queries
 * @since 0.1.0
 */
export const enabled = Effect.fnUntraced(function*(id: string) {
  const plugin = yield* find(id)
  yield* checkOf(plugin)
  return plugin.description
})
