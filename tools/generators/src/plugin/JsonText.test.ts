import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as JsonText from "./JsonText.ts"

const packageJson = `{
  "name": "@hub/worker",
  "dependencies": {
    "@hub/domain": "*",
    "@hub/plugin-london-cbs": "*",
    "@hub/plugin-sdk": "*"
  },
  "nx": {
    "tags": ["type:app"]
  }
}
`

const changedLines = (before: string, after: string): ReadonlyArray<string> => {
  const old = new Set(before.split("\n"))
  return after.split("\n").filter((line) => !old.has(line))
}

describe("JsonText.addStringEntry", () => {
  it("adds one line in sorted position and leaves the rest of the file as it was", () => {
    const after = JsonText.addStringEntry(packageJson, "dependencies", "@hub/plugin-nhs-digital-finance", "*")
    expect(after).toBeDefined()
    expect(changedLines(packageJson, after ?? "")).toEqual(['    "@hub/plugin-nhs-digital-finance": "*",'])
    expect(Object.keys(JSON.parse(after ?? "").dependencies)).toEqual([
      "@hub/domain",
      "@hub/plugin-london-cbs",
      "@hub/plugin-nhs-digital-finance",
      "@hub/plugin-sdk"
    ])
    expect(after).toContain('"tags": ["type:app"]')
  })

  it("is idempotent", () => {
    const once = JsonText.addStringEntry(packageJson, "dependencies", "@hub/plugin-x", "*") ?? ""
    expect(JsonText.addStringEntry(once, "dependencies", "@hub/plugin-x", "*")).toBe(once)
  })

  it("gives up (undefined) on layouts it does not understand", () => {
    expect(JsonText.addStringEntry('{ "dependencies": { "a": "*", "b": "*" } }', "dependencies", "c", "*")).toBeUndefined()
    expect(JsonText.addStringEntry('{ "name": "x" }', "dependencies", "c", "*")).toBeUndefined()
  })

  it("for any sorted dependency list, the result is the same object plus the new key, still sorted", () => {
    const key = fc.stringMatching(/^@?[a-z][a-z0-9/-]{0,12}$/u)
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), key, (keys, added) => {
        const sorted = [...keys].sort((a, b) => a.localeCompare(b))
        const before = `{\n  "dependencies": {\n${sorted.map((k) => `    ${JSON.stringify(k)}: "*"`).join(",\n")}\n  }\n}\n`
        const after = JsonText.addStringEntry(before, "dependencies", added, "*")
        const expected = [...new Set([...sorted, added])].sort((a, b) => a.localeCompare(b))
        expect(Object.keys(JSON.parse(after ?? "null").dependencies)).toEqual(expected)
      })
    )
  })
})

describe("JsonText.addReference", () => {
  it("appends a line to a one-per-line references list", () => {
    const tsconfig = `{\n  "references": [\n    { "path": "../../libs/domain" },\n    { "path": "../gateway" }\n  ]\n}\n`
    const after = JsonText.addReference(tsconfig, "../../plugins/x") ?? ""
    expect(changedLines(tsconfig, after)).toEqual(['    { "path": "../gateway" },', '    { "path": "../../plugins/x" }'])
    expect(JSON.parse(after).references.at(-1)).toEqual({ path: "../../plugins/x" })
  })

  it("appends to a references list written on one line, and fills an empty one", () => {
    const oneLine = `{ "references": [{ "path": "../../libs/domain" }] }`
    expect(JsonText.addReference(oneLine, "../x")).toBe(`{ "references": [{ "path": "../../libs/domain" }, { "path": "../x" }] }`)
    expect(JsonText.addReference(`{ "references": [] }`, "../x")).toBe(`{ "references": [{ "path": "../x" }] }`)
  })

  it("leaves a file that has the reference alone, and gives up on multi-line reference objects", () => {
    const has = `{ "references": [{ "path": "../x" }] }`
    expect(JsonText.addReference(has, "../x")).toBe(has)
    const expanded = `{\n  "references": [\n    {\n      "path": "./libs/domain"\n    }\n  ]\n}\n`
    expect(JsonText.addReference(expanded, "./plugins/x")).toBeUndefined()
  })
})
