/**
 * Starts the council finance simulator: `node --import tsx src/main.ts --port 0 [--spend-rows N]
 * [--council-file id=path.csv] [--council-raw-file id=path.csv]` prints `listening on http://127.0.0.1:<port>` and serves until SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import { Main } from "@hub/simulator-kit"
import * as CouncilFinanceApp from "./CouncilFinanceApp.ts"
import * as Councils from "./Councils.ts"

Main.run({
  name: "simulator-council-finance",
  extraOptions: ["spend-rows", "council-file", "council-raw-file"],
  makeApp: (args) => {
    const rows = args.options["spend-rows"]
    if (rows !== undefined && !/^\d+$/u.test(rows)) throw new Error(`--spend-rows must be a whole number, got "${rows}"`)
    const councils = new Map(Councils.loadAll())
    const extra = args.options["council-file"]
    const tokens: Record<string, ReadonlyArray<string>> = { ...CouncilFinanceApp.defaultTokens }
    if (extra !== undefined) {
      const [id = "", path = ""] = extra.split(/=(.*)/su)
      const council = Councils.fromSpendFile(id, path)
      councils.set(council.id, council)
      tokens["council-finance-demo"] = [...(tokens["council-finance-demo"] ?? []), council.id]
    }
    const rawFile = args.options["council-raw-file"]
    const rawSpend = new Map<string, Councils.RawSpend>()
    if (rawFile !== undefined) {
      const [id = "", path = ""] = rawFile.split(/=(.*)/su)
      const { council, raw } = Councils.fromRawSpendFile(id, path)
      councils.set(council.id, council)
      rawSpend.set(council.id, raw)
      tokens["council-finance-demo"] = [...(tokens["council-finance-demo"] ?? []), council.id]
    }
    return CouncilFinanceApp.make({ councils, tokens, rawSpend, ...(rows === undefined ? {} : { spendRows: Number(rows) }) }).app
  }
})
