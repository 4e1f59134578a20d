import Papa from "papaparse";
import type { ScoringInput } from "./scoring-input";
import { badInput } from "./scoring-errors";

const csvError = (detail: string) =>
  badInput(
    "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame " +
      `produced using the \`pandas.DataFrame.to_csv()\` method. Error: '${detail}'`,
  );

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN: Record<string, boolean> = {
  True: true,
  TRUE: true,
  true: true,
  False: false,
  FALSE: false,
  false: false,
};

/**
 * One column's values the way pandas `read_csv` types them: all integers → numbers, all numeric →
 * numbers, all True/False → booleans, otherwise the strings as written. Empty cells are missing (null).
 */
export function inferColumn(cells: (string | null)[], keepAsString = false): unknown[] {
  const present = cells.filter((c): c is string => c !== null);
  if (keepAsString || present.length === 0) return cells;
  if (present.every((c) => FLOAT.test(c))) return cells.map((c) => (c === null ? null : Number(c)));
  if (present.every((c) => Object.hasOwn(BOOLEAN, c))) return cells.map((c) => (c === null ? null : BOOLEAN[c]!));
  return cells;
}

/** pandas names a blank header `Unnamed: i` and a repeated one `name.1`, `name.2`, … */
function columnNames(header: string[]): string[] {
  const counts = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw.trim() === "" ? `Unnamed: ${i}` : raw;
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}.${n}`;
  });
}

/**
 * Parses a `text/csv` scoring body like MLflow's scoring server (`pandas.read_csv`): the first row is
 * the header, blank lines are skipped, short rows are padded with missing values, long rows are an error.
 * Columns named in `stringColumns` (the signature's string columns) keep their text, as MLflow passes
 * the signature's dtypes to read_csv (so a zip code "01234" stays a string).
 */
export function parseScoringCsv(
  text: string,
  stringColumns: ReadonlySet<string> = new Set(),
): Extract<ScoringInput, { kind: "dataframe" }> {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    skipEmptyLines: "greedy",
    header: false,
    dynamicTyping: false,
  });
  const quoteError = parsed.errors.find((e) => e.type === "Quotes");
  if (quoteError) throw csvError(`Error tokenizing data: ${quoteError.message} (row ${(quoteError.row ?? 0) + 1})`);
  const [header, ...records] = parsed.data;
  if (!header || header.length === 0) throw csvError("No columns to parse from file");
  const columns = columnNames(header);
  records.forEach((record, i) => {
    if (record.length > columns.length)
      throw csvError(
        `Error tokenizing data. C error: Expected ${columns.length} fields in line ${i + 2}, saw ${record.length}`,
      );
  });
  const cells = columns.map((_, c) =>
    records.map((record) => (record[c] === undefined || record[c] === "" ? null : record[c]!)),
  );
  const typed = columns.map((name, c) => inferColumn(cells[c]!, stringColumns.has(name)));
  const rows = records.map((_, r) => typed.map((column) => column[r]));
  return { kind: "dataframe", columns, rows };
}
