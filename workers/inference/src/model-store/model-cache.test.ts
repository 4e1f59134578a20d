import { describe, expect, it } from "vitest";
import { ModelCache } from "./model-cache";

describe("ModelCache", () => {
  it("loads a key once for concurrent callers", async () => {
    const cache = new ModelCache<string>(100);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return { value: "m", bytes: 10 };
    };
    expect(await Promise.all([cache.get("a", load), cache.get("a", load), cache.get("a", load)])).toEqual([
      "m",
      "m",
      "m",
    ]);
    expect(loads).toBe(1);
  });

  it("evicts the least recently used over the budget and disposes it", async () => {
    const cache = new ModelCache<string>(25);
    const disposed: string[] = [];
    const load = (key: string) => async () => ({ value: key, bytes: 10, dispose: () => void disposed.push(key) });
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    await cache.get("a", load("a")); // a is now the most recent
    await cache.get("c", load("c"));
    await Promise.resolve();
    expect(cache.keys()).toEqual(["a", "c"]);
    expect(disposed).toEqual(["b"]);
    expect(cache.bytes).toBe(20);
  });

  it("does not cache a failed load", async () => {
    const cache = new ModelCache<string>(100);
    await expect(cache.get("a", async () => Promise.reject(new Error("R2 down")))).rejects.toThrow("R2 down");
    expect(await cache.get("a", async () => ({ value: "ok", bytes: 1 }))).toBe("ok");
  });
});
