/**
 * A small per-isolate cache with a time-to-live and a size bound (oldest entries evicted first).
 * Isolates are short-lived and not shared, so this bounds staleness to `ttlMs` across isolates,
 * while writes in the same isolate call `delete` to see their own changes at once.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

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

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export function cacheTtlMs(env: { EDGESERVE_CACHE_TTL_MS?: string }): number {
  const ms = Number(env.EDGESERVE_CACHE_TTL_MS ?? 5000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 5000;
}
