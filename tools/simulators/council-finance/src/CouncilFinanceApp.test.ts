import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeEach, describe, expect, it } from "vitest"
import * as CouncilFinanceApp from "./CouncilFinanceApp.ts"
import * as Councils from "./Councils.ts"
import { splitFields, splitRecords } from "./CsvText.ts"

const councils = Councils.loadAll()
const auth = { authorization: "Bearer council-finance-demo" }
let sim = CouncilFinanceApp.make({ councils })
beforeEach(() => {
  sim = CouncilFinanceApp.make({ councils })
})

const get = (path: string, headers: Record<string, string> = auth) => sim.app.request(path, { headers })

const pageAll = async (council: string, dataset: string, limit: number) => {
  const bodies: Array<{ body: string; firstLine: number; rows: number }> = []
  let cursor = "0"
  for (;;) {
    const res = await get(`/v1/councils/${council}/datasets/${dataset}?cursor=${cursor}&limit=${limit}`)
    expect(res.status).toBe(200)
    bodies.push({ body: await res.text(), firstLine: Number(res.headers.get("x-first-line")), rows: Number(res.headers.get("x-row-count")) })
    if (res.headers.get("x-done") === "true") return bodies
    cursor = res.headers.get("x-next-cursor") as string
  }
}

const contribution = { financialYear: "2018/19", month: 10, partnerCode: "14L", amount: "125000.00", version: 1 }
const post = (body: unknown, key?: string, path = "/v1/councils/manchester/pooled-funds/MAN-BCF/contributions") =>
  sim.app.request(path, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
    body: JSON.stringify(body)
  })
const count = async () => ((await (await sim.app.request("/_sim/submissions?kind=pooled-contributions")).json()) as { count: number }).count

describe("council finance simulator: datasets", () => {
  it("pages of the Manchester spend file put together are the file, record for record, line for line", async () => {
    const file = readFileSync(new URL("../data/spend/manchester-2019-01.csv", import.meta.url), "utf8")
    const expected = splitRecords(file).slice(1)
    const pages = await pageAll("manchester", "spend", 1000)
    expect(pages).toHaveLength(4)
    const served = pages.flatMap((p) =>
      splitRecords(p.body).slice(1).map((r) => ({ raw: r.raw, line: p.firstLine + r.line - 2 }))
    )
    expect(served).toEqual(expected.map((r) => ({ raw: r.raw, line: r.line })))
    expect(pages.reduce((n, p) => n + p.rows, 0)).toBe(3719)
  })

  it("every page starts with the file's own header line", async () => {
    const pages = await pageAll("gla", "spend", 500)
    for (const p of pages) expect(p.body.startsWith("Vendor ID,Vendor Name,Cost Element")).toBe(true)
  })

  it("a cursor past the end is an empty, finished page; a bad cursor or limit is 400", async () => {
    const res = await get("/v1/councils/harrogate/datasets/spend?cursor=999999")
    expect(res.headers.get("x-done")).toBe("true")
    expect(res.headers.get("x-row-count")).toBe("0")
    expect((await get("/v1/councils/harrogate/datasets/spend?cursor=abc")).status).toBe(400)
    expect((await get("/v1/councils/harrogate/datasets/spend?limit=0")).status).toBe(400)
    expect((await get("/v1/councils/harrogate/datasets/spend?limit=5001")).status).toBe(400)
  })

  it("401 without or with unknown credentials, 403 for a council the token is not granted, 404 for an unknown council", async () => {
    expect((await get("/v1/councils/manchester", {})).status).toBe(401)
    expect((await get("/v1/councils/manchester", { authorization: "Bearer nope" })).status).toBe(401)
    expect((await get("/v1/councils/manchester", { authorization: "Bearer council-finance-gla-only" })).status).toBe(403)
    expect((await get("/v1/councils/gla", { authorization: "Bearer council-finance-gla-only" })).status).toBe(200)
    expect((await get("/v1/councils/atlantis")).status).toBe(404)
    expect((await get("/v1/councils/gla/datasets/ledger")).status).toBe(404)
  })

  it("the budget book and pooled-fund statement are generated the same way every time", async () => {
    const again = CouncilFinanceApp.make({ councils: Councils.loadAll() })
    for (const dataset of ["budget", "pooled-funds"]) {
      const a = await (await get(`/v1/councils/manchester/datasets/${dataset}?limit=5000`)).text()
      const b = await (await again.app.request(`/v1/councils/manchester/datasets/${dataset}?limit=5000`, { headers: auth })).text()
      expect(a).toBe(b)
    }
    const fund = await (await get("/v1/councils/manchester/datasets/pooled-funds?limit=5000")).text()
    expect(splitRecords(fund).length - 1).toBe(24)
  })

  it("a malformed-rows fault corrupts one record of the page and keeps the record count", async () => {
    const clean = await (await get("/v1/councils/manchester/datasets/spend?limit=10")).text()
    const res = await sim.app.request("/v1/councils/manchester/datasets/spend?limit=10", {
      headers: { ...auth, "x-sim-fault": "malformed-rows" }
    })
    const faulty = await res.text()
    const a = splitRecords(clean).map((r) => r.raw)
    const b = splitRecords(faulty).map((r) => r.raw)
    expect(b).toHaveLength(a.length)
    const changed = b.filter((r, i) => r !== a[i])
    expect(changed).toHaveLength(1)
    expect(splitFields(changed[0] as string)).toContain("=1+1")
    expect(splitFields(changed[0] as string)).toContain("31/02/2019")
  })

  it("?rows=N resamples the real rows to N records with unique transaction numbers", async () => {
    const res = await get("/v1/councils/harrogate/datasets/spend?rows=5000&cursor=1980&limit=20")
    expect(res.headers.get("x-total-rows")).toBe("5000")
    const records = splitRecords(await res.text()).slice(1).map((r) => splitFields(r.raw))
    expect(records).toHaveLength(20)
    expect(records.some((f) => /-1$/u.test(f[8] ?? ""))).toBe(true)
    const last = await get("/v1/councils/harrogate/datasets/spend?rows=5000&cursor=4990&limit=20")
    expect(last.headers.get("x-row-count")).toBe("10")
    expect(last.headers.get("x-done")).toBe("true")
  })
})

describe("council finance simulator: contributions", () => {
  it("the same Idempotency-Key twice is one submission with one id", async () => {
    const first = await post(contribution, "k-1")
    expect(first.status).toBe(201)
    const second = await post(contribution, "k-1")
    expect(second.status).toBe(201)
    expect(second.headers.get("idempotent-replayed")).toBe("true")
    const a = (await first.json()) as { submissionId: string }
    const b = (await second.json()) as { submissionId: string }
    expect(b.submissionId).toBe(a.submissionId)
    expect(await count()).toBe(1)
    expect((await post(contribution, "k-2")).status).toBe(201)
    expect(await count()).toBe(2)
  })

  it("reusing a key for a different body is 422 and records nothing", async () => {
    await post(contribution, "k-1")
    expect((await post({ ...contribution, amount: "1.00" }, "k-1")).status).toBe(422)
    expect(await count()).toBe(1)
  })

  it("refuses what the fund cannot take: missing key 400, unknown fund 404, wrong partner or year 422", async () => {
    expect((await post(contribution)).status).toBe(400)
    expect((await post(contribution, "k", "/v1/councils/manchester/pooled-funds/NOPE/contributions")).status).toBe(404)
    const partner = await post({ ...contribution, partnerCode: "03E" }, "k-p")
    expect(partner.status).toBe(422)
    expect(((await partner.json()) as { detail: string }).detail).toContain("not the NHS partner")
    expect((await post({ ...contribution, financialYear: "2019/20" }, "k-y")).status).toBe(422)
    const fields = await post({ ...contribution, amount: "12.345", month: 13 }, "k-f")
    expect(fields.status).toBe(422)
    expect(((await fields.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(["amount", "month"])
    expect(await count()).toBe(0)
  })
})

describe("council finance simulator: statements reflect contributions", () => {
  it("the NHS partner's actual contribution for a month is its latest pushed version", async () => {
    const month10 = async () => {
      const text = await (await get("/v1/councils/manchester/datasets/pooled-funds?limit=5000")).text()
      return splitRecords(text).slice(1).map((r) => splitFields(r.raw)).find((f) => f[4] === "10" && f[6] === "NHS")?.[8]
    }
    const before = await month10()
    await post({ ...contribution, amount: "4321.00", version: 2 }, "v2")
    expect(await month10()).toBe("4321.00")
    await post({ ...contribution, amount: "1.00", version: 1 }, "v1-late")
    expect(await month10()).toBe("4321.00")
    await sim.app.request("/_sim/reset", { method: "POST" })
    expect(await month10()).toBe(before)
  })
})

describe("council finance simulator: a spend file served byte for byte (--council-raw-file)", () => {
  it("serves the exact bytes (invalid UTF-8, BOM, an unclosed quote) in one page at cursor 0, and the header alone at the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "council-raw-"))
    try {
      const path = join(dir, "broken.csv")
      const bytes = Buffer.concat([
        Buffer.from("\uFEFFTransaction Number,Net Amount,Supplier Name\r\n", "utf8"),
        Buffer.from("T1,10.00,Acme\r\n", "utf8"),
        Buffer.from("T2,20.00,Caf", "utf8"),
        Buffer.from([0xe9, 0xff]),
        Buffer.from("\r\n\r\nT3,30.00,\"Never closed\n", "utf8")
      ])
      writeFileSync(path, bytes)
      const { council, raw } = Councils.fromRawSpendFile("broken", path)
      expect(raw.rowCount).toBe(3)
      expect(council.datasets.spend.source).toBe("spend-broken")
      const rawSim = CouncilFinanceApp.make({
        councils: new Map([[council.id, council]]),
        tokens: { t: ["broken"] },
        rawSpend: new Map([[council.id, raw]])
      })
      const fetchRaw = (cursor: number, limit = 1) =>
        rawSim.app.request(`/v1/councils/broken/datasets/spend?cursor=${cursor}&limit=${limit}`, { headers: { authorization: "Bearer t" } })
      const first = await fetchRaw(0)
      expect(first.status).toBe(200)
      expect(Buffer.from(await first.arrayBuffer()).equals(bytes)).toBe(true)
      expect(Object.fromEntries(["x-row-count", "x-next-cursor", "x-done", "x-first-line", "x-source"].map((h) => [h, first.headers.get(h)]))).toEqual({
        "x-row-count": "3",
        "x-next-cursor": "3",
        "x-done": "true",
        "x-first-line": "2",
        "x-source": "spend-broken"
      })
      const end = await fetchRaw(3)
      expect(end.headers.get("x-row-count")).toBe("0")
      expect(Buffer.from(await end.arrayBuffer()).toString("utf8")).toBe("\uFEFFTransaction Number,Net Amount,Supplier Name\r\n")
      expect((await fetchRaw(1)).status).toBe(400)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
