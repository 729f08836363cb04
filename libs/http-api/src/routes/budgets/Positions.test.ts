import { Money } from "@hub/domain"
import { BudgetRepo, Store } from "@hub/store"
import { Effect, Layer } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { bearer, makeTestApp, tokens } from "../../test-support/TestApp.ts"

// Positions as the hub's recompute stores them (libs/hub Positions.ts), written through the store's own writer.
const position = (bodyCode: string, basis: BudgetRepo.PositionBasis, month: number): BudgetRepo.StoredPosition => ({
  bodyCode,
  financialYear: "2018/19",
  basis,
  month,
  annualPlan: Money.pence(1_200_000),
  planToDate: Money.pence(100_000 * month),
  actualToDate: Money.pence(90_000 * month),
  variance: Money.pence(10_000 * month),
  forecastOutturn: Money.pence(1_080_000),
  forecastMethod: "run-rate",
  forecastVariance: Money.pence(120_000),
  overspend: false,
  adminPlanned: Money.zero,
  adminActualToDate: Money.zero,
  adminForecastOutturn: Money.zero,
  adminBreach: false,
  flags: [],
  sourceRows: 3
})

const seed = Layer.effectDiscard(
  Effect.flatMap(BudgetRepo.BudgetRepo, (repo) =>
    repo.replacePositions([
      { key: { bodyCode: "manchester", financialYear: "2018/19", basis: "council-budget" }, positions: [position("manchester", "council-budget", 10), position("manchester", "council-budget", 11)] },
      { key: { bodyCode: "MAN-BCF", financialYear: "2018/19", basis: "pooled-fund" }, positions: [position("MAN-BCF", "pooled-fund", 1)] }
    ]))
)

const { app } = makeTestApp({ store: Layer.provideMerge(seed, Store.layerTest) })

const get = async (path: string) => {
  const res = await app.request(path, { headers: bearer(tokens.read) })
  return { status: res.status, body: (await res.json()) as { items: Array<Record<string, unknown>> } & Record<string, unknown> }
}

describe("GET /v1/budgets/positions", () => {
  // The first request opens and seeds the embedded store, which takes a while on a busy machine.
  beforeAll(() => get("/v1/budgets/positions").then(() => undefined), 180_000)

  it("lists the stored positions by body, year and basis, in pence", async () => {
    const { status, body } = await get("/v1/budgets/positions?body=manchester&year=2018%2F19")
    expect(status).toBe(200)
    expect(body.items.map((p) => [p["body"], p["basis"], p["month"], p["variancePence"]])).toEqual([
      ["manchester", "council-budget", 10, 100_000],
      ["manchester", "council-budget", 11, 110_000]
    ])
    expect((await get("/v1/budgets/positions?basis=pooled-fund")).body.items.map((p) => p["body"])).toEqual(["MAN-BCF"])
    expect((await get("/v1/budgets/positions")).body.items).toHaveLength(3)
  })

  it("refuses a basis it does not know, naming the parameter", async () => {
    const { status, body } = await get("/v1/budgets/positions?basis=guesswork")
    expect(status).toBe(400)
    expect(JSON.stringify(body)).toMatch(/basis/u)
  })
})
