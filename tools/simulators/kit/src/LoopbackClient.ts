/**
 * A minimal JSON client for tests and scripts that talk to a simulator over loopback: every call is an Effect
 * yielding status, headers and the parsed body, so tests read as a conversation with the system.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/**
 * A response with its body parsed as JSON (`undefined` for an empty body, the text when it is not JSON).
 *
 * @category models
 * @since 0.1.0
 */
export interface JsonResponse<A = unknown> {
  readonly status: number
  readonly headers: Headers
  readonly body: A
}

/**
 * A client bound to a base URL and default headers (e.g. the API key).
 *
 * @category models
 * @since 0.1.0
 */
export interface LoopbackClient {
  readonly url: string
  /** GET `path` (with its query string). */
  readonly get: <A = unknown>(path: string, headers?: Record<string, string>) => Effect.Effect<JsonResponse<A>>
  /** POST `body` as JSON. */
  readonly post: <A = unknown>(path: string, body?: unknown, headers?: Record<string, string>) => Effect.Effect<JsonResponse<A>>
  /** DELETE `path`. */
  readonly del: <A = unknown>(path: string, headers?: Record<string, string>) => Effect.Effect<JsonResponse<A>>
}

const parse = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * Makes a client for `url`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (url: string, defaultHeaders: Record<string, string> = {}): LoopbackClient => {
  const call = <A>(method: string, path: string, body: unknown, headers: Record<string, string>) =>
    Effect.promise(async (): Promise<JsonResponse<A>> => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...defaultHeaders, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      // The body's type is the caller's claim: tests state what they expect the simulator to send.
      return { status: res.status, headers: res.headers, body: parse(await res.text()) as A }
    })
  return {
    url,
    get: (path, headers = {}) => call("GET", path, undefined, headers),
    post: (path, body, headers = {}) => call("POST", path, body ?? {}, headers),
    del: (path, headers = {}) => call("DELETE", path, undefined, headers)
  }
}
