/**
 * Starts the council finance simulator: `node --import tsx src/main.ts --port 0 [--spend-rows N]
 * [--council-file id=path.csv]` prints `listening on http://127.0.0.1:<port>` and serves until SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import { Main } from "@hub/simulator-kit"
import * as CouncilFinanceApp from "./CouncilFinanceApp.ts"
import * as Councils from "./Councils.ts"

Main.run({
  name: "simulator-council-finance",
  extraOptions: ["spend-rows", "council-file"],
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
    return CouncilFinanceApp.make({ councils, tokens, ...(rows === undefined ? {} : { spendRows: Number(rows) }) }).app
  }
})
