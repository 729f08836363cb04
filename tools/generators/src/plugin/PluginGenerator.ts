/**
 * The `plugin` generator (`npx nx g @hub/generators:plugin <name>`): scaffolds plugins/<name> from the templates
 * in `files/` (manifest, configuration, one stream, one push kind, an in-test simulator and the contract-kit
 * test), adds it to the root TypeScript references and registers it in the worker's catalog, so the new package
 * passes typecheck, lint and its tests right away.
 */
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { formatFiles, type GeneratorCallback, generateFiles, logger, type Tree } from "@nx/devkit"
import * as PluginName from "./PluginName.ts"
import * as PluginRegistration from "./PluginRegistration.ts"

/** The generator's options (schema.json). */
export interface PluginGeneratorOptions {
  /** Lower-case kebab name: plugins/<name>, @hub/plugin-<name>, the manifest id. */
  readonly name: string
  /** Display name of the external system (the manifest's `displayName`). */
  readonly system?: string | undefined
  /** What the plugin speaks to, with API and version (the manifest's `externalSystem`). */
  readonly externalSystem?: string | undefined
  /** Host pattern the plugin may contact (default `*.nhs.uk`). */
  readonly host?: string | undefined
  /** Add the plugin to the worker's catalog (default true). */
  readonly register?: boolean | undefined
  /** Skip formatting the generated files (default false). */
  readonly skipFormat?: boolean | undefined
}

const templates = fileURLToPath(new URL("./files", import.meta.url))

/** The same host pattern the SDK's manifest schema accepts: a name, an IP or `*.domain`. */
const hostPattern = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/u

/** Text that goes into doc comments and string literals: one line, and it may not end a comment. */
const textProblem = (option: string, value: string): string | undefined => {
  if (value.trim() === "") return `--${option} may not be blank`
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/u.test(value)) return `--${option} must be one line without control characters`
  if (value.includes("*/")) return `--${option} may not contain "*/" (it goes into doc comments)`
  return undefined
}

/** Package names of every workspace package (the root package.json's `workspaces` folders). */
const workspacePackageNames = (tree: Tree): Map<string, string> => {
  const found = new Map<string, string>()
  const root = tree.exists("package.json") ? (JSON.parse(tree.read("package.json", "utf-8") ?? "{}") as { workspaces?: unknown }) : {}
  const patterns = Array.isArray(root.workspaces) ? root.workspaces.filter((p): p is string => typeof p === "string") : []
  for (const pattern of patterns) {
    const folders = pattern.endsWith("/*") ? tree.children(pattern.slice(0, -2)).map((c) => `${pattern.slice(0, -2)}/${c}`) : [pattern]
    for (const folder of folders) {
      const text = tree.read(`${folder}/package.json`, "utf-8")
      if (text === null) continue
      try {
        const name = (JSON.parse(text) as { name?: unknown }).name
        if (typeof name === "string") found.set(name, folder)
      } catch {
        // Someone's half-written package.json is not this generator's concern.
      }
    }
  }
  return found
}

/** Checks the options against each other and the workspace; throws naming the option and the reason. */
const normalise = (tree: Tree, options: PluginGeneratorOptions) => {
  const fail = (reason: string): never => {
    throw new Error(`Cannot scaffold the plugin: ${reason}`)
  }
  const nameProblem = PluginName.problem(options.name)
  if (nameProblem !== undefined) fail(nameProblem)
  const names = PluginName.derive(options.name)
  if (tree.exists(names.directory)) fail(`${names.directory} already exists: a plugin of that name is in the workspace; pick another name`)
  const owner = workspacePackageNames(tree).get(names.packageName)
  if (owner !== undefined) fail(`the package name ${names.packageName} is already used by ${owner}`)
  const system = options.system ?? names.title
  const externalSystem = options.externalSystem ?? `${system} API (placeholder protocol)`
  const host = options.host ?? "*.nhs.uk"
  for (const [option, value] of [["system", system], ["externalSystem", externalSystem]] as const) {
    const problem = textProblem(option, value)
    if (problem !== undefined) fail(problem)
  }
  if (!hostPattern.test(host)) fail(`--host ${JSON.stringify(host)} is not a host name, IP or *.domain pattern (e.g. *.nhs.uk)`)
  return { names, system: system.trim(), externalSystem: externalSystem.trim(), host }
}

/** Lists the new project in the root tsconfig.json references, as `nx sync` would. */
const addRootReference = (tree: Tree, directory: string): void => {
  if (tree.exists("tsconfig.json")) PluginRegistration.addTsReference(tree, "tsconfig.json", `./${directory}`)
}

/**
 * Makes the new package resolvable as `@hub/plugin-<name>` without an `npm install` (what npm workspaces would
 * link): node_modules/@hub/plugin-<name> -> ../../plugins/<name>.
 */
const linkPackage = (root: string, names: PluginName.PluginNames): void => {
  const scope = join(root, "node_modules", "@hub")
  const link = join(scope, names.packageName.slice("@hub/".length))
  try {
    lstatSync(link)
    return
  } catch {
    // not linked yet
  }
  if (!existsSync(join(root, "node_modules"))) return
  mkdirSync(scope, { recursive: true })
  symlinkSync(`../../${names.directory}`, link)
  logger.info(`Linked node_modules/${names.packageName} -> ${names.directory} (run npm install later to record it in package-lock.json).`)
}

/**
 * Scaffolds plugins/<name> and registers it.
 */
export const pluginGenerator = async (tree: Tree, options: PluginGeneratorOptions): Promise<GeneratorCallback> => {
  const { names, system, externalSystem, host } = normalise(tree, options)
  generateFiles(tree, templates, names.directory, { ...names, system, externalSystem, host, tmpl: "" })
  addRootReference(tree, names.directory)

  const registration: PluginRegistration.Registration = options.register === false
    ? { _tag: "NoRegistry", reason: "--register=false", byHand: "" }
    : PluginRegistration.register(tree, names)
  if (registration._tag === "NoRegistry" && options.register !== false) {
    logger.warn(`Not registered: ${registration.reason}. Register it by hand:\n${registration.byHand}`)
  }
  if (options.skipFormat !== true) await formatFiles(tree)

  return () => {
    linkPackage(tree.root, names)
    logger.info(
      [
        `Scaffolded ${names.packageName} in ${names.directory}${registration._tag === "Registered" ? ` and registered it in ${PluginRegistration.catalogPath}` : ""}.`,
        `Check it:  cd ${names.directory} && npx tsc --build tsconfig.json && npx eslint . && npx vitest run`,
        `Then follow ${names.directory}/README.md ("What to fill in").`
      ].join("\n")
    )
  }
}

export default pluginGenerator
