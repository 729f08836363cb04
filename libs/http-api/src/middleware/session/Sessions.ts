/**
 * Browser sessions of the queue dashboard: an opaque random id (32 bytes, base64url) in an HttpOnly,
 * SameSite=Strict cookie, mapped in this process's memory to the hash of the API key that signed in and an
 * expiry. The key itself is never kept or sent back; each request re-checks the key by its hash, so revoking
 * it ends its sessions within the auth cache TTL.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"

/**
 * The cookie's name.
 *
 * @category constants
 * @since 0.1.0
 */
export const cookieName = "hub_session"

/**
 * What a session remembers.
 *
 * @category models
 * @since 0.1.0
 */
export interface Session {
  readonly tokenHash: string
  readonly expiresAt: number
}

/**
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** How long a session lasts after sign-in, in milliseconds. */
  readonly ttlMs: number
  /** The most sessions kept; past it the oldest are dropped (bounded memory). */
  readonly maxSessions?: number
  readonly now?: () => number
}

/**
 * The session store.
 *
 * @category models
 * @since 0.1.0
 */
export interface Sessions {
  /** Starts a session for a key (by its token's hash) and returns its id. */
  readonly start: (tokenHash: string) => string
  /** The live session of an id, if any (an expired one is forgotten). */
  readonly get: (id: string | undefined) => Session | undefined
  readonly end: (id: string | undefined) => void
  readonly ttlMs: number
}

const idPattern = /^[A-Za-z0-9_-]{43}$/u

/**
 * An in-memory session store. One gateway process's sessions are not seen by another: behind several gateways,
 * use sticky sessions or bearer keys.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options): Sessions => {
  const now = options.now ?? Date.now
  const maxSessions = options.maxSessions ?? 10_000
  const sessions = new Map<string, Session>()
  const sweep = () => {
    const time = now()
    for (const [id, session] of sessions) if (session.expiresAt <= time) sessions.delete(id)
    // Maps iterate in insertion order: the first entries are the oldest sessions.
    for (const id of sessions.keys()) {
      if (sessions.size < maxSessions) break
      sessions.delete(id)
    }
  }
  return {
    ttlMs: options.ttlMs,
    start: (tokenHash) => {
      sweep()
      const id = randomBytes(32).toString("base64url")
      sessions.set(id, { tokenHash, expiresAt: now() + options.ttlMs })
      return id
    },
    get: (id) => {
      if (id === undefined || !idPattern.test(id)) return undefined
      const session = sessions.get(id)
      if (session === undefined) return undefined
      if (session.expiresAt <= now()) {
        sessions.delete(id)
        return undefined
      }
      return session
    },
    end: (id) => {
      if (id !== undefined) sessions.delete(id)
    }
  }
}
