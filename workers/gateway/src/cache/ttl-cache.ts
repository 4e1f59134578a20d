/** How long other callers keep getting an expired entry while one caller reloads it. */
const REFRESH_GRACE_MS = 2000;

/**
 * A small per-isolate cache with a time-to-live and a size bound (oldest entries evicted first).
 * Isolates are short-lived and not shared, so this bounds staleness to `ttlMs` across isolates,
 * while writes in the same isolate call `delete` to see their own changes at once.
 */

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number; refreshingUntil?: number }>();
  /** Bumped by delete/clear, so a load that started before a write does not cache what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, now = Date.now(), ttlMs = this.ttlMs): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  /**
   * The cached value, or `load()`'s. When an entry expires, the first caller reloads it and callers
   * arriving meanwhile get the expired value instead of all hitting D1 at once (under load, every
   * request in flight would otherwise miss together). Each request awaits only its own I/O: Workers
   * do not let one request wait on another's. Staleness stays bounded by the TTL plus one reload
   * (at most REFRESH_GRACE_MS, after which another caller may try). A TTL of 0 always reloads.
   */
  async getOrLoad(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.expiresAt > now) return hit.value;
      if (this.ttlMs > 0 && (hit.refreshingUntil ?? 0) > now) return hit.value;
      hit.refreshingUntil = now + REFRESH_GRACE_MS;
    }
    const generation = this.generation;
    const value = await load();
    // A delete or clear during the load (a write in this isolate) wins: don't cache what was read before it.
    if (generation === this.generation) this.set(key, value, Date.now());
    return value;
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

export function cacheTtlMs(env: { EDGESERVE_CACHE_TTL_MS?: string }): number {
  const ms = Number(env.EDGESERVE_CACHE_TTL_MS ?? 5000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 5000;
}
