// The architecture's arrows (ARCHITECTURE.md) are lint rules. These tests lint code that breaks them, as if it
// were written inside the project, and expect @nx/enforce-module-boundaries to reject it.
import { ESLint } from "eslint"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const eslint = new ESLint({ cwd: root })

const lint = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "@nx/enforce-module-boundaries" || m.ruleId === "no-restricted-imports")
    .map((m) => m.message)
}

describe("module boundaries", () => {
  it("the domain may not import hono", async () => {
    const messages = await lint("libs/domain/src/Probe.ts", 'import { Hono } from "hono"\nexport const app = new Hono()\n')
    expect(messages.join("\n")).toMatch(/type:domain.*not allowed to import "hono"/)
  })

  it("the domain may not import Node built-ins", async () => {
    const messages = await lint("libs/domain/src/Probe.ts", 'import { readFileSync } from "node:fs"\nexport const f = readFileSync\n')
    expect(messages.join("\n")).toMatch(/libs\/domain is pure: no Node built-ins/)
  })

  it("the domain may import effect", async () => {
    expect(await lint("libs/domain/src/Probe.ts", 'import { Effect } from "effect"\nexport const e = Effect.void\n')).toEqual([])
  })
})
