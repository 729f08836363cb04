import { fileURLToPath } from "node:url"
import { ContractKit, SimulatorControl, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { plugin } from "./LondonCbsPlugin.ts"

// The simulator runs as its own process (plugins may not import simulators), on a free loopback port.
const entry = fileURLToPath(new URL("../../../tools/simulators/london-cbs/src/main.ts", import.meta.url))

const keys = { valid: "cbs-dev-key", invalid: "not-a-key" } as const

const simulator = {
  start: () => SimulatorProcess.spawnSimulator({ entry }),
  ...SimulatorControl.simulatorKitControl()
}

const push = {
  kind: "commissioning-intentions",
  payload: {
    reference: "SE-ORTHO-01",
    version: 1,
    commissionerCode: "5LE",
    providerCode: "RJ1",
    financialYear: "2012/13",
    service: "Elective orthopaedics",
    intention: "reduce",
    summary: "Shift elective orthopaedics to the treatment centre",
    indicativeValue: "10725000.00",
    agreedOn: "2011-12-14"
  },
  // 08Q (Southwark CCG) did not commission in 2012/13, when PCTs still did: the CBS refuses it (422).
  rejectedPayload: {
    reference: "SE-ORTHO-01",
    version: 1,
    commissionerCode: "08Q",
    financialYear: "2012/13",
    service: "Elective orthopaedics",
    intention: "reduce",
    summary: "Shift elective orthopaedics to the treatment centre",
    agreedOn: "2011-12-14"
  }
}

// The kit checks one stream per call; each call starts its own simulator.
ContractKit.runContractTests({
  plugin,
  simulator,
  // Read access covers every stream on the CBS, so there are no "forbidden" credentials for a pull.
  config: (baseUrl, credentials) =>
    credentials === "forbidden" ? undefined : { baseUrl, apiKey: keys[credentials], pageSize: 1000, financialYear: "2013/14" },
  stream: "activity",
  push
})

// About 800 contracts over three years: 250 a page makes four pages. The year setting does not filter
// contracts, so it is left in to show it does not get in the way.
ContractKit.runContractTests({
  plugin,
  simulator,
  config: (baseUrl, credentials) =>
    credentials === "forbidden" ? undefined : { baseUrl, apiKey: keys[credentials], pageSize: 250, financialYear: "2013/14" },
  stream: "contracts",
  push
})
