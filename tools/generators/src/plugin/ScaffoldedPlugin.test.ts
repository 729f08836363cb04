// End to end: in a temporary copy of this workspace, `npx nx g @hub/generators:plugin` scaffolds a plugin, and
// right away the new package typechecks, lints (module boundaries included) and passes its tests, the SDK's
// contract kit among them. The real tree is never written to; the copy is deleted afterwards.
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { catalogPath } from "./PluginRegistration.ts"
import { type CommandResult, copyWorkspace, run, type WorkspaceCopy } from "../test-support/WorkspaceCopy.ts"

const workspaceRoot = fileURLToPath(new URL("../../../../", import.meta.url))
const name = "scaffold-probe"
const commandTimeoutMs = 240_000

/** The assertion message: the command's output, so a failure says what went wrong. */
const explain = (what: string, result: CommandResult): string => `${what} exited ${result.exitCode}:\n${result.output}`

describe(`a plugin scaffolded by nx g in a copy of the workspace (${name})`, () => {
  let copy: WorkspaceCopy
  let generated: CommandResult
  let shown: CommandResult
  let pluginDir: string
  const timings: Array<string> = []
  const timed = async (label: string, cwd: string, args: ReadonlyArray<string>): Promise<CommandResult> => {
    const result = await run(copy, cwd, "npx", args, commandTimeoutMs)
    timings.push(`${label}: ${(result.ms / 1000).toFixed(1)} s`)
    return result
  }
  const catalogInCopy = (): string | undefined => {
    const path = join(copy.root, catalogPath)
    return existsSync(path) ? readFileSync(path, "utf-8") : undefined
  }
  let catalogBefore: string | undefined

  beforeAll(async () => {
    const started = performance.now()
    copy = copyWorkspace(workspaceRoot)
    timings.push(`copy: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    pluginDir = join(copy.root, "plugins", name)
    catalogBefore = catalogInCopy()
    generated = await timed("nx g", copy.root, ["nx", "g", "@hub/generators:plugin", name, "--system", "Scaffold Probe System", "--no-interactive"])
    // Also refreshes Nx's cached project graph, which the lint rule reads, so the new project is in it.
    shown = await timed("nx show project", copy.root, ["nx", "show", "project", `@hub/plugin-${name}`, "--json"])
  })

  afterAll(() => {
    copy?.remove()
    console.log(`generator workspace test timings: ${timings.join(", ")}`)
  })

  it("nx g creates the package under plugins/ and makes it resolvable as @hub/plugin-<name>", () => {
    expect(generated.exitCode, explain("nx g", generated)).toBe(0)
    const pkg = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf-8"))
    expect(pkg.name).toBe(`@hub/plugin-${name}`)
    expect(realpathSync(join(copy.root, "node_modules", "@hub", `plugin-${name}`))).toBe(realpathSync(pluginDir))
  })

  it("registers it in the worker's catalog when the catalog exists", () => {
    if (catalogBefore === undefined) return
    const catalog = catalogInCopy() ?? ""
    expect(catalog).toContain(`from "@hub/plugin-${name}"`)
    expect(catalog).toContain('entry(scaffoldProbePlugin, "SCAFFOLD_PROBE", [')
  })

  it("Nx sees a type:plugin project with lint, test and typecheck targets", () => {
    expect(shown.exitCode, explain("nx show project", shown)).toBe(0)
    const project = JSON.parse(shown.output.slice(shown.output.indexOf("{")))
    expect(project.tags).toContain("type:plugin")
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(["lint", "test", "typecheck"]))
  })

  it("typechecks: tsc --build", async () => {
    const result = await timed("tsc --build", pluginDir, ["tsc", "--build", "tsconfig.json"])
    expect(result.exitCode, explain("tsc --build tsconfig.json", result)).toBe(0)
  }, commandTimeoutMs)

  it("lints clean with the module boundaries checked, and lint would refuse a forbidden import", async () => {
    const clean = await timed("eslint", pluginDir, ["eslint", "."])
    expect(clean.exitCode, explain("eslint .", clean)).toBe(0)
    expect(clean.output).not.toContain("No cached ProjectGraph")
    // The same lint fails on a plugin importing the store (plugins may import only the SDK and the domain).
    const probe = join(pluginDir, "src", "Forbidden.ts")
    writeFileSync(probe, 'import { Store } from "@hub/store"\nexport const store = Store\n')
    const forbidden = await timed("eslint (forbidden import)", pluginDir, ["eslint", "src/Forbidden.ts"])
    rmSync(probe)
    expect(forbidden.exitCode, explain("eslint src/Forbidden.ts", forbidden)).toBe(1)
    expect(forbidden.output).toContain("@nx/enforce-module-boundaries")
  }, commandTimeoutMs)

  it("its tests pass, the SDK's contract kit against the in-test simulator among them", async () => {
    const result = await timed("vitest run", pluginDir, ["vitest", "run"])
    expect(result.exitCode, explain("vitest run", result)).toBe(0)
    expect(result.output).toMatch(/ScaffoldProbePlugin\.contract\.test\.ts \(\d+ tests\)/u)
    expect(result.output).not.toMatch(/\bfailed\b/u)
  }, commandTimeoutMs)
})
