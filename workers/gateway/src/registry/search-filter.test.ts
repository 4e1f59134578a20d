import { describe, expect, it } from "vitest";
import { matchesClause, parseSearchFilter } from "./search-filter";

const FIELDS = { name: ["=", "!=", "LIKE", "ILIKE"], run_id: ["=", "IN"] } as const;

describe("parseSearchFilter", () => {
  it("parses MLflow's filter syntax", () => {
    expect(parseSearchFilter("name = 'main.default.iris'", FIELDS)).toEqual([
      { field: "name", comparator: "=", values: ["main.default.iris"] },
    ]);
    expect(parseSearchFilter(`name ilike "%IRIS%" and run_id IN ('a', "b")`, FIELDS)).toEqual([
      { field: "name", comparator: "ILIKE", values: ["%IRIS%"] },
      { field: "run_id", comparator: "IN", values: ["a", "b"] },
    ]);
    expect(parseSearchFilter("name='it\\'s'", FIELDS)).toEqual([{ field: "name", comparator: "=", values: ["it's"] }]);
    expect(parseSearchFilter(undefined, FIELDS)).toEqual([]);
    expect(parseSearchFilter("  ", FIELDS)).toEqual([]);
  });

  it.each([
    ["name = iris", /cannot parse/],
    ["tags.x = 'y'", /cannot parse/],
    ["owner = 'x'", /cannot search by 'owner'/],
    ["run_id LIKE 'x'", /does not support LIKE/],
    ["name IN ('a')", /does not support IN/],
    ["run_id IN 'a'", /cannot parse|needs/],
    ["name = 'a' OR name = 'b'", /expected AND/],
  ])("refuses %j", (filter, message) => {
    expect(() => parseSearchFilter(filter, FIELDS)).toThrow(message);
  });
});

describe("matchesClause", () => {
  it("applies each comparator", () => {
    const [like] = parseSearchFilter("name LIKE 'main.%_iris'", FIELDS);
    expect(matchesClause("main.default_iris", like!)).toBe(true);
    expect(matchesClause("mainXdefault_iris", like!)).toBe(false);
    const [ilike] = parseSearchFilter("name ILIKE '%IRIS'", FIELDS);
    expect(matchesClause("main.default.iris", ilike!)).toBe(true);
    const [notEqual] = parseSearchFilter("name != 'a'", FIELDS);
    expect(matchesClause("a", notEqual!)).toBe(false);
  });
});
