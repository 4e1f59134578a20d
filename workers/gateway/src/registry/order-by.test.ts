import { describe, expect, it } from "vitest";
import { compareBy, parseOrderBy } from "./order-by";

const KEYS = { name: "name", timestamp: "created", creation_timestamp: "created" } as const;

describe("parseOrderBy", () => {
  it("parses terms and keeps the fallback as tie-breaker", () => {
    expect(parseOrderBy(["timestamp DESC"], KEYS, [{ key: "name", descending: false }])).toEqual([
      { key: "created", descending: true },
      { key: "name", descending: false },
    ]);
    expect(parseOrderBy(undefined, KEYS, [{ key: "name", descending: false }])).toEqual([
      { key: "name", descending: false },
    ]);
  });

  it.each(["owner", "name UP", "name ASC DESC", ""])("refuses %j", (term) => {
    expect(() => parseOrderBy([term], KEYS, [])).toThrow(/order_by/);
  });

  it("sorts by the terms in order", () => {
    const rows = [
      { name: "b", created: 1 },
      { name: "a", created: 1 },
      { name: "c", created: 2 },
    ];
    const terms = parseOrderBy(["creation_timestamp DESC"], KEYS, [{ key: "name", descending: false }]);
    rows.sort(compareBy(terms, (r, k) => r[k]));
    expect(rows.map((r) => r.name)).toEqual(["c", "a", "b"]);
  });
});
