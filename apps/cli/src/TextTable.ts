/**
 * Plain-text tables for the CLI's `--format table` output: columns padded to their widest cell, numbers
 * right-aligned, one header line and a rule under it.
 *
 * @since 0.1.0
 */

/**
 * A column: its heading and whether its cells are right-aligned (numbers).
 *
 * @category models
 * @since 0.1.0
 */
export interface Column {
  readonly heading: string
  readonly align?: "left" | "right"
}

/**
 * Renders rows under the columns' headings; trailing spaces are trimmed from every line.
 *
 * @category formatting
 * @since 0.1.0
 */
export const render = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? ""
        const width = widths[i] as number
        return c.align === "right" ? cell.padStart(width) : cell.padEnd(width)
      })
      .join("  ")
      .trimEnd()
  return [line(columns.map((c) => c.heading)), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

/**
 * A share as a percentage with one decimal (`0.25` is `25.0%`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`
