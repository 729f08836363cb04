import { fileURLToPath } from "node:url"
import { type Page, Plugin, type SubmissionAcknowledgement } from "@hub/plugin-sdk"
import { ContractKit, SimulatorProcess } from "@hub/plugin-sdk/testing"
import { Effect, Result } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { plugin } from "./NhsEnglandReturnsPlugin.ts"

const entry = fileURLToPath(new URL("../../../tools/simulators/nhs-england-returns/src/main.ts", import.meta.url))

let simulator: SimulatorProcess.RunningSimulator
beforeAll(async () => {
  // Processing only on demand (a very long delay), so the test decides when acknowledgements appear.
  simulator = await SimulatorProcess.spawnSimulator({ entry, args: ["--process-after-ms", "3600000", "--today", "2016-09-30"] })
}, 30_000)
afterAll(async () => {
  await simulator?.stop()
})

const config = () => Effect.runSync(Plugin.decodeConfig(plugin, { baseUrl: simulator.url, token: "nhse-dev-token", pageSize: 2 }))
const run = <A>(operation: Parameters<typeof ContractKit.runOperation<A>>[0]) =>
  ContractKit.runOperation(operation, { allowedHosts: Plugin.allowedHosts(plugin.manifest, [simulator.url]) })
const ok = <A>(outcome: ContractKit.Outcome<A>): A => {
  if (Result.isFailure(outcome)) throw new Error(`${outcome.failure._tag}: ${outcome.failure.message}`)
  return outcome.success
}
const processNow = () => fetch(`${simulator.url}/_sim/process`, { method: "POST" })

/** The allocation total published for 08Q in 2015/16, pulled through the plugin. */
const published = async (): Promise<number> => {
  const c = Effect.runSync(Plugin.decodeConfig(plugin, { baseUrl: simulator.url, token: "nhse-dev-token", financialYear: "2015/16", pageSize: 1000 }))
  const page = ok(await run(plugin.pull(c, "allocations", null)))
  return (page.records as ReadonlyArray<{ organisationCode: string; amount: number }>)
    .filter((a) => a.organisationCode === "08Q")
    .reduce((sum, a) => sum + a.amount, 0)
}

const pounds = (pence: number): string => `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, "0")}`

describe("pushing returns and pulling their acknowledgements", () => {
  it("a financial return is pending on push, then acknowledged on the acknowledgements stream under the same natural key", async () => {
    const total = await published()
    const running = 750_000_00
    const financialReturn = {
      organisationCode: "08Q",
      financialYear: "2015/16",
      month: 6,
      version: 1,
      lines: [
        { code: "acute", plan: pounds(total - running), actualToDate: pounds(Math.floor((total - running) / 2)), forecastOutturn: pounds(total - running) },
        { code: "running-costs", plan: pounds(running), actualToDate: "370000.00", forecastOutturn: "750000.00" }
      ]
    }
    const receipt = ok(await run(plugin.push(config(), "financial-return", financialReturn, "fr-08Q-2015-M6-v1")))
    expect(receipt).toMatchObject({ kind: "financial-return", status: "pending", idempotencyKey: "fr-08Q-2015-M6-v1", duplicate: false })
    const again = ok(await run(plugin.push(config(), "financial-return", financialReturn, "fr-08Q-2015-M6-v1")))
    expect([again.submissionId, again.duplicate]).toEqual([receipt.submissionId, true])

    const bad = { ...financialReturn, organisationCode: "72Q", version: 1 }
    const badReceipt = ok(await run(plugin.push(config(), "financial-return", bad, "fr-72Q-2015-M6-v1")))
    await processNow()

    const acks: Array<SubmissionAcknowledgement.SubmissionAcknowledgement> = []
    let cursor: string | null = null
    for (let i = 0; i < 10; i++) {
      const page: Page.Page = ok(await run(plugin.pull(config(), "acknowledgements", cursor)))
      expect(page.rejections).toEqual([])
      acks.push(...(page.records as ReadonlyArray<SubmissionAcknowledgement.SubmissionAcknowledgement>))
      cursor = page.nextCursor
      if (page.done) break
    }
    const byId = new Map(acks.map((a) => [a.submissionId, a]))
    expect(byId.get(receipt.submissionId)).toMatchObject({ kind: "financial-return", status: "accepted", idempotencyKey: "fr-08Q-2015-M6-v1", reasons: [] })
    expect(byId.get(badReceipt.submissionId)?.status).toBe("rejected")
    expect(byId.get(badReceipt.submissionId)?.reasons.join("\n")).toMatch(/COMMISSIONER_NOT_OPERATIONAL commissionerCode: 72Q/)

    // Nothing new after the last cursor until more submissions are processed.
    const after = ok(await run(plugin.pull(config(), "acknowledgements", cursor)))
    expect([after.records.length, after.done]).toEqual([0, true])
  }, 30_000)

  it("a declaration two levels up is acknowledged as rejected with the rule's reason", async () => {
    const receipt = ok(await run(plugin.push(config(), "co-commissioning-declaration", { ccgCode: "08K", financialYear: "2015/16", level: "delegated", declaredOn: "2015-01-28", version: 1 }, "cc-08K-2015-v1")))
    await processNow()
    let cursor: string | null = null
    const acks: Array<SubmissionAcknowledgement.SubmissionAcknowledgement> = []
    for (let i = 0; i < 20; i++) {
      const page: Page.Page = ok(await run(plugin.pull(config(), "acknowledgements", cursor)))
      acks.push(...(page.records as ReadonlyArray<SubmissionAcknowledgement.SubmissionAcknowledgement>))
      cursor = page.nextCursor
      if (page.done) break
    }
    const ack = acks.find((a) => a.submissionId === receipt.submissionId)
    expect(ack?.status).toBe("rejected")
    expect(ack?.reasons[0]).toMatch(/^LEVEL_JUMP level: /)
  }, 30_000)

  it("a return with a line code NHS England does not know is Rejected before anything is sent", async () => {
    const outcome = await run(plugin.push(config(), "financial-return", {
      organisationCode: "08Q", financialYear: "2015/16", month: 7, version: 1,
      lines: [{ code: "catering", plan: "1.00", actualToDate: "1.00", forecastOutturn: "1.00" }]
    }, "fr-bad-code"))
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("Rejected")
    const submissions = (await (await fetch(`${simulator.url}/_sim/submissions?kind=financial-return`)).json()) as { count: number }
    expect(submissions.count).toBe(2)
  })
})
