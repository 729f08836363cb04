/**
 * The queue dashboard for people: `GET /admin/sign-in` (a form), `POST /admin/sign-in` (an API key with the
 * `ops` scope starts a session cookie), `POST /admin/sign-out`, and bull-board under `/admin/queues` behind the
 * `ops` scope, read-only unless the key is `admin`. Bearer keys work too (curl). Cookie-authenticated requests
 * that change state must come from the same origin.
 *
 * @since 0.1.0
 */
import { type Context, Hono, type MiddlewareHandler } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { describeRoute } from "hono-openapi"
import type { GatewayEnv } from "../../http/GatewayEnv.ts"
import { bearerToken, type KeyLookup, requireScope } from "../../middleware/auth/ApiKeyAuth.ts"
import { isSameOrigin, isUnsafe } from "../../middleware/sameOrigin/SameOrigin.ts"
import { cookieName, type Sessions } from "../../middleware/session/Sessions.ts"
import { grants, hashToken } from "../../ports/ApiKeys.ts"
import { CrossOrigin, Unauthorized } from "../../problems/GatewayErrors.ts"
import { basePath, type QueueBoards } from "./QueueBoards.ts"

/**
 * The sign-in page's path.
 *
 * @category constants
 * @since 0.1.0
 */
export const signInPath = "/admin/sign-in"

/**
 * The sign-out path.
 *
 * @category constants
 * @since 0.1.0
 */
export const signOutPath = "/admin/sign-out"

/**
 * The dashboard's paths (the board's own pages, assets and API are under the second).
 *
 * @category constants
 * @since 0.1.0
 */
export const dashboardPaths: ReadonlyArray<string> = [basePath, `${basePath}/*`]

/**
 * What the admin routes need.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly find: KeyLookup
  readonly sessions: Sessions
  readonly boards: QueueBoards
  /** Applied after authentication, before the scope check (the per-key rate limit). */
  readonly limit: MiddlewareHandler<GatewayEnv>
}

// ---------------------------------------------------------------------------------------------------------
// the sign-in page
// ---------------------------------------------------------------------------------------------------------

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/gu, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[ch] ?? ch)

/**
 * The sign-in page, with an optional message (why the last attempt failed). No script: it works under the
 * gateway's strict Content-Security-Policy.
 *
 * @category pages
 * @since 0.1.0
 */
export const signInPage = (message?: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sign in - hub queues</title>
<style>
body { font-family: system-ui, sans-serif; background: #f4f5f7; display: flex; justify-content: center; padding-top: 12vh; }
main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: 26rem; }
label { display: block; margin: 1rem 0 .3rem; }
input { width: 100%; box-sizing: border-box; padding: .5rem; font-family: monospace; }
button { margin-top: 1rem; padding: .5rem 1.2rem; }
.error { color: #a40000; }
</style>
</head>
<body>
<main>
<h1>Hub queues</h1>
<p>Sign in with an API key that has the <code>ops</code> scope (from <code>hub keys create</code>). Keys with the
<code>admin</code> scope may also retry, clean and pause; <code>ops</code> keys see the queues read-only.</p>
${message === undefined ? "" : `<p class="error" role="alert">${escapeHtml(message)}</p>`}
<form method="post" action="${signInPath}">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" required autofocus>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${signOutPath}">
<button type="submit">Sign out</button>
</form>
</main>
</body>
</html>
`

const html = (c: Context<GatewayEnv>, status: 200 | 401 | 403, body: string) =>
  c.html(body, status, { "Cache-Control": "no-store" })

const isHttps = (c: Context): boolean =>
  new URL(c.req.url).protocol === "https:" || c.req.header("X-Forwarded-Proto")?.split(",")[0]?.trim() === "https"

/** A browser asking for a page (not an API call or an asset), which gets sent to sign in rather than a 401. */
const wantsPage = (c: Context): boolean =>
  c.req.method === "GET" &&
  !c.req.path.startsWith(`${basePath}/api/`) &&
  !c.req.path.startsWith(`${basePath}/static/`) &&
  (c.req.header("Accept") ?? "").includes("text/html")

const sameOriginOnly = (c: Context): void => {
  if (!isSameOrigin(c)) throw new CrossOrigin()
}

// ---------------------------------------------------------------------------------------------------------
// middleware
// ---------------------------------------------------------------------------------------------------------

/**
 * Authenticates a dashboard request by bearer key or session cookie and sets `c.var.apiKey`. Without either, a
 * page request is redirected to the sign-in page and anything else is 401. A cookie-authenticated request that
 * changes state must come from the same origin.
 *
 * @category middleware
 * @since 0.1.0
 */
export const authenticateDashboard = (options: Pick<Options, "find" | "sessions">): MiddlewareHandler<GatewayEnv> => async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"))
  if (token !== undefined) {
    const key = await options.find(hashToken(token))
    if (key === undefined) throw new Unauthorized()
    c.set("apiKey", key)
    return next()
  }
  const session = options.sessions.get(getCookie(c, cookieName))
  const key = session === undefined ? undefined : await options.find(session.tokenHash)
  if (key === undefined) {
    if (wantsPage(c)) return c.redirect(signInPath, 303)
    throw new Unauthorized()
  }
  if (isUnsafe(c.req.method)) sameOriginOnly(c)
  c.set("apiKey", key)
  return next()
}

// ---------------------------------------------------------------------------------------------------------
// routes
// ---------------------------------------------------------------------------------------------------------

/**
 * The admin routes (mounted at the root).
 *
 * @category routes
 * @since 0.1.0
 */
export const routes = (options: Options) => {
  const { boards, find, sessions } = options
  const guards = [authenticateDashboard({ find, sessions }), options.limit, requireScope("ops")] as const
  const board = (c: Context<GatewayEnv>) => {
    const key = c.get("apiKey")
    return (key !== undefined && grants(key, "admin") ? boards.full : boards.readOnly).fetch(c.req.raw)
  }
  return new Hono<GatewayEnv>()
    .get(
      signInPath,
      describeRoute({
        tags: ["dashboard"],
        summary: "The queue dashboard's sign-in page",
        responses: { 200: { description: "A form asking for an API key", content: { "text/html": { schema: { type: "string" } } } } }
      }),
      (c) => html(c, 200, signInPage())
    )
    .post(
      signInPath,
      describeRoute({
        tags: ["dashboard"],
        summary: "Signs in to the queue dashboard with an API key",
        description:
          "Form field `key`: an API key with the `ops` scope. Starts a session (an opaque id in an HttpOnly, SameSite=Strict cookie, Secure over https; the key is not stored in it) and redirects to /admin/queues. Same-origin requests only.",
        responses: {
          303: { description: "Signed in; redirects to the dashboard" },
          401: { description: "Unknown or revoked key (the form again, with the reason)" },
          403: { description: "The key lacks the ops scope, or the request came from another site" }
        }
      }),
      async (c) => {
        sameOriginOnly(c)
        const form = await c.req.parseBody()
        const token = typeof form["key"] === "string" ? form["key"].trim() : ""
        const tokenHash = hashToken(token)
        const key = token === "" ? undefined : await find(tokenHash)
        if (key === undefined) return html(c, 401, signInPage("That API key is not valid (unknown or revoked)."))
        if (!grants(key, "ops")) return html(c, 403, signInPage("That API key lacks the ops scope the dashboard needs."))
        const id = sessions.start(tokenHash)
        setCookie(c, cookieName, id, {
          path: "/admin",
          httpOnly: true,
          sameSite: "Strict",
          secure: isHttps(c),
          maxAge: Math.floor(sessions.ttlMs / 1000)
        })
        c.set("apiKey", key)
        return c.redirect(basePath, 303)
      }
    )
    .post(
      signOutPath,
      describeRoute({
        tags: ["dashboard"],
        summary: "Ends the dashboard session",
        responses: { 303: { description: "Signed out; redirects to the sign-in page" } }
      }),
      (c) => {
        sameOriginOnly(c)
        sessions.end(getCookie(c, cookieName))
        deleteCookie(c, cookieName, { path: "/admin", httpOnly: true, sameSite: "Strict", secure: isHttps(c) })
        return c.redirect(signInPath, 303)
      }
    )
    .get(
      basePath,
      describeRoute({
        tags: ["dashboard"],
        summary: "The queue dashboard (bull-board)",
        description:
          "The hub's queues in bull-board: read-only for keys with the `ops` scope, with job actions (retry, clean, pause, ...) for `admin` keys. Browsers sign in at /admin/sign-in (a page request without a session is redirected there); scripts send a bearer key. The board's own pages, assets and JSON API live under /admin/queues/ (not listed here).",
        responses: {
          200: { description: "The dashboard page", content: { "text/html": { schema: { type: "string" } } } },
          303: { description: "No session: redirects to the sign-in page" }
        }
      }),
      ...guards,
      board
    )
    .on(["GET", "POST", "PUT", "PATCH", "DELETE"], `${basePath}/*`, describeRoute({ hide: true }), ...guards, board)
}
