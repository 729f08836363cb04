/**
 * The HTTP client port plugins talk to their systems through, and the host's implementation of it. Plugins never
 * open connections themselves: the host hands them a client that only reaches the hosts the plugin may contact,
 * refuses private, link-local and loopback addresses (unless allowed) before connecting, stops reading a body
 * that passes its size cap, and turns network failures, deadlines and oversized answers into plugin errors.
 *
 * @since 0.1.0
 */
import { lookup as dnsLookup } from "node:dns/promises"
import { isIP } from "node:net"
import { Context, Effect, Layer, Result, Schema } from "effect"
import * as AddressPolicy from "./AddressPolicy.ts"
import * as PluginError from "./PluginError.ts"
import { HostRefused, ResponseTooLarge, Timeout, Unreachable } from "./PluginError.ts"

// ---------------------------------------------------------------------------------------------------------
// types
// ---------------------------------------------------------------------------------------------------------

/**
 * One request. `body` is text (JSON or CSV); the client sets no content type on its own.
 *
 * @category models
 * @since 0.1.0
 */
export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/**
 * One response, read completely. Header names are lower case. Any status is a response: mapping statuses to
 * plugin errors is the plugin's call (see `PluginError.fromStatus` and {@link expectSuccess}).
 *
 * @category models
 * @since 0.1.0
 */
export interface HttpResponse {
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * Failures of the transport itself.
 *
 * @category models
 * @since 0.1.0
 */
export type HttpError = Unreachable | Timeout | HostRefused | ResponseTooLarge

/**
 * What a plugin can do with HTTP.
 *
 * @category models
 * @since 0.1.0
 */
export interface HttpClientShape {
  readonly request: (request: HttpRequest) => Effect.Effect<HttpResponse, HttpError>
}

/**
 * The HTTP client service a plugin's operations require; the host provides it (see {@link layer}).
 *
 * @category services
 * @since 0.1.0
 */
export class HttpClient extends Context.Service<HttpClient, HttpClientShape>()("@hub/plugin-sdk/HttpClient") {}

/**
 * A resolved address as `node:dns` `lookup(host, { all: true })` returns it.
 *
 * @category models
 * @since 0.1.0
 */
export interface ResolvedAddress {
  readonly address: string
  readonly family: number
}

/**
 * Options of {@link makeHttpClient}.
 *
 * @category models
 * @since 0.1.0
 */
export interface HttpClientOptions {
  /** Host patterns the client may contact: exact names or IPs, or `*.example.gov.uk` wildcards. */
  readonly allowedHosts: ReadonlyArray<string>
  /** Allow loopback addresses (127/8, ::1): simulators in tests and demos. Default false. */
  readonly allowLoopback?: boolean
  /** Allow private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Default false. */
  readonly allowPrivate?: boolean
  /** Deadline for the whole exchange, body included. Default 30 000 ms. */
  readonly timeoutMs?: number
  /** The most bytes one response body may have; the read stops as soon as it passes. Default {@link defaultMaxResponseBytes}. */
  readonly maxResponseBytes?: number
  /** The fetch to use (default: the global one). Tests inject a spy to prove refusals never reach it. */
  readonly fetch?: typeof globalThis.fetch
  /** The resolver to use (default: `node:dns` lookup of every address). */
  readonly lookup?: (hostname: string) => Promise<ReadonlyArray<ResolvedAddress>>
}

// ---------------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------------

/**
 * The size cap of one response body when none is configured: 64 MiB, far above any page a system should send
 * and low enough that a system ignoring `limit` cannot exhaust the worker's memory.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultMaxResponseBytes = 64 * 1024 * 1024

const defaultLookup = (hostname: string): Promise<ReadonlyArray<ResolvedAddress>> =>
  dnsLookup(hostname, { all: true, verbatim: true })

/**
 * Reads a body as UTF-8 text (as `Response.text()` does: a BOM dropped, bad bytes replaced) without ever holding
 * more than `limit` bytes of it: a `Content-Length` above the limit is refused before reading, and the stream is
 * cancelled as soon as the bytes read pass the limit (a system that ignores `limit` or sends no length).
 */
const readCapped = async (response: Response, url: string, limit: number): Promise<string> => {
  const announced = Number(response.headers.get("content-length") ?? Number.NaN)
  if (Number.isSafeInteger(announced) && announced > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw new ResponseTooLarge({ url, limitBytes: limit, seenBytes: announced })
  }
  if (response.body === null) return ""
  const reader = response.body.getReader()
  const decoder = new TextDecoder("utf-8")
  const parts: Array<string> = []
  let seen = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    seen += value.byteLength
    if (seen > limit) {
      await reader.cancel().catch(() => undefined)
      throw new ResponseTooLarge({ url, limitBytes: limit, seenBytes: seen })
    }
    parts.push(decoder.decode(value, { stream: true }))
  }
  parts.push(decoder.decode())
  return parts.join("")
}

const describe = (cause: unknown): string => {
  if (cause instanceof Error) {
    const inner = (cause as Error & { readonly cause?: unknown }).cause
    return inner instanceof Error ? `${cause.message}: ${inner.message}` : cause.message
  }
  return String(cause)
}

/**
 * Checks a URL against the policy: scheme, allowed host list, then every address the name resolves to. Fails
 * with `HostRefused` (or `Unreachable` when the name does not resolve) without opening any connection.
 *
 * @category guards
 * @since 0.1.0
 */
export const guardUrl = (
  url: string,
  options: Pick<HttpClientOptions, "allowedHosts" | "allowLoopback" | "allowPrivate" | "lookup">
): Effect.Effect<URL, HostRefused | Unreachable> =>
  Effect.gen(function*() {
    if (!URL.canParse(url)) return yield* new HostRefused({ url, reason: "not an absolute URL" })
    const parsed = new URL(url)
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return yield* new HostRefused({ url, reason: `scheme ${parsed.protocol} is not http or https` })
    }
    if (parsed.username !== "" || parsed.password !== "") {
      return yield* new HostRefused({ url, reason: "credentials in the URL are not allowed" })
    }
    const hostname = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname
    if (!options.allowedHosts.some((pattern) => AddressPolicy.hostMatches(hostname, pattern))) {
      return yield* new HostRefused({ url, reason: `host ${hostname} is not on the plugin's allowed list` })
    }
    const allowance = { allowLoopback: options.allowLoopback ?? false, allowPrivate: options.allowPrivate ?? false }
    const resolve = options.lookup ?? defaultLookup
    const addresses: ReadonlyArray<ResolvedAddress> = isIP(hostname) !== 0
      ? [{ address: hostname, family: isIP(hostname) }]
      : yield* Effect.tryPromise({
        try: () => resolve(hostname),
        catch: (cause) => new Unreachable({ url, reason: `cannot resolve ${hostname}: ${describe(cause)}` })
      })
    if (addresses.length === 0) return yield* new Unreachable({ url, reason: `${hostname} resolves to no address` })
    for (const { address } of addresses) {
      const reason = AddressPolicy.refusalReason(address, allowance)
      if (reason !== undefined) return yield* new HostRefused({ url, reason: `${hostname} resolves to ${reason}` })
    }
    return parsed
  })

/**
 * The host's HTTP client over global `fetch`: every request is checked by {@link guardUrl} first, runs under an
 * `AbortSignal` deadline (body included), does not follow redirects (a redirect could lead off the allowed list;
 * the 3xx comes back as a response), and reads the body as text up to `maxResponseBytes` (past it the read is
 * stopped and the request fails with `ResponseTooLarge`, not retryable). A `Retry-After` HTTP date is turned into
 * delay-seconds, so plugins never need a clock.
 *
 * Known limit: the name is resolved once for the check and again by `fetch`, so a DNS answer that changes in
 * between (rebinding) is not caught; run systems on names you control.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeHttpClient = (options: HttpClientOptions): HttpClientShape => {
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes
  const doFetch = options.fetch ?? globalThis.fetch
  const exchange = async (url: URL, request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> => {
    const response = await doFetch(url, {
      method: request.method,
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: "manual",
      signal
    })
    const body = await readCapped(response, request.url, maxResponseBytes)
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value
    })
    // A Retry-After given as an HTTP date becomes delay-seconds here, at the edge where a clock may be read.
    const retryAfter = headers["retry-after"]
    if (retryAfter !== undefined && !/^\s*\d+\s*$/u.test(retryAfter)) {
      const ms = PluginError.parseRetryAfter(retryAfter, Date.now())
      if (ms !== undefined) headers["retry-after"] = String(Math.ceil(ms / 1000))
    }
    return { url: request.url, status: response.status, headers, body }
  }
  return {
    request: (request) =>
      Effect.gen(function*() {
        const url = yield* guardUrl(request.url, options)
        // One controller and one timer per exchange (not a timeout signal, an interruption signal and a signal
        // combining them): the deadline and the fiber's interruption both abort it, and either settles the timer.
        return yield* Effect.callback<HttpResponse, HttpError>((resume) => {
          const controller = new AbortController()
          let timedOut = false
          const timer = setTimeout(() => {
            timedOut = true
            controller.abort(new Error(`the deadline of ${timeoutMs} ms passed`))
          }, timeoutMs)
          exchange(url, request, controller.signal).then(
            (response) => {
              clearTimeout(timer)
              resume(Effect.succeed(response))
            },
            (cause: unknown) => {
              clearTimeout(timer)
              resume(Effect.fail(
                cause instanceof ResponseTooLarge
                  ? cause
                  : timedOut
                  ? new Timeout({ url: request.url, timeoutMs })
                  : new Unreachable({ url: request.url, reason: describe(cause) })
              ))
            }
          )
          return Effect.sync(() => {
            clearTimeout(timer)
            controller.abort()
          })
        })
      })
  }
}

/**
 * A layer providing {@link HttpClient} built by {@link makeHttpClient}.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: HttpClientOptions): Layer.Layer<HttpClient> =>
  Layer.succeed(HttpClient, makeHttpClient(options))

/**
 * A submission to an external system: JSON posted with the `Idempotency-Key` header, so a retried push is the same
 * submission at the other end (ARCHITECTURE.md, "Push").
 *
 * @category models
 * @since 0.1.0
 */
export interface Submission {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly idempotencyKey: string
  readonly pushKind: string
}

/**
 * Sends a {@link Submission} through the host's client and maps a failed answer to the push kind's plugin error
 * (see {@link expectSuccess}). `replayed` is true when the system answered from its idempotency store
 * (`Idempotent-Replayed: true`), i.e. the key had already been submitted.
 *
 * @category combinators
 * @since 0.1.0
 */
export const submitJson = (
  submission: Submission
): Effect.Effect<{ readonly response: HttpResponse; readonly replayed: boolean }, PluginError.PluginError, HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpClient
    const response = yield* http.request({
      method: "POST",
      url: submission.url,
      headers: { ...submission.headers, "content-type": "application/json", "idempotency-key": submission.idempotencyKey },
      body: JSON.stringify(submission.body)
    })
    const accepted = yield* expectSuccess(response, { pushKind: submission.pushKind })
    return { response: accepted, replayed: accepted.headers["idempotent-replayed"] === "true" }
  })

/**
 * Passes a 2xx response through and turns any other into the matching plugin error (`PluginError.fromStatus`):
 * 5xx ServerError, 429 RateLimited with its Retry-After, 401/403 Unauthorized, other 4xx Rejected when
 * `pushKind` is given (a push) or BadConfiguration (a read); a 3xx is BadConfiguration (redirects are not
 * followed). The reason is the body's problem+json `detail` (or `title`) when there is one.
 *
 * @category combinators
 * @since 0.1.0
 */
export const expectSuccess = (
  response: HttpResponse,
  options: { readonly pushKind?: string; readonly now?: number } = {}
): Effect.Effect<HttpResponse, PluginError.PluginError> => {
  if (response.status >= 200 && response.status < 300) return Effect.succeed(response)
  if (response.status < 400) {
    return Effect.fail(
      new PluginError.BadConfiguration({
        reason: `${response.url} redirected (${response.status}) to ${response.headers["location"] ?? "?"}; redirects are not followed`
      })
    )
  }
  const error = PluginError.fromStatus(response.url, response.status, {
    retryAfter: response.headers["retry-after"],
    reason: problemReason(response),
    pushKind: options.pushKind,
    now: options.now
  })
  return error === undefined ? Effect.succeed(response) : Effect.fail(error)
}

/**
 * The human-readable reason in an error body: problem+json `detail`, else `title`, else the start of the text.
 *
 * @category accessors
 * @since 0.1.0
 */
export const problemReason = (response: HttpResponse): string => {
  try {
    const parsed: unknown = JSON.parse(response.body)
    if (typeof parsed === "object" && parsed !== null) {
      const record = parsed as Record<string, unknown>
      if (typeof record["detail"] === "string") return record["detail"]
      if (typeof record["title"] === "string") return record["title"]
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = response.body.trim().slice(0, 200)
  return text === "" ? `HTTP ${response.status}` : text
}

/**
 * Decodes a JSON response body against a schema; a body that is not JSON or does not match is a `ServerError`
 * (the system answered something it cannot have meant), naming the problem.
 *
 * @category combinators
 * @since 0.1.0
 */
export const decodeJson = <S extends Schema.Decoder<unknown>>(
  response: HttpResponse,
  schema: S
): Effect.Effect<S["Type"], PluginError.ServerError> => {
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    return Effect.fail(
      new PluginError.ServerError({ url: response.url, status: response.status, reason: "the body is not JSON" })
    )
  }
  const result = Schema.decodeUnknownResult(schema)(json, { errors: "all" })
  return Result.isSuccess(result)
    ? Effect.succeed(result.success)
    : Effect.fail(
      new PluginError.ServerError({
        url: response.url,
        status: response.status,
        reason: `the body does not match the expected shape: ${result.failure.message}`
      })
    )
}
