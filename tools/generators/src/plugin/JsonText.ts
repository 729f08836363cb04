/**
 * Small edits to hand-formatted JSON files (package.json dependencies, tsconfig references) that keep their
 * layout, so a generator's change is a one-line diff rather than the whole file reformatted. Each edit returns
 * `undefined` when the text is not in the simple form it understands; the caller then falls back to rewriting
 * the file as JSON.
 */

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")

/** The result is kept only if it is still JSON and has the edit; anything else means "not understood". */
const checked = (text: string, verify: (json: unknown) => boolean): string | undefined => {
  try {
    return verify(JSON.parse(text)) ? text : undefined
  } catch {
    return undefined
  }
}

/**
 * Adds `"key": "value"` to the flat object under the top-level `property` (one entry per line), before the
 * first key that sorts after it. Unchanged text when the key is there already.
 */
export const addStringEntry = (text: string, property: string, key: string, value: string): string | undefined => {
  const block = new RegExp(`("${escape(property)}"\\s*:\\s*\\{)([^{}]*)(\\})`, "u").exec(text)
  if (block === null) return undefined
  const [whole, open, body, close] = block as unknown as [string, string, string, string]
  const entry = /^(\s*)"([^"\\]+)"\s*:\s*"[^"\\]*"\s*,?\s*$/u
  const lines = body.split("\n").filter((line) => line.trim() !== "")
  const parsed = lines.map((line) => entry.exec(line))
  if (parsed.length === 0 || parsed.some((m) => m === null)) return undefined
  const entries = parsed.map((m) => ({ indent: (m as RegExpExecArray)[1] as string, key: (m as RegExpExecArray)[2] as string }))
  if (entries.some((e) => e.key === key)) return text
  const indent = entries[0]?.indent ?? "    "
  const closingIndent = /\n([ \t]*)$/u.exec(body)?.[1] ?? ""
  const items = lines.map((line) => line.trim().replace(/,$/u, ""))
  const at = entries.findIndex((e) => e.key.localeCompare(key) > 0)
  items.splice(at === -1 ? items.length : at, 0, `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
  const rebuilt = `${open}\n${items.map((item) => `${indent}${item}`).join(",\n")}\n${closingIndent}${close}`
  return checked(text.replace(whole, () => rebuilt), (json) => {
    const object = (json as Record<string, unknown>)[property] as Record<string, unknown> | undefined
    return object?.[key] === value
  })
}

/**
 * Appends `{ "path": path }` to the top-level `references` array of a tsconfig, in the array's own layout (one
 * reference per line, or all on one line). Unchanged text when the reference is there already.
 */
export const addReference = (text: string, path: string): string | undefined => {
  const block = /("references"\s*:\s*\[)([^[\]]*)(\])/u.exec(text)
  if (block === null) return undefined
  const [whole, open, body, close] = block as unknown as [string, string, string, string]
  const item = `{ "path": ${JSON.stringify(path)} }`
  const verify = (json: unknown): boolean =>
    ((json as { references?: Array<{ path?: unknown }> }).references ?? []).some((r) => r.path === path)
  if (checked(text, verify) !== undefined) return text
  let rebuilt: string
  if (body.trim() === "") {
    rebuilt = `${open}${item}${close}`
  } else if (!body.includes("\n")) {
    rebuilt = `${open}${body.replace(/\s*$/u, "")}, ${item}${close}`
  } else {
    const lines = body.split("\n")
    const last = [...lines].reverse().find((line) => line.trim() !== "")
    if (last === undefined || !/^\s*\{[^{}]*\},?\s*$/u.test(last)) return undefined
    const indent = /^(\s*)/u.exec(last)?.[1] ?? "    "
    const closingIndent = /\n([ \t]*)$/u.exec(body)?.[1] ?? ""
    const kept = body.replace(/\s*$/u, "").replace(/,$/u, "")
    rebuilt = `${open}${kept},\n${indent}${item}\n${closingIndent}${close}`
  }
  return checked(text.replace(whole, () => rebuilt), verify)
}
