import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache";

describe("TtlCache", () => {
  it("expires entries after the TTL and evicts the oldest beyond its size", () => {
    const cache = new TtlCache<number>(100, 2);
    cache.set("a", 1, 0);
    expect(cache.get("a", 99)).toBe(1);
    expect(cache.get("a", 100)).toBeUndefined();
    cache.set("a", 1, 0);
    cache.set("b", 2, 0);
    cache.set("c", 3, 0);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)).toBe(3);
  });

  it("reloads an expired entry once while concurrent callers get the expired value", async () => {
    const cache = new TtlCache<number>(100);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return 2;
    };
    cache.set("k", 1, 0);
    const first = cache.getOrLoad("k", load, 150);
    const second = await cache.getOrLoad("k", load, 151);
    expect(second).toBe(1);
    release();
    expect(await first).toBe(2);
    expect(loads).toBe(1);
    expect(cache.get("k")).toBe(2);
  });

  it("does not cache a load that a delete overtook, and always reloads with a TTL of 0", async () => {
    const cache = new TtlCache<string>(1000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pending = cache.getOrLoad("k", async () => {
      await gate;
      return "before the write";
    });
    cache.delete("k");
    release();
    expect(await pending).toBe("before the write");
    expect(cache.get("k")).toBeUndefined();

    const uncached = new TtlCache<number>(0);
    let n = 0;
    expect(await uncached.getOrLoad("k", async () => ++n)).toBe(1);
    expect(await uncached.getOrLoad("k", async () => ++n)).toBe(2);
  });
});
