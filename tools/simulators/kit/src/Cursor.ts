/**
 * Opaque page cursors: a small JSON state encoded as base64url, so clients treat it as a token and simulators
 * can reject a tampered or foreign cursor with a 400 naming the parameter.
 *
 * @since 0.1.0
 */

/**
 * Encodes a cursor state (any JSON value) as an opaque token.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (state: unknown): string => Buffer.from(JSON.stringify(state), "utf8").toString("base64url")

/**
 * Decodes a token made by {@link encode}, or `undefined` when it is not one (bad base64url or bad JSON).
 * The caller checks the decoded shape.
 *
 * @category encoding
 * @since 0.1.0
 */
export const decode = (token: string): unknown => {
  if (!/^[A-Za-z0-9_-]+$/u.test(token)) return undefined
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown
  } catch {
    return undefined
  }
}
