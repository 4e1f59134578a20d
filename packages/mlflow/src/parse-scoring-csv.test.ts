import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { inferColumn, parseScoringCsv } from "./parse-scoring-csv";

describe("parseScoringCsv", () => {
  it("reads the header and types each column as read_csv does", () => {
    const csv = "a,b,c,d\n1,2.5,x,True\n2,,y,False\n";
    expect(parseScoringCsv(csv)).toEqual({
      kind: "dataframe",
      columns: ["a", "b", "c", "d"],
      rows: [
        [1, 2.5, "x", true],
        [2, null, "y", false],
      ],
    });
  });
  it("keeps the signature's string columns as text", () => {
    expect(parseScoringCsv("zip,n\n01234,1\n", new Set(["zip"])).rows).toEqual([["01234", 1]]);
    expect(parseScoringCsv("zip,n\n01234,1\n").rows).toEqual([[1234, 1]]);
  });
  it("handles quotes, CRLF, a BOM, blank lines, short rows, and pandas' index column", () => {
    const csv = '\uFEFF,name,v\r\n0,"Smith, J",1\r\n\r\n1,"say ""hi"""\r\n';
    expect(parseScoringCsv(csv)).toEqual({
      kind: "dataframe",
      columns: ["Unnamed: 0", "name", "v"],
      rows: [
        [0, "Smith, J", 1],
        [1, 'say "hi"', null],
      ],
    });
  });
  it("renames repeated headers like pandas", () => {
    expect(parseScoringCsv("a,a,b\n1,2,3\n").columns).toEqual(["a", "a.1", "b"]);
  });
  it("a column mixing numbers and text stays text", () => {
    expect(inferColumn(["1", "x", null])).toEqual(["1", "x", null]);
    expect(inferColumn(["1", "2e3", "-.5"])).toEqual([1, 2000, -0.5]);
  });
  it.each([
    ["", "No columns to parse from file"],
    ["a,b\n1,2,3\n", "Error tokenizing data. C error: Expected 2 fields in line 2, saw 3"],
    ['a,b\n"1,2\n', "Error tokenizing data"],
  ])("refuses %j with MLflow's message", (csv, detail) => {
    let error: unknown;
    try {
      parseScoringCsv(csv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("BAD_REQUEST");
    expect((error as ApiError).message).toMatch(
      /^Failed to parse input as a Pandas DataFrame\. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas\.DataFrame\.to_csv\(\)` method\. Error: '/,
    );
    expect((error as ApiError).message).toContain(detail);
  });
});
