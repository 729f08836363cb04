/**
 * A dataset the simulator serves (a spend extract, a budget book, a pooled-fund statement): its header and
 * records as published, cut into pages by row cursor as docs/external-systems/council-finance.md describes,
 * and, for benchmarks, resampled deterministically to any number of records.
 *
 * @since 0.1.0
 */
import { formatRecord, type SourceRecord, splitFields, splitRecords } from "./CsvText.ts"

/**
 * A loaded dataset. `source` names the extract (`spend-2019-01`); `keyColumn` is the column made unique when
 * the dataset is resampled (the transaction number of a spend file).
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceDataset {
  readonly source: string
  readonly header: SourceRecord
  readonly records: ReadonlyArray<SourceRecord>
  readonly keyColumn: number
}

/**
 * A page ready to send.
 *
 * @category models
 * @since 0.1.0
 */
export interface DatasetPage {
  readonly body: string
  readonly cursor: number
  readonly nextCursor: number
  readonly done: boolean
  readonly rowCount: number
  readonly firstLine: number
  readonly totalRows: number
}

/**
 * Loads a dataset from CSV text (the first record is the header).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromText = (source: string, text: string, keyHeading?: string): SourceDataset => {
  const [header, ...records] = splitRecords(text)
  if (header === undefined) throw new Error(`${source}: the file has no header`)
  const headings = splitFields(header.raw.replace(/^\uFEFF/u, "")).map((h) => h.trim())
  const keyColumn = keyHeading === undefined ? 0 : headings.indexOf(keyHeading)
  if (keyColumn < 0) throw new Error(`${source}: no column ${JSON.stringify(keyHeading)} in ${headings.join(", ")}`)
  return { source, header, records, keyColumn }
}

/**
 * The headings of a dataset.
 *
 * @category accessors
 * @since 0.1.0
 */
export const headings = (dataset: SourceDataset): ReadonlyArray<string> =>
  splitFields(dataset.header.raw.replace(/^\uFEFF/u, "")).map((h) => h.trim())

/**
 * The fields of every record (for generating derived datasets).
 *
 * @category accessors
 * @since 0.1.0
 */
export const rows = (dataset: SourceDataset): ReadonlyArray<ReadonlyArray<string>> =>
  dataset.records.map((r) => splitFields(r.raw))

/**
 * Record `index` of a dataset resampled to `total` records: the real record `index mod n`, with its key column
 * suffixed `-k` on the k-th repetition and line breaks inside fields flattened, so every synthetic record is
 * one line and has a unique key.
 *
 * @category combinators
 * @since 0.1.0
 */
const resampled = (dataset: SourceDataset, index: number): string => {
  const n = dataset.records.length
  const template = templateOf(dataset, index % n)
  const repetition = Math.floor(index / n)
  return repetition === 0 ? template.record : `${template.before}${formatRecord([`${template.key}-${repetition}`])}${template.after}`
}

/** A real record split once around its key column, so resampling it again costs one string join. */
interface Template {
  readonly record: string
  readonly before: string
  readonly key: string
  readonly after: string
}

// Per dataset, filled lazily: a benchmark serving a million resampled rows splits each real record once.
const templates = new WeakMap<SourceDataset, Array<Template | undefined>>()

const templateOf = (dataset: SourceDataset, base: number): Template => {
  let cache = templates.get(dataset)
  if (cache === undefined) {
    cache = new Array<Template | undefined>(dataset.records.length)
    templates.set(dataset, cache)
  }
  const cached = cache[base]
  if (cached !== undefined) return cached
  const fields = splitFields((dataset.records[base] as SourceRecord).raw).map((f) => f.replace(/\r\n|\r|\n/gu, " "))
  const k = dataset.keyColumn
  const template: Template = {
    record: formatRecord(fields),
    before: k > 0 ? `${formatRecord(fields.slice(0, k))},` : "",
    key: fields[k] ?? "",
    after: k < fields.length - 1 ? `,${formatRecord(fields.slice(k + 1))}` : ""
  }
  cache[base] = template
  return template
}

/**
 * One page: the header line as published, then up to `limit` records from `cursor` (byte-for-byte; or
 * resampled when `volume` is given), each with its own line terminator.
 *
 * @category combinators
 * @since 0.1.0
 */
export const page = (
  dataset: SourceDataset,
  cursor: number,
  limit: number,
  options: {
    readonly volume?: number
    /** Rewrites the records of the page (fault injection); must keep one entry per record. */
    readonly rewrite?: (records: ReadonlyArray<SourceRecord>) => ReadonlyArray<SourceRecord>
  } = {}
): DatasetPage => {
  const total = options.volume ?? dataset.records.length
  const from = Math.min(cursor, total)
  const to = Math.min(from + limit, total)
  let selected: ReadonlyArray<SourceRecord>
  if (options.volume === undefined) {
    selected = dataset.records.slice(from, to)
  } else {
    const synthetic: Array<SourceRecord> = []
    for (let i = from; i < to; i++) synthetic.push({ raw: resampled(dataset, i), eol: "\r\n", line: i + 2 })
    selected = synthetic
  }
  if (options.rewrite !== undefined) selected = options.rewrite(selected)
  const headerEol = dataset.header.eol === "" ? "\n" : dataset.header.eol
  const parts: Array<string> = [dataset.header.raw, headerEol]
  selected.forEach((r, i) => {
    parts.push(r.raw)
    // Every record but the file's very last one keeps its own terminator; the last line of a page always ends.
    parts.push(r.eol === "" && i < selected.length - 1 ? headerEol : r.eol)
  })
  const firstLine = selected[0]?.line ?? (dataset.records[from]?.line ?? from + 2)
  return {
    body: parts.join(""),
    cursor: from,
    nextCursor: to,
    done: to >= total,
    rowCount: selected.length,
    firstLine,
    totalRows: total
  }
}
