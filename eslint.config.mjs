// One flat config for the whole workspace. The architecture of ARCHITECTURE.md is enforced here:
// each project carries a `type:*` tag and @nx/enforce-module-boundaries turns a wrong import into a lint error.
import js from "@eslint/js";
import nx from "@nx/eslint-plugin";
import tseslint from "typescript-eslint";

const effectOnly = ["effect", "effect/*"];
const testTooling = ["vitest", "vitest/*", "fast-check", "node:*"];

/** The dependency rules between project kinds (see ARCHITECTURE.md, "Projects and boundaries"). */
const depConstraints = (extraDomainImports = [], forTests = false) => [
  {
    sourceTag: "type:domain",
    onlyDependOnLibsWithTags: forTests ? ["type:domain", "type:testing"] : ["type:domain"],
    allowedExternalImports: [...effectOnly, ...extraDomainImports]
  },
  { sourceTag: "type:contract", onlyDependOnLibsWithTags: ["type:domain"] },
  { sourceTag: "type:plugin", onlyDependOnLibsWithTags: ["type:contract", "type:domain"] },
  { sourceTag: "type:data", onlyDependOnLibsWithTags: ["type:domain"] },
  // The plugins the hub ships and how they are configured (libs/plugin-catalog), shared by the apps.
  { sourceTag: "type:catalog", onlyDependOnLibsWithTags: ["type:plugin", "type:contract", "type:domain"] },
  { sourceTag: "type:infra", onlyDependOnLibsWithTags: ["type:domain", "type:contract"] },
  { sourceTag: "type:feature", onlyDependOnLibsWithTags: ["type:domain", "type:contract", "type:infra", "type:data"] },
  {
    // The gateway's HTTP application, a library so that both apps/gateway and the one-process hub can serve it.
    sourceTag: "type:api",
    onlyDependOnLibsWithTags: ["type:domain", "type:contract", "type:infra", "type:feature", "type:data", "type:runtime"]
  },
  {
    sourceTag: "type:app",
    onlyDependOnLibsWithTags: ["type:domain", "type:contract", "type:plugin", "type:catalog", "type:data", "type:infra", "type:feature", "type:api", "type:simulator", "type:runtime"]
  },
  { sourceTag: "type:simulator", onlyDependOnLibsWithTags: ["type:simulator", "type:data", "type:domain", "type:runtime"] },
  { sourceTag: "type:testing", onlyDependOnLibsWithTags: [] },
  { sourceTag: "type:runtime", onlyDependOnLibsWithTags: [] },
  { sourceTag: "type:tool", onlyDependOnLibsWithTags: ["*"] }
];

const boundaries = (extraDomainImports, forTests = false) => ({
  "@nx/enforce-module-boundaries": [
    "error",
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: depConstraints(extraDomainImports, forTests).map((c) =>
        forTests && c.sourceTag !== "type:domain" && !c.onlyDependOnLibsWithTags.includes("*")
          ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, "type:testing"] }
          : c
      )
    }
  ]
});

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/out-tsc/**", "**/dist/**", "**/.nx/**", "**/.hub-data/**", "**/test-output/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.mjs", "**/*.js"],
    plugins: { "@nx": nx },
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      ...boundaries([]),
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": ["error", { allow: ["error", "warn"] }]
    }
  },
  {
    // The kernel is pure: Node's built-ins are not npm packages, so the Nx rule above does not see them.
    files: ["libs/domain/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["node:*"], message: "libs/domain is pure: no Node built-ins (ARCHITECTURE.md)." }],
          paths: ["fs", "path", "http", "https", "net", "os", "child_process", "crypto", "stream", "url", "worker_threads"].map(
            (name) => ({ name, message: "libs/domain is pure: no Node built-ins (ARCHITECTURE.md)." })
          )
        }
      ]
    }
  },
  {
    // Tests (and test-runner configs) may use the test runner, the property-testing library and the test helpers.
    files: ["**/*.test.ts", "**/vitest*.config.ts", "**/test-support/**/*.ts"],
    rules: boundaries(testTooling, true)
  },
  {
    // Command-line entry points print to standard output on purpose.
    files: ["apps/cli/**/*.ts", "tools/**/*.ts", "tools/**/*.mjs", "scripts/**/*.mjs"],
    rules: { "no-console": "off" }
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } }
  }
);
