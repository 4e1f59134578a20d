/**
 * Bounds what DuckDB's CSV reader holds: it sizes each read buffer at 16 × `max_line_size` (32 MiB by default) and
 * keeps more than one alive, so reading a CSV file larger than a buffer costs ~60 MB more than a small one
 * (bench/SQL-MEMORY.md). `read_csv`/`read_csv_auto` calls that set neither `buffer_size` nor `max_line_size` get
 * `buffer_size` = the default `max_line_size` (2 MiB), the smallest DuckDB accepts: every line DuckDB reads by
 * default is still read. A call that sets either is left as written (the user chose).
 */
import { findCalls } from "./sql-text";

export const CSV_BUFFER_BYTES = 2 * 1024 * 1024;

const CSV_READERS: ReadonlySet<string> = new Set(["read_csv", "read_csv_auto"]);
const SIZE_OPTION = /^\s*(buffer_size|max_line_size)\s*(=|:=|=>)/i;

export function boundCsvBuffers(sql: string): string {
  let out = "";
  let at = 0;
  for (const call of findCalls(sql, CSV_READERS)) {
    if (call.args.length === 0 || call.args.some((a) => SIZE_OPTION.test(a))) continue;
    const close = call.end - 1;
    out += `${sql.slice(at, close)}, buffer_size = ${CSV_BUFFER_BYTES}`;
    at = close;
  }
  return out + sql.slice(at);
}
