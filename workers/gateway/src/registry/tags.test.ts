import { describe, expect, it } from "vitest";
import { dedupeTags } from "./tags";

describe("dedupeTags", () => {
  it("keeps the last value of a repeated key and fills missing values", () => {
    expect(dedupeTags([{ key: "a", value: "1" }, { key: "b" }, { key: "a", value: "2" }])).toEqual([
      { key: "a", value: "2" },
      { key: "b", value: "" },
    ]);
  });
});
