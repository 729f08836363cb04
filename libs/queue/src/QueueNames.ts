/**
 * The names of the hub's queues: one queue per plugin and direction (`hub.<pluginId>.pull`,
 * `hub.<pluginId>.push`), so a slow or failing outside system cannot starve the others and ops see each system on
 * its own. All queues share one Redis key prefix; the default `{hub}` is a Redis Cluster hash tag.
 *
 * @since 0.1.0
 */
import { Option, Schema } from "effect"

/**
 * A plugin's stable id as it appears in queue names: lower-case kebab case (`london-cbs`). BullMQ forbids `:` in
 * queue names, and the dots of the queue name separate its parts, so neither may appear here.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PluginId = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u)).annotate({
  identifier: "PluginId",
  description: "A plugin's stable id in lower-case kebab case, e.g. london-cbs"
})

/**
 * Which way a queue's jobs move data: `pull` ingests from the outside system, `push` sends to it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Direction = Schema.Literals(["pull", "push"])

/**
 * @category models
 * @since 0.1.0
 */
export type Direction = typeof Direction.Type

/**
 * The Redis key prefix used when none is configured. The braces make it a Redis Cluster hash tag, so every key of
 * every hub queue hashes to one slot (BullMQ's Lua scripts touch several keys of a queue at once).
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultPrefix = "{hub}"

/**
 * A key prefix that is a Redis Cluster hash tag: `clusterPrefix("hub-staging")` is `{hub-staging}`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const clusterPrefix = (tag: string): string => `{${tag}}`

const isPluginId = Schema.is(PluginId)

/**
 * The queue of one plugin and direction. A plugin id that is not kebab case is a programming error (ids come from
 * validated plugin manifests), so it throws with the offending id rather than returning an error value.
 *
 * @category constructors
 * @since 0.1.0
 */
export const of = (pluginId: string, direction: Direction): string => {
  if (!isPluginId(pluginId)) {
    throw new Error(`QueueNames: plugin id ${JSON.stringify(pluginId)} is not lower-case kebab case (e.g. london-cbs)`)
  }
  return `hub.${pluginId}.${direction}`
}

/**
 * The pull (ingest) queue of a plugin: `hub.<pluginId>.pull`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const pull = (pluginId: string): string => of(pluginId, "pull")

/**
 * The push (send) queue of a plugin: `hub.<pluginId>.push`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const push = (pluginId: string): string => of(pluginId, "push")

/**
 * Reads a hub queue name back into its plugin id and direction; `None` for any other name.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (name: string): Option.Option<{ readonly pluginId: string; readonly direction: Direction }> => {
  const match = /^hub\.(.+)\.(pull|push)$/u.exec(name)
  if (match === null) return Option.none()
  const [, pluginId, direction] = match
  return pluginId !== undefined && isPluginId(pluginId) && (direction === "pull" || direction === "push")
    ? Option.some({ pluginId, direction })
    : Option.none()
}
