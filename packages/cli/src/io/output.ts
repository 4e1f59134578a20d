/** How results are printed: tables and plain text for people, JSON for scripts (`--output json`). */
export type OutputMode = "text" | "json";

export interface Column<Row> {
  header: string;
  value: (row: Row) => unknown;
}

/** A plain-text table: a header row, columns padded to their widest cell, two spaces between. Pure. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), ...cells.map(line)].join("\n")}\n`;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  // One line per row: a cell never breaks the table.
  return String(value).replace(/\s*\n\s*/g, " ");
}

/** A timestamp in milliseconds as UTC ISO text without milliseconds; "" for none and "never" for -1. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || ms === null) return "";
  if (ms < 0) return "never";
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** JSON for scripts: one document, two-space indented, newline-terminated. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value ?? {}, null, 2)}\n`;
}
