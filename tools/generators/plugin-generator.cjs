// Nx loads a generator's factory with require(). Node 20 cannot strip TypeScript types and the workspace has no
// swc/ts-node, so this shim loads the TypeScript generator through tsx (installed at the root).
/* global require, module, __filename */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry point, on purpose
const { require: tsxRequire } = require("tsx/cjs/api")

module.exports = tsxRequire("./src/plugin/PluginGenerator.ts", __filename)
