import { fileURLToPath } from "node:url"
import { ContractKit, SimulatorControl, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { plugin } from "./CouncilFinancePlugin.ts"

// The simulator runs as its own process (plugins may not import simulators), on a free loopback port.
const entry = fileURLToPath(new URL("../../../tools/simulators/council-finance/src/main.ts", import.meta.url))

const tokens = { valid: "council-finance-demo", invalid: "not-a-token", forbidden: "council-finance-gla-only" } as const

ContractKit.runContractTests({
  plugin,
  simulator: {
    start: () => SimulatorProcess.spawnSimulator({ entry }),
    ...SimulatorControl.simulatorKitControl()
  },
  config: (baseUrl, credentials) => ({ baseUrl, apiToken: tokens[credentials], council: "manchester", pageSize: 1000 }),
  stream: "spend",
  push: {
    kind: "pooled-contributions",
    payload: { fundId: "MAN-BCF", financialYear: "2018/19", month: 10, partnerCode: "14L", amount: "125000.00", version: 1 },
    // 03E is Harrogate's CCG, not a partner of the Manchester fund: the system refuses it (422).
    rejectedPayload: { fundId: "MAN-BCF", financialYear: "2018/19", month: 10, partnerCode: "03E", amount: "125000.00", version: 1 }
  }
})
