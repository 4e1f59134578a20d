import { describe, expect, it } from "vitest";
import { CSV_BUFFER_BYTES, boundCsvBuffers } from "./csv-buffer";

describe("boundCsvBuffers", () => {
  it("adds buffer_size to read_csv and read_csv_auto calls, in any case, nested or not", () => {
    expect(
      boundCsvBuffers("SELECT * FROM read_csv('a.csv', header = true) JOIN READ_CSV_AUTO(['b.csv', 'c.csv'])"),
    ).toBe(
      `SELECT * FROM read_csv('a.csv', header = true, buffer_size = ${CSV_BUFFER_BYTES}) ` +
        `JOIN READ_CSV_AUTO(['b.csv', 'c.csv'], buffer_size = ${CSV_BUFFER_BYTES})`,
    );
    expect(boundCsvBuffers("COPY (SELECT ai_x(r) FROM (SELECT * FROM read_csv ('in.csv'))) TO 'o.parquet'")).toBe(
      `COPY (SELECT ai_x(r) FROM (SELECT * FROM read_csv ('in.csv', buffer_size = ${CSV_BUFFER_BYTES}))) ` +
        "TO 'o.parquet'",
    );
  });

  it("leaves calls that set buffer_size or max_line_size, and text that only mentions read_csv", () => {
    const sql =
      "SELECT 'read_csv(''x'')' AS s, \"read_csv\" FROM read_csv('a.csv', BUFFER_SIZE := 4194304), " +
      "read_csv('b.csv', max_line_size = 8000000), t.read_csv('c.csv'), read_csv() -- read_csv('d.csv')";
    expect(boundCsvBuffers(sql)).toBe(sql);
  });
});
