/**
 * The councils the simulator plays: each with its real spend file (data/spend, OGL), the budget book and
 * pooled fund generated from it, and the credentials that may read it.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Money } from "@hub/domain"
import * as GeneratedDatasets from "./GeneratedDatasets.ts"
import * as SourceDataset from "./SourceDataset.ts"

/**
 * The datasets of the protocol.
 *
 * @category models
 * @since 0.1.0
 */
export type DatasetName = "spend" | "budget" | "pooled-funds"

/**
 * A council as the simulator serves it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Council {
  readonly id: string
  readonly name: string
  readonly datasets: Readonly<Record<DatasetName, SourceDataset.SourceDataset>>
  readonly fund: GeneratedDatasets.FundSpec
  /** What the generated datasets are made from (kept to regenerate the statement after contributions). */
  readonly spendFacts: ReadonlyArray<GeneratedDatasets.SpendFacts>
}

/**
 * The council's pooled-fund statement with the NHS partner's pushed contributions (month -> pence) in place.
 *
 * @category constructors
 * @since 0.1.0
 */
export const pooledFundDataset = (
  council: Council,
  nhsContributions: ReadonlyMap<number, Money.Pence>
): SourceDataset.SourceDataset =>
  SourceDataset.fromText(
    council.datasets["pooled-funds"].source,
    council.spendFacts.length === 0
      ? (GeneratedDatasets.pooledFundStatement(council.fund, []).split("\r\n")[0] ?? "")
      : GeneratedDatasets.pooledFundStatement(council.fund, council.spendFacts, nhsContributions),
    "Fund Reference"
  )

interface CouncilSpec {
  readonly id: string
  readonly name: string
  readonly file: string
  readonly source: string
  readonly financialYear: string
  readonly headings: { readonly key: string; readonly service: string; readonly expense: string; readonly amount: string }
  readonly fund: Omit<GeneratedDatasets.FundSpec, "host" | "financialYear">
}

const specs: ReadonlyArray<CouncilSpec> = [
  {
    id: "manchester",
    name: "Manchester City Council",
    file: "manchester-2019-01.csv",
    source: "spend-2019-01",
    financialYear: "2018/19",
    headings: { key: "Transaction Number", service: "Service Area", expense: "Expenses Type", amount: "Net Amount" },
    fund: { id: "MAN-BCF", name: "Manchester Better Care Fund", councilPartner: "E08000003", nhsPartner: "14L" }
  },
  {
    id: "gla",
    name: "Greater London Authority",
    file: "gla-2013-p01.csv",
    source: "spend-2013-p01",
    financialYear: "2013/14",
    headings: { key: "Document No", service: "Expenditure Account Code Description", expense: "Cost Element", amount: "Amount" },
    fund: { id: "GLA-HLP", name: "Healthy London Pooled Fund", councilPartner: "E61000001", nhsPartner: "07R" }
  },
  {
    id: "harrogate",
    name: "Harrogate Borough Council",
    file: "harrogate-2019-01.csv",
    source: "spend-2019-01",
    financialYear: "2018/19",
    headings: { key: "Transaction No.", service: "Service Label", expense: "Expenditure Code", amount: "Net Amount" },
    fund: { id: "HAR-BCF", name: "Harrogate Better Care Fund", councilPartner: "E07000165", nhsPartner: "03E" }
  }
]

const dataDir = fileURLToPath(new URL("../data/spend/", import.meta.url))

const load = (spec: CouncilSpec): Council => {
  const spend = SourceDataset.fromText(spec.source, readFileSync(`${dataDir}${spec.file}`, "utf8"), spec.headings.key)
  const headings = SourceDataset.headings(spend)
  const column = (heading: string): number => {
    const i = headings.indexOf(heading)
    if (i < 0) throw new Error(`${spec.file}: no column ${JSON.stringify(heading)}`)
    return i
  }
  const service = column(spec.headings.service)
  const expense = column(spec.headings.expense)
  const amount = column(spec.headings.amount)
  const facts: Array<GeneratedDatasets.SpendFacts> = []
  for (const fields of SourceDataset.rows(spend)) {
    const pence: Money.Pence | undefined = GeneratedDatasets.readAmount(fields[amount] ?? "")
    if (pence !== undefined) facts.push({ service: fields[service] ?? "", expenseType: fields[expense] ?? "", amount: pence })
  }
  const fund: GeneratedDatasets.FundSpec = { ...spec.fund, host: spec.name, financialYear: spec.financialYear }
  const fy = spec.financialYear.replace("/", "-")
  return {
    id: spec.id,
    name: spec.name,
    fund,
    spendFacts: facts,
    datasets: {
      spend,
      budget: SourceDataset.fromText(`budget-${fy}`, GeneratedDatasets.budgetBook(spec.financialYear, facts), "Cost Centre"),
      "pooled-funds": SourceDataset.fromText(`pooled-funds-${fy}`, GeneratedDatasets.pooledFundStatement(fund, facts), "Fund Reference")
    }
  }
}

/**
 * A council served from a spend file of the operator's choosing (`--council-file id=path`): its spend dataset is
 * the file as it is; its budget book and pooled-fund statement are empty (header only). For trying a new
 * council profile against its real file.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromSpendFile = (id: string, path: string): Council => fromSpendText(id, sourceOf(path), readFileSync(path, "utf8"))

/** The extract name of a spend file: `spend-<file name without extension>`. */
const sourceOf = (path: string): string => `spend-${path.replace(/^.*[\\/]/u, "").replace(/\.[^.]*$/u, "")}`

const fromSpendText = (id: string, source: string, text: string): Council => {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/u.test(id)) throw new Error(`council id must be lower-case words joined by hyphens, got "${id}"`)
  const fund: GeneratedDatasets.FundSpec = {
    id: `${id.toUpperCase()}-FUND`,
    name: `${id} pooled fund`,
    host: id,
    financialYear: "2018/19",
    councilPartner: id.toUpperCase(),
    nhsPartner: "X24"
  }
  return {
    id,
    name: id,
    fund,
    spendFacts: [],
    datasets: {
      spend: SourceDataset.fromText(source, text),
      budget: SourceDataset.fromText("budget-empty", GeneratedDatasets.budgetBook(fund.financialYear, [])),
      "pooled-funds": SourceDataset.fromText("pooled-funds-empty", GeneratedDatasets.pooledFundStatement(fund, []).split("\r\n")[0] ?? "")
    }
  }
}

/**
 * A spend file served byte for byte (`--council-raw-file id=path`): the exact bytes, however broken (bytes that
 * are not UTF-8, a quote never closed, more rows than a page may hold), and the row count the system announces
 * for it: its non-blank lines after the header (a system that cannot parse its own file counts lines).
 *
 * @category models
 * @since 0.1.0
 */
export interface RawSpend {
  readonly source: string
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly rowCount: number
}

/**
 * A council whose spend is a file served byte for byte (see {@link RawSpend}); its datasets as the council
 * describes them hold the file's header only (decoded leniently), since the file itself may not parse.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromRawSpendFile = (id: string, path: string): { readonly council: Council; readonly raw: RawSpend } => {
  const bytes = new Uint8Array(readFileSync(path))
  const text = Buffer.from(bytes).toString("latin1")
  const lines = text.split("\n")
  const header = (lines[0] ?? "").replace(/\r$/u, "").replace(/^\u00EF\u00BB\u00BF/u, "")
  if (header.trim() === "") throw new Error(`${path}: the file has no header line`)
  const source = sourceOf(path)
  const rowCount = lines.slice(1).filter((line) => line.trim() !== "").length
  return { council: fromSpendText(id, source, header), raw: { source, bytes, rowCount } }
}

/**
 * Loads every council (reads the spend files; call once at start-up).
 *
 * @category constructors
 * @since 0.1.0
 */
export const loadAll = (): ReadonlyMap<string, Council> => new Map(specs.map((spec) => [spec.id, load(spec)]))
