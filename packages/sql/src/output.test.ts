import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type OutputFormat, createWriter } from "./output";

function write(format: OutputFormat, columns: string[], chunks: unknown[][][]): string {
  const out = new PassThrough();
  let text = "";
  out.on("data", (d) => (text += d));
  const writer = createWriter(format, columns, out);
  for (const rows of chunks) writer.rows(rows);
  writer.end();
  return text;
}

describe("createWriter", () => {
  it("csv: a header, RFC 4180 quoting, nested values as JSON, NULL as an empty field", () => {
    expect(write("csv", ["id", "text", "s"], [[[1, 'say "hi", twice', { a: 1 }]], [[2, null, null]]])).toBe(
      'id,text,s\n1,"say ""hi"", twice","{""a"":1}"\n2,,\n',
    );
  });

  it("json: one array of row objects across chunks; an empty result is []", () => {
    expect(JSON.parse(write("json", ["id", "s"], [[[1, { a: [1] }]], [[2, null]]]))).toEqual([
      { id: 1, s: { a: [1] } },
      { id: 2, s: null },
    ]);
    expect(write("json", ["id"], [])).toBe("[]\n");
  });

  it("table: widths from the first chunk, longer cells cut, a row count", () => {
    const text = write("table", ["id", "name"], [[[1, "ab"]], [[22, "abcdef"]]]);
    expect(text.split("\n")).toEqual([
      "┌────┬──────┐",
      "│ id │ name │",
      "├────┼──────┤",
      "│ 1  │ ab   │",
      "│ 22 │ abc… │",
      "└────┴──────┘",
      "2 rows",
      "",
    ]);
  });
});
