import { createServer, type Server } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as HubProcess from "../test-support/HubProcess.ts"
import { render, type StatusDocument } from "./Status.ts"

const document: StatusDocument = {
  streams: [
    { plugin: "council-finance", stream: "spend", lastSyncAt: "2026-11-23T14:24:17.437Z", rowsStored: 3715, rowsQuarantined: 4 },
    { plugin: "london-cbs", stream: "activity", rowsStored: 0, rowsQuarantined: 0 }
  ],
  queues: [
    {
      queue: "hub.london-cbs.pull",
      counts: { waiting: 0, active: 0, delayed: 1, failed: 2, completed: 7 },
      failedJobs: [{ id: "first-sync.london-cbs.activity.1", reason: "Unauthorized: 401 from the CBS", attempts: 1 }]
    },
    { queue: "hub.council-finance.pull", failedJobs: [], error: "Redis is down" }
  ],
  outbox: [{ plugin: "nhs-england-returns", counts: { prepared: 1, sent: 2, acknowledged: 3, rejected: 0, failed: 0 } }]
}

describe("hub status", () => {
  it("shows per stream the last sync and rows, per queue the counts, each failed job's reason and the outbox", () => {
    const text = render(document)
    expect(text).toMatch(/council-finance\s+spend\s+2026-11-23T14:24:17.437Z\s+3715\s+4/u)
    expect(text).toMatch(/london-cbs\s+activity\s+never\s+0\s+0/u)
    expect(text).toMatch(/hub\.london-cbs\.pull\s+0\s+0\s+1\s+2\s+7/u)
    expect(text).toContain("hub.london-cbs.pull job first-sync.london-cbs.activity.1 (1 attempts): Unauthorized: 401 from the CBS")
    expect(text).toContain("hub.council-finance.pull  unavailable: Redis is down")
    expect(text).toMatch(/nhs-england-returns\s+1\s+2\s+3\s+0\s+0/u)
  })

  describe("against a hub", () => {
    let server: Server
    let url = ""
    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify(document))
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const address = server.address()
      url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/status`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it("reads the running hub's status and prints it as a table or JSON", async () => {
      const table = await HubProcess.run(["status", "--url", url])
      expect(table.code).toBe(0)
      expect(table.stdout).toContain("Streams")
      const json = await HubProcess.run(["status", "--url", url, "--format", "json"])
      expect(JSON.parse(json.stdout)).toEqual(document)
    })

    it("says how to start the hub when none answers", async () => {
      const run = await HubProcess.run(["status", "--url", "http://127.0.0.1:9/status"])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain("is the hub running (npm start)?")
    })
  })
})
