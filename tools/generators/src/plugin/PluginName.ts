/**
 * The name of a new plugin and everything derived from it: the folder, the package name, the manifest id, the
 * TypeScript identifiers and the environment prefix. Bad names are refused with a message saying which option
 * and why, before anything is written.
 */
import { names } from "@nx/devkit"

/** The names a plugin's files and registry entry use, all derived from one kebab-case name. */
export interface PluginNames {
  /** The kebab-case name, also the manifest id (`nhs-digital-finance`). */
  readonly name: string
  /** The folder relative to the workspace root (`plugins/nhs-digital-finance`). */
  readonly directory: string
  /** The npm package name (`@hub/plugin-nhs-digital-finance`). */
  readonly packageName: string
  /** The class-case stem of the module names (`NhsDigitalFinance`: `NhsDigitalFinancePlugin.ts`). */
  readonly className: string
  /** The camel-case identifier the registry imports the plugin as (`nhsDigitalFinance`). */
  readonly propertyName: string
  /** The environment variable prefix of the worker's settings (`NHS_DIGITAL_FINANCE`). */
  readonly constantName: string
  /** A readable default display name (`Nhs Digital Finance`). */
  readonly title: string
}

/** Lower-case words of letters and digits joined by single hyphens, starting with a letter: the manifest's slug. */
const kebab = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u

/** Longest accepted name: it becomes part of queue names, environment variables and a package name. */
export const maxLength = 40

/**
 * Names that would collide with the SDK's package (`@hub/plugin-sdk`) or read as a placeholder rather than a
 * system.
 */
const reserved: ReadonlySet<string> = new Set(["sdk", "plugin", "plugins", "test", "template", "new"])

/**
 * Checks a requested plugin name, returning the reason it is refused or `undefined` when it is acceptable.
 * Only the name's form is judged here; whether a plugin of that name already exists is the generator's check.
 */
export const problem = (name: unknown): string | undefined => {
  if (typeof name !== "string" || name.length === 0) return "the plugin name is required (e.g. nhs-digital-finance)"
  if (!kebab.test(name)) {
    return `the plugin name ${JSON.stringify(name)} must be lower-case words of letters and digits joined by single hyphens, starting with a letter (e.g. nhs-digital-finance)`
  }
  if (name.length > maxLength) return `the plugin name ${JSON.stringify(name)} is longer than ${maxLength} characters`
  if (name.startsWith("plugin-")) return `leave out the "plugin-" prefix: the package is named @hub/plugin-<name> already (try ${JSON.stringify(name.slice("plugin-".length))})`
  if (reserved.has(name)) return `the plugin name ${JSON.stringify(name)} is reserved (it would collide with @hub/plugin-sdk or name no system)`
  return undefined
}

/** Derives every name from an accepted plugin name (call {@link problem} first). */
export const derive = (name: string): PluginNames => {
  const n = names(name)
  return {
    name,
    directory: `plugins/${name}`,
    packageName: `@hub/plugin-${name}`,
    className: n.className,
    propertyName: n.propertyName,
    constantName: n.constantName,
    title: name
      .split("-")
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(" ")
  }
}
