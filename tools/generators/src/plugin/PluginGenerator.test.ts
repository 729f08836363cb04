import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Tree } from "@nx/devkit"
import { createTreeWithEmptyWorkspace } from "@nx/devkit/testing"
import ts from "typescript"
import { beforeEach, describe, expect, it } from "vitest"
import { pluginGenerator, type PluginGeneratorOptions } from "./PluginGenerator.ts"
import { catalogPath } from "./PluginRegistration.ts"

// A catalog of the shape of libs/plugin-catalog/src/PluginCatalog.ts, trimmed to what the generator edits.
const catalog = `/**
 * The plugins this hub ships. Adding a plugin = one entry here.
 */
import { PluginRegistry } from "@hub/hub"
import { CouncilFinancePlugin } from "@hub/plugin-council-finance"
import { plugin as londonCbs } from "@hub/plugin-london-cbs"
import type { Plugin, PluginError } from "@hub/plugin-sdk"
import { Config, Effect } from "effect"

const entry = <C>(plugin: Plugin.Plugin<C>, envPrefix: string, settings: ReadonlyArray<Setting>): CatalogEntry => ({ id: plugin.manifest.id, envPrefix, settings })

export const catalog: ReadonlyArray<CatalogEntry> = [
  entry(CouncilFinancePlugin.plugin, "COUNCIL_FINANCE", [
    { key: "baseUrl", env: "BASE_URL", type: "string" }
  ]),
  entry(londonCbs, "LONDON_CBS", [
    { key: "baseUrl", env: "BASE_URL", type: "string" }
  ])
]
`

const workerPackage = `{
  "name": "@hub/worker",
  "dependencies": {
    "@hub/hub": "*",
    "@hub/plugin-london-cbs": "*",
    "@hub/plugin-sdk": "*"
  }
}
`

const workerTsconfig = `{
  "extends": "../../tsconfig.base.json",
  "references": [
    { "path": "../../libs/hub" },
    { "path": "../../plugins/london-cbs" }
  ]
}
`

const workspace = (): Tree => {
  const tree = createTreeWithEmptyWorkspace()
  tree.write("package.json", JSON.stringify({ name: "@hub/source", private: true, workspaces: ["apps/*", "libs/*", "plugins/*", "tools/*"] }))
  tree.write("tsconfig.json", JSON.stringify({ files: [], references: [{ path: "./libs/domain" }] }, null, 2))
  tree.write("plugins/london-cbs/package.json", JSON.stringify({ name: "@hub/plugin-london-cbs" }))
  tree.write("libs/plugin-sdk/package.json", JSON.stringify({ name: "@hub/plugin-sdk" }))
  return tree
}

const withWorker = (tree: Tree): Tree => {
  tree.write(catalogPath, catalog)
  tree.write("libs/plugin-catalog/package.json", workerPackage)
  tree.write("libs/plugin-catalog/tsconfig.json", workerTsconfig)
  return tree
}

// formatFiles would look for a formatter the virtual workspace does not have; the real runs format.
const generate = (tree: Tree, options: PluginGeneratorOptions) => pluginGenerator(tree, { skipFormat: true, ...options })

const read = (tree: Tree, path: string): string => {
  const text = tree.read(path, "utf-8")
  if (text === null) throw new Error(`${path} was not generated`)
  return text
}

const syntaxErrors = (text: string): ReadonlyArray<string> =>
  (ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } }).diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n")
  )

describe("the plugin generator", () => {
  let tree: Tree
  beforeEach(() => {
    tree = withWorker(workspace())
  })

  it("scaffolds plugins/<name> as a type:plugin package with lint and test scripts, depending on the SDK and the domain", async () => {
    await generate(tree, { name: "nhs-digital-finance", system: "NHS Digital Finance Hub" })
    const pkg = JSON.parse(read(tree, "plugins/nhs-digital-finance/package.json"))
    expect(pkg.name).toBe("@hub/plugin-nhs-digital-finance")
    expect(pkg.nx.tags).toEqual(["type:plugin"])
    expect(pkg.scripts).toEqual({ lint: "eslint .", test: "vitest run" })
    expect(pkg.dependencies).toEqual({ "@hub/domain": "*", "@hub/plugin-sdk": "*" })
    expect(JSON.parse(read(tree, "plugins/nhs-digital-finance/tsconfig.json")).references).toEqual([
      { path: "../../libs/domain" },
      { path: "../../libs/plugin-sdk" }
    ])
    const files = tree.listChanges().map((c) => c.path).filter((p) => p.startsWith("plugins/nhs-digital-finance/")).sort()
    expect(files).toEqual([
      "plugins/nhs-digital-finance/README.md",
      "plugins/nhs-digital-finance/package.json",
      "plugins/nhs-digital-finance/src/NhsDigitalFinanceConfig.ts",
      "plugins/nhs-digital-finance/src/NhsDigitalFinancePage.test.ts",
      "plugins/nhs-digital-finance/src/NhsDigitalFinancePage.ts",
      "plugins/nhs-digital-finance/src/NhsDigitalFinancePlugin.contract.test.ts",
      "plugins/nhs-digital-finance/src/NhsDigitalFinancePlugin.ts",
      "plugins/nhs-digital-finance/src/index.ts",
      "plugins/nhs-digital-finance/src/test-support/NhsDigitalFinanceSimulator.ts",
      "plugins/nhs-digital-finance/tsconfig.json",
      "plugins/nhs-digital-finance/vitest.config.ts"
    ])
    for (const file of files) {
      const text = read(tree, file)
      expect(text, file).not.toMatch(/<%|%>|__className__|__name__/u)
      if (file.endsWith(".ts")) expect(syntaxErrors(text), file).toEqual([])
    }
  })

  it("writes the names and options into the manifest, and the contract test runs the kit against the in-test simulator", async () => {
    await generate(tree, { name: "nhs-digital-finance", system: 'Finance "Hub" \\ v2', externalSystem: "Finance Hub API v2", host: "*.finance.nhs.uk" })
    const plugin = read(tree, "plugins/nhs-digital-finance/src/NhsDigitalFinancePlugin.ts")
    expect(plugin).toContain('id: "nhs-digital-finance",')
    expect(plugin).toContain(`displayName: ${JSON.stringify('Finance "Hub" \\ v2')},`)
    expect(plugin).toContain('externalSystem: "Finance Hub API v2",')
    expect(plugin).toContain('hosts: ["*.finance.nhs.uk"]')
    expect(plugin).toContain("export const plugin: Plugin.Plugin<NhsDigitalFinanceConfig> = Plugin.make({")
    const contract = read(tree, "plugins/nhs-digital-finance/src/NhsDigitalFinancePlugin.contract.test.ts")
    expect(contract).toContain("ContractKit.runContractTests({")
    expect(contract).toContain("start: NhsDigitalFinanceSimulator.start,")
    const readme = read(tree, "plugins/nhs-digital-finance/README.md")
    expect(readme).toContain("tools/simulators/nhs-digital-finance")
    expect(readme).toContain("## What to fill in")
  })

  it("defaults the display name to the name in title case and the host to *.nhs.uk", async () => {
    await generate(tree, { name: "borsetshire-ledger" })
    const plugin = read(tree, "plugins/borsetshire-ledger/src/BorsetshireLedgerPlugin.ts")
    expect(plugin).toContain('displayName: "Borsetshire Ledger",')
    expect(plugin).toContain('hosts: ["*.nhs.uk"]')
  })

  it("registers the plugin in the worker's catalog: the import in order, one entry, the dependency and the reference", async () => {
    await generate(tree, { name: "nhs-digital-finance" })
    const edited = read(tree, catalogPath)
    expect(syntaxErrors(edited)).toEqual([])
    const imports = edited.split("\n").filter((l) => l.startsWith("import "))
    expect(imports).toEqual([
      'import { PluginRegistry } from "@hub/hub"',
      'import { CouncilFinancePlugin } from "@hub/plugin-council-finance"',
      'import { plugin as londonCbs } from "@hub/plugin-london-cbs"',
      'import { plugin as nhsDigitalFinancePlugin } from "@hub/plugin-nhs-digital-finance"',
      'import type { Plugin, PluginError } from "@hub/plugin-sdk"',
      'import { Config, Effect } from "effect"'
    ])
    expect(edited).toContain(`  entry(londonCbs, "LONDON_CBS", [
    { key: "baseUrl", env: "BASE_URL", type: "string" }
  ]),
  entry(nhsDigitalFinancePlugin, "NHS_DIGITAL_FINANCE", [
    { key: "baseUrl", env: "BASE_URL", type: "string" },
    { key: "apiToken", env: "API_TOKEN", type: "secret" },
    { key: "pageSize", env: "PAGE_SIZE", type: "int" }
  ])
]`)
    expect(edited.match(/entry\(nhsDigitalFinancePlugin/gu)).toHaveLength(1)
    expect(Object.keys(JSON.parse(read(tree, "libs/plugin-catalog/package.json")).dependencies)).toEqual([
      "@hub/hub",
      "@hub/plugin-london-cbs",
      "@hub/plugin-nhs-digital-finance",
      "@hub/plugin-sdk"
    ])
    expect(JSON.parse(read(tree, "libs/plugin-catalog/tsconfig.json")).references.at(-1)).toEqual({ path: "../../plugins/nhs-digital-finance" })
    expect(JSON.parse(read(tree, "tsconfig.json")).references).toContainEqual({ path: "./plugins/nhs-digital-finance" })
  })

  it("registers a second new plugin after the first", async () => {
    await generate(tree, { name: "nhs-digital-finance" })
    await generate(tree, { name: "borsetshire-ledger" })
    const edited = read(tree, catalogPath)
    expect(syntaxErrors(edited)).toEqual([])
    expect(edited.indexOf("entry(nhsDigitalFinancePlugin")).toBeLessThan(edited.indexOf("entry(borsetshireLedgerPlugin"))
  })

  it("still scaffolds the plugin when there is no catalog, and touches nothing of the worker", async () => {
    const bare = workspace()
    await generate(bare, { name: "nhs-digital-finance" })
    expect(bare.exists("plugins/nhs-digital-finance/src/NhsDigitalFinancePlugin.ts")).toBe(true)
    expect(bare.listChanges().filter((c) => c.path.startsWith("apps/"))).toEqual([])
  })

  it("leaves a catalog of another shape unchanged", async () => {
    const other = "export const catalog = new Map([[\"london-cbs\", londonCbs]])\n"
    tree.write(catalogPath, other)
    await generate(tree, { name: "nhs-digital-finance" })
    expect(read(tree, catalogPath)).toBe(other)
    expect(read(tree, "libs/plugin-catalog/package.json")).toBe(workerPackage)
  })

  it("with --register=false leaves the worker alone", async () => {
    await generate(tree, { name: "nhs-digital-finance", register: false })
    expect(read(tree, catalogPath)).toBe(catalog)
    expect(read(tree, "libs/plugin-catalog/tsconfig.json")).toBe(workerTsconfig)
  })

  it.each([
    [{ name: "london-cbs" }, /plugins\/london-cbs already exists/u],
    [{ name: "Nhs_Finance" }, /lower-case words/u],
    [{ name: "sdk" }, /reserved/u],
    [{ name: "ok-name", host: "https://x.nhs.uk" }, /--host "https:\/\/x.nhs.uk" is not a host name/u],
    [{ name: "ok-name", system: "Bad */ name" }, /--system may not contain "\*\/"/u],
    [{ name: "ok-name", system: "two\nlines" }, /--system must be one line/u],
    [{ name: "ok-name", externalSystem: "  " }, /--externalSystem may not be blank/u]
  ])("refuses %j without writing anything", async (options, reason) => {
    const before = tree.listChanges().length
    await expect(generate(tree, options)).rejects.toThrow(reason)
    expect(tree.listChanges().length).toBe(before)
  })

  it("refuses a name whose package name another workspace package already has", async () => {
    tree.write("tools/odd/package.json", JSON.stringify({ name: "@hub/plugin-odd" }))
    await expect(generate(tree, { name: "odd" })).rejects.toThrow(/@hub\/plugin-odd is already used by tools\/odd/u)
  })
})

// The worker's real catalog is someone else's file and may change shape; this says at once if the generator
// would no longer find where to register.
const realCatalog = fileURLToPath(new URL(`../../../../${catalogPath}`, import.meta.url))
describe.skipIf(!existsSync(realCatalog))("the worker's current catalog", () => {
  it("is one the generator can register a plugin in", async () => {
    const tree = workspace()
    tree.write(catalogPath, readFileSync(realCatalog, "utf-8"))
    await generate(tree, { name: "nhs-digital-finance", register: true })
    const edited = read(tree, catalogPath)
    expect(edited).toContain('import { plugin as nhsDigitalFinancePlugin } from "@hub/plugin-nhs-digital-finance"')
    expect(edited).toContain('entry(nhsDigitalFinancePlugin, "NHS_DIGITAL_FINANCE", [')
    expect(syntaxErrors(edited)).toEqual([])
  })
})
