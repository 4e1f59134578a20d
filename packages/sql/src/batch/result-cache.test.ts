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

  it("take() hands an outcome over once; has() does not mark it used", () => {
    const cache = new ResultCache(2);
    cache.set("a", { ok: true, value: 1 });
    cache.set("b", { ok: true, value: 2 });
    expect(cache.has("a")).toBe(true);
    cache.set("c", { ok: true, value: 3 });
    expect(cache.has("a")).toBe(false);
    expect(cache.take("b")).toEqual({ ok: true, value: 2 });
    expect(cache.take("b")).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
