import { describe, expect, it } from "vitest";
import { ResultCache } from "./result-cache";

describe("ResultCache", () => {
  it("keeps at most its capacity, dropping the least recently used", () => {
    const cache = new ResultCache(2);
    cache.set("a", { ok: true, value: 1 });
    cache.set("b", { ok: true, value: 2 });
    expect(cache.get("a")).toEqual({ ok: true, value: 1 });
    cache.set("c", { ok: false, error: "x" });
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toEqual({ ok: true, value: 1 });
    expect(cache.get("c")).toEqual({ ok: false, error: "x" });
  });
});
