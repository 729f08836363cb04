/**
 * A short-lived in-memory cache of key lookups by token hash, so a busy key costs a map read per request
 * instead of a repository call. Misses (unknown tokens) are cached too, so guessing cannot hammer the
 * repository. Revoking a key takes effect within the TTL.
 *
 * @since 0.1.0
 */
import type { ApiKey } from "../../ports/ApiKeys.ts"

/**
 * One cached lookup: the key (`undefined` for a known miss) and when the lookup stops being trusted.
 *
 * @category models
 * @since 0.1.0
 */
export interface Entry {
  readonly key: ApiKey | undefined
  readonly expiresAt: number
}

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** How long a lookup is trusted, in milliseconds. */
  readonly ttlMs: number
  /** The most entries kept; when full, the cache starts afresh (bounded memory under a flood of bad tokens). */
  readonly maxEntries?: number
  /** The clock, in milliseconds (tests pass their own). */
  readonly now?: () => number
}

/**
 * @category models
 * @since 0.1.0
 */
export interface AuthCache {
  /** The cached lookup: `{ key }` (possibly `undefined` for a known miss) or `undefined` when not cached. */
  readonly get: (tokenHash: string) => Entry | undefined
  /** Caches a lookup and returns its entry (whose `expiresAt` other caches of the same lookup reuse). */
  readonly set: (tokenHash: string, key: ApiKey | undefined) => Entry
}

/**
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options): AuthCache => {
  const entries = new Map<string, Entry>()
  const now = options.now ?? Date.now
  const maxEntries = options.maxEntries ?? 10_000
  return {
    get: (tokenHash) => {
      const entry = entries.get(tokenHash)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= now()) {
        entries.delete(tokenHash)
        return undefined
      }
      return entry
    },
    set: (tokenHash, key) => {
      if (entries.size >= maxEntries) entries.clear()
      const entry: Entry = { key, expiresAt: now() + options.ttlMs }
      entries.set(tokenHash, entry)
      return entry
    }
  }
}
