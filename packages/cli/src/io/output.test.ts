import { describe, expect, it } from "vitest";
import { formatJson, formatTable, formatTime } from "./output";

describe("formatTable", () => {
  it("pads columns to the widest cell, keeps rows on one line, and prints empty cells for missing values", () => {
    const rows = [
      { name: "chat", state: "READY", note: "two\nlines" },
      { name: "embeddings-large", state: undefined, note: { a: 1 } },
    ];
    const table = formatTable(rows, [
      { header: "NAME", value: (r) => r.name },
      { header: "STATE", value: (r) => r.state },
      { header: "NOTE", value: (r) => r.note },
    ]);
    expect(table).toBe(
      [
        "NAME              STATE  NOTE",
        "chat              READY  two lines",
        'embeddings-large         {"a":1}',
        "",
      ].join("\n"),
    );
  });

  it("prints only the header for no rows", () => {
    expect(formatTable([], [{ header: "KEY", value: () => "" }])).toBe("KEY\n");
  });
});

describe("formatTime and formatJson", () => {
  it("formats epoch milliseconds as UTC, -1 as never", () => {
    expect(formatTime(1_729_527_763_000)).toBe("2024-10-21T16:22:43Z");
    expect(formatTime(-1)).toBe("never");
    expect(formatTime(undefined)).toBe("");
  });

  it("prints parseable, newline-terminated JSON", () => {
    const text = formatJson({ endpoints: [{ name: "a" }] });
    expect(text.endsWith("\n")).toBe(true);
    expect(JSON.parse(text)).toEqual({ endpoints: [{ name: "a" }] });
  });
});
