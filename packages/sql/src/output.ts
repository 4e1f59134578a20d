/**
 * Writes a result set as it streams out of DuckDB, chunk by chunk (a million rows never sit in memory):
 * `csv` (RFC 4180), `json` (one array of row objects) or `table` (for people: column widths are set by the
 * first chunk, longer values are cut with …).
 */
export type OutputFormat = "table" | "csv" | "json";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "csv", "json"];

type Cell = unknown;

export interface ResultWriter {
  rows(rows: Cell[][]): void;
  end(): void;
}

const MAX_TABLE_WIDTH = 60;

function text(value: Cell): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function createWriter(format: OutputFormat, columns: string[], out: NodeJS.WritableStream): ResultWriter {
  switch (format) {
    case "csv":
      return csvWriter(columns, out);
    case "json":
      return jsonWriter(columns, out);
    case "table":
      return tableWriter(columns, out);
  }
}

function csvField(value: Cell): string {
  const s = text(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvWriter(columns: string[], out: NodeJS.WritableStream): ResultWriter {
  out.write(`${columns.map(csvField).join(",")}\n`);
  return {
    rows: (rows) => {
      if (rows.length > 0) out.write(`${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`);
    },
    end: () => {},
  };
}

function jsonWriter(columns: string[], out: NodeJS.WritableStream): ResultWriter {
  let first = true;
  out.write("[");
  return {
    rows: (rows) => {
      let chunk = "";
      for (const row of rows) {
        const record = Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]));
        chunk += `${first ? "\n" : ",\n"}${JSON.stringify(record)}`;
        first = false;
      }
      if (chunk) out.write(chunk);
    },
    end: () => out.write(first ? "]\n" : "\n]\n"),
  };
}

function tableWriter(columns: string[], out: NodeJS.WritableStream): ResultWriter {
  let widths: number[] | null = null;
  let count = 0;
  const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const line = (cells: string[], w: number[]) => `│ ${cells.map((s, i) => cell(s, w[i]!)).join(" │ ")} │\n`;
  const rule = (w: number[], l: string, m: string, r: string) => {
    const bars = w.map((x) => "─".repeat(x + 2));
    return `${l}${bars.join(m)}${r}\n`;
  };
  const start = (rows: Cell[][]) => {
    widths = columns.map((c, i) =>
      Math.min(MAX_TABLE_WIDTH, Math.max(c.length, ...rows.map((r) => text(r[i]).replace(/\s+/g, " ").length))),
    );
    out.write(rule(widths, "┌", "┬", "┐") + line(columns, widths) + rule(widths, "├", "┼", "┤"));
  };
  return {
    rows: (rows) => {
      if (!widths) start(rows);
      out.write(
        rows
          .map((r) =>
            line(
              r.map((v) => text(v).replace(/\s+/g, " ")),
              widths!,
            ),
          )
          .join(""),
      );
      count += rows.length;
    },
    end: () => {
      if (!widths) start([]);
      out.write(`${rule(widths!, "└", "┴", "┘")}${count} row${count === 1 ? "" : "s"}\n`);
    },
  };
}
