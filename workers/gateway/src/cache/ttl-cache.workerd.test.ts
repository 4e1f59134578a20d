import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TtlCache, cacheTtlMs } from "./ttl-cache";

describe("cacheTtlMs", () => {
  it(
    "is wrangler.toml's 5 s here (the tests run with " + "production's caches), 5 s by default, and 0 only if asked",
    () => {
      expect(cacheTtlMs(env)).toBe(5000);
      expect(cacheTtlMs({})).toBe(5000);
      expect(cacheTtlMs({ EDGESERVE_CACHE_TTL_MS: "250" })).toBe(250);
      expect(cacheTtlMs({ EDGESERVE_CACHE_TTL_MS: "0" })).toBe(0);
      expect(cacheTtlMs({ EDGESERVE_CACHE_TTL_MS: "-1" })).toBe(5000);
      expect(cacheTtlMs({ EDGESERVE_CACHE_TTL_MS: "soon" })).toBe(5000);
    },
  );
});

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

  it(
    "keeps staleness bounded when a reload hangs: after " + "the refresh grace, the next caller reloads itself",
    async () => {
      const cache = new TtlCache<string>(100);
      cache.set("k", "old", 0);
      const hanging = cache.getOrLoad("k", () => new Promise<string>(() => {}), 150);
      expect(await cache.getOrLoad("k", async () => "unexpected", 150 + 1999)).toBe("old");
      expect(await cache.getOrLoad("k", async () => "new", 150 + 2000)).toBe("new");
      void hanging;
    },
  );

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
