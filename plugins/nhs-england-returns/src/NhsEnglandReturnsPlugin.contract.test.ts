import { fileURLToPath } from "node:url"
import { ContractKit, SimulatorControl, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { plugin } from "./NhsEnglandReturnsPlugin.ts"

// The simulator runs as its own process (plugins may not import simulators), on a free loopback port.
const entry = fileURLToPath(new URL("../../../tools/simulators/nhs-england-returns/src/main.ts", import.meta.url))

const tokens = { valid: "nhse-dev-token", invalid: "not-a-token" } as const

ContractKit.runContractTests({
  plugin,
  simulator: {
    start: () => SimulatorProcess.spawnSimulator({ entry }),
    ...SimulatorControl.simulatorKitControl()
  },
  // Every token that can read may read every stream, so there are no "forbidden" credentials for a pull.
  config: (baseUrl, credentials) => (credentials === "forbidden" ? undefined : { baseUrl, token: tokens[credentials], pageSize: 100 }),
  stream: "allocations",
  push: {
    kind: "co-commissioning-declaration",
    payload: { ccgCode: "08Q", financialYear: "2015/16", level: "joint", declaredOn: "2015-01-28", version: 1 },
    // "full" is not a co-commissioning level: refused before anything is sent.
    rejectedPayload: { ccgCode: "08Q", financialYear: "2015/16", level: "full", declaredOn: "2015-01-28", version: 1 }
  }
})
