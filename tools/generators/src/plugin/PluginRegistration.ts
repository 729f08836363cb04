/**
 * Registers a new plugin with the hub: the one entry in the plugin catalog
 * (`libs/plugin-catalog/src/PluginCatalog.ts`), plus the import, package dependency and TypeScript reference that entry
 * needs. The catalog is found and edited through the TypeScript syntax tree, not text patterns, and when it does
 * not have the expected shape nothing is changed and the caller is told what to add by hand.
 */
import { type Tree, updateJson } from "@nx/devkit"
import ts from "typescript"
import * as JsonText from "./JsonText.ts"
import type { PluginNames } from "./PluginName.ts"

/** Where the hub lists the plugins it ships (libs/plugin-catalog, used by the worker and the gateway). */
export const catalogPath = "libs/plugin-catalog/src/PluginCatalog.ts"
const workerPackageJson = "libs/plugin-catalog/package.json"
const workerTsconfig = "libs/plugin-catalog/tsconfig.json"

/**
 * Edits a JSON file keeping its layout when `edit` understands it, else rewrites it as JSON with `fallback`.
 */
export const editJson = (
  tree: Tree,
  path: string,
  edit: (text: string) => string | undefined,
  fallback: (json: Record<string, unknown>) => void
): void => {
  const edited = edit(tree.read(path, "utf-8") ?? "")
  if (edited !== undefined) return tree.write(path, edited)
  updateJson(tree, path, (json: Record<string, unknown>) => {
    fallback(json)
    return json
  })
}

/** Adds a project reference to a tsconfig (once). */
export const addTsReference = (tree: Tree, path: string, reference: string): void =>
  editJson(tree, path, (text) => JsonText.addReference(text, reference), (json) => {
    const references = (json["references"] as Array<{ path: string }> | undefined) ?? []
    if (!references.some((r) => r.path === reference)) json["references"] = [...references, { path: reference }]
  })

/** What registering did. */
export type Registration =
  | { readonly _tag: "Registered"; readonly files: ReadonlyArray<string> }
  | { readonly _tag: "AlreadyRegistered" }
  | { readonly _tag: "NoRegistry"; readonly reason: string; readonly byHand: string }

/** The settings of the scaffolded configuration, as the catalog reads them from the environment. */
const settings = `[
    { key: "baseUrl", env: "BASE_URL", type: "string" },
    { key: "apiToken", env: "API_TOKEN", type: "secret" },
    { key: "pageSize", env: "PAGE_SIZE", type: "int" }
  ]`

const importAlias = (names: PluginNames): string => `${names.propertyName}Plugin`

const importLine = (names: PluginNames): string => `import { plugin as ${importAlias(names)} } from "${names.packageName}"`

const entryText = (helper: string, names: PluginNames): string =>
  `${helper}(${importAlias(names)}, "${names.constantName}", ${settings})`

const unwrap = (node: ts.Expression): ts.Expression =>
  ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) ? unwrap(node.expression) : node

/** The `export const catalog = [...]` array of the catalog file, if it has one. */
const findCatalogArray = (source: ts.SourceFile): ts.ArrayLiteralExpression | undefined => {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false
    if (!exported) continue
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== "catalog" || declaration.initializer === undefined) continue
      const initializer = unwrap(declaration.initializer)
      if (ts.isArrayLiteralExpression(initializer)) return initializer
    }
  }
  return undefined
}

/** The helper every entry is made with (`entry(plugin, "PREFIX", settings)`), if all entries agree on one. */
const entryHelper = (array: ts.ArrayLiteralExpression): string | undefined => {
  const helpers = new Set<string>()
  for (const element of array.elements) {
    if (!ts.isCallExpression(element) || !ts.isIdentifier(element.expression) || element.arguments.length !== 3) return undefined
    if (!ts.isStringLiteral(element.arguments[1] as ts.Expression)) return undefined
    helpers.add(element.expression.text)
  }
  return helpers.size === 1 ? [...helpers][0] : undefined
}

/** Inserts edits (offset, text) into a text, last offset first so earlier offsets stay valid. */
const applyEdits = (text: string, edits: ReadonlyArray<{ readonly at: number; readonly insert: string }>): string =>
  [...edits].sort((a, b) => b.at - a.at).reduce((acc, e) => acc.slice(0, e.at) + e.insert + acc.slice(e.at), text)

/** Where the new import goes: before the first import whose module sorts after the plugin's package, else last. */
const importEdit = (source: ts.SourceFile, line: string, packageName: string): { readonly at: number; readonly insert: string } => {
  const imports = source.statements.filter(ts.isImportDeclaration)
  const after = imports.find((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text.localeCompare(packageName) > 0)
  if (after !== undefined) return { at: after.getStart(source), insert: `${line}\n` }
  const last = imports.at(-1)
  return last === undefined ? { at: 0, insert: `${line}\n` } : { at: last.getEnd(), insert: `\n${line}` }
}

/** The lines an engineer adds by hand when the catalog cannot be edited automatically. */
const byHandText = (names: PluginNames): string =>
  [
    `in ${catalogPath}:`,
    `  ${importLine(names)}`,
    `  and in the catalog array: ${entryText("entry", names).replace(/\n\s*/gu, " ")}`,
    `in ${workerPackageJson} dependencies: "${names.packageName}": "*"`,
    `in ${workerTsconfig} references: { "path": "../../${names.directory}" }`
  ].join("\n")

/**
 * Adds the plugin to the worker's catalog (import and entry), and the matching dependency and project reference
 * of the worker. Idempotent: a plugin already imported there is left alone.
 */
export const register = (tree: Tree, names: PluginNames): Registration => {
  const byHand = byHandText(names)
  const text = tree.read(catalogPath, "utf-8")
  if (text === null) return { _tag: "NoRegistry", reason: `${catalogPath} does not exist`, byHand }
  if (text.includes(`"${names.packageName}"`)) return { _tag: "AlreadyRegistered" }
  const source = ts.createSourceFile(catalogPath, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const array = findCatalogArray(source)
  if (array === undefined) {
    return { _tag: "NoRegistry", reason: `${catalogPath} has no \`export const catalog = [...]\` array`, byHand }
  }
  const helper = entryHelper(array)
  if (helper === undefined) {
    return { _tag: "NoRegistry", reason: `the entries of the catalog in ${catalogPath} are not all \`entry(plugin, "PREFIX", settings)\` calls`, byHand }
  }
  if (new RegExp(`\\b${importAlias(names)}\\b`, "u").test(text)) {
    return { _tag: "NoRegistry", reason: `${catalogPath} already uses the name ${importAlias(names)}`, byHand }
  }
  const last = array.elements.at(-1)
  const entry = entryText(helper, names)
  const elementEdit = last === undefined
    ? { at: array.elements.pos, insert: `\n  ${entry}\n` }
    : { at: last.getEnd(), insert: `,\n  ${entry}` }
  tree.write(catalogPath, applyEdits(text, [importEdit(source, importLine(names), names.packageName), elementEdit]))

  const files = [catalogPath]
  if (tree.exists(workerPackageJson)) {
    editJson(tree, workerPackageJson, (text) => JsonText.addStringEntry(text, "dependencies", names.packageName, "*"), (json) => {
      const dependencies = { ...(json["dependencies"] as Record<string, string> | undefined), [names.packageName]: "*" }
      json["dependencies"] = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)))
    })
    files.push(workerPackageJson)
  }
  if (tree.exists(workerTsconfig)) {
    addTsReference(tree, workerTsconfig, `../../${names.directory}`)
    files.push(workerTsconfig)
  }
  return { _tag: "Registered", files }
}
