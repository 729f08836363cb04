/**
 * The three bundled simulators started in this process on loopback (the default profile of the one-command
 * start, and the integration tests), with the plugin settings that point the hub at them.
 *
 * @since 0.1.0
 */
import { CouncilFinanceApp, Councils } from "@hub/simulator-council-finance"
import { Server } from "@hub/simulator-kit"
import { makeLondonCbsApp } from "@hub/simulator-london-cbs"
import { makeNhsEnglandReturnsApp } from "@hub/simulator-nhs-england-returns"
import { Effect, Redacted, type Scope } from "effect"
import * as PluginCatalog from "./PluginCatalog.ts"

/**
 * Options: fixed ports (0 or absent = any free port), the council served and where its spend file comes from,
 * a volume mode for the council spend, and when NHS England processes submissions.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly ports?: { readonly councilFinance?: number; readonly londonCbs?: number; readonly nhsEnglandReturns?: number }
  /** The council the hub pulls (default `manchester`). */
  readonly council?: string
  /** Serve this CSV file as the council's spend instead of the bundled one. */
  readonly councilSpendFile?: string
  /** Serve every spend dataset resampled to this many rows (volume mode). */
  readonly spendRows?: number
  /** NHS England processes each submission this long after receipt; absent: only on `POST /_sim/process`. */
  readonly processAfterMs?: number
  /** Page sizes the hub is configured with. */
  readonly pageSizes?: { readonly councilFinance?: number; readonly londonCbs?: number; readonly nhsEnglandReturns?: number }
  /** Financial year the CBS and NHS England plugins are limited to (default: every year). */
  readonly financialYear?: string
}

/**
 * The running simulators.
 *
 * @category models
 * @since 0.1.0
 */
export interface Running {
  readonly councilFinance: string
  readonly londonCbs: string
  readonly nhsEnglandReturns: string
  /** Each shipped plugin with the settings that reach its simulator (the simulators' demo credentials). */
  readonly plugins: ReadonlyArray<{ readonly entry: PluginCatalog.CatalogEntry; readonly settings: PluginCatalog.RawSettings }>
}

const pluginOf = (id: string): PluginCatalog.CatalogEntry => {
  const entry = PluginCatalog.byId(id)
  if (entry === undefined) throw new Error(`Simulators: the plugin catalog has no ${id}`)
  return entry
}

/**
 * Starts the three simulators for the life of the scope.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (options: Options = {}): Effect.Effect<Running, Server.ServerStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const council = options.council ?? "manchester"
    const councils = new Map(Councils.loadAll())
    if (options.councilSpendFile !== undefined) councils.set(council, Councils.fromSpendFile(council, options.councilSpendFile))
    const tokens = { ...CouncilFinanceApp.defaultTokens, "council-finance-demo": [...councils.keys()] }
    const councilFinance = yield* Server.startServer(
      CouncilFinanceApp.make({ councils, tokens, ...(options.spendRows === undefined ? {} : { spendRows: options.spendRows }) }).app,
      { port: options.ports?.councilFinance ?? 0 }
    )
    const londonCbs = yield* Server.startServer(makeLondonCbsApp({ seed: 1 }), { port: options.ports?.londonCbs ?? 0 })
    const nhsEngland = yield* Server.startServer(
      makeNhsEnglandReturnsApp(options.processAfterMs === undefined ? {} : { processAfterMs: options.processAfterMs }),
      { port: options.ports?.nhsEnglandReturns ?? 0 }
    )
    const year = options.financialYear === undefined ? {} : { financialYear: options.financialYear }
    return {
      councilFinance: councilFinance.url,
      londonCbs: londonCbs.url,
      nhsEnglandReturns: nhsEngland.url,
      plugins: [
        {
          entry: pluginOf("council-finance"),
          settings: {
            baseUrl: councilFinance.url,
            apiToken: Redacted.make("council-finance-demo"),
            council,
            pageSize: options.pageSizes?.councilFinance ?? 1000
          }
        },
        {
          entry: pluginOf("london-cbs"),
          settings: { baseUrl: londonCbs.url, apiKey: Redacted.make("cbs-dev-key"), pageSize: options.pageSizes?.londonCbs ?? 1000, ...year }
        },
        {
          entry: pluginOf("nhs-england-returns"),
          settings: {
            baseUrl: nhsEngland.url,
            token: Redacted.make("nhse-dev-token"),
            pageSize: options.pageSizes?.nhsEnglandReturns ?? 1000,
            ...year
          }
        }
      ]
    }
  })
