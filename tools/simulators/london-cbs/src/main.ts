/**
 * Starts the London CBS simulator: `node --import tsx tools/simulators/london-cbs/src/main.ts --port 0
 * [--seed 1] [--api-key KEY]`; prints `listening on http://127.0.0.1:PORT` and serves until SIGTERM.
 *
 * @since 0.1.0
 */
import { Main } from "@hub/simulator-kit"
import { defaultApiKeys, makeLondonCbsApp } from "./LondonCbsApp.ts"

Main.run({
  name: "london-cbs-simulator",
  extraOptions: ["api-key"],
  makeApp: ({ seed, options }) => {
    const apiKey = options["api-key"]
    return makeLondonCbsApp({ seed, apiKeys: apiKey === undefined ? defaultApiKeys : { ...defaultApiKeys, [apiKey]: ["read", "write"] } })
  }
})
