/** A loaded model and what it costs to keep it. */
export interface Loaded<T> {
  value: T;
  /** Bytes it holds (the model file size is a good proxy for its WASM memory). */
  bytes: number;
  /** Frees native memory (ONNX sessions); called when the entry is evicted. */
  dispose?: () => Promise<void> | void;
}

/**
 * Per-isolate cache of loaded models under a memory budget, least recently used evicted first, with one
 * in-flight load per key: concurrent requests for a cold model wait for the same load instead of each
 * reading R2 and building a session. A failed load is not cached, so the next request retries.
 */
export class ModelCache<T> {
  private readonly ready = new Map<string, Loaded<T>>();
  private readonly loading = new Map<string, Promise<Loaded<T>>>();
  private usedBytes = 0;

  constructor(private readonly budgetBytes: number) {}

  async get(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    const hit = this.ready.get(key);
    if (hit) {
      // Re-insert: Map iteration order is our recency order.
      this.ready.delete(key);
      this.ready.set(key, hit);
      return hit.value;
    }
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
      pending.then((loaded) => this.admit(key, loaded)).catch(() => {});
    }
    return (await pending).value;
  }

  /** Keys currently loaded, least recently used first. */
  keys(): string[] {
    return [...this.ready.keys()];
  }

  get bytes(): number {
    return this.usedBytes;
  }

  private admit(key: string, loaded: Loaded<T>): void {
    this.ready.set(key, loaded);
    this.usedBytes += loaded.bytes;
    // Evict the oldest until within budget, but always keep the newest even if it alone is over.
    for (const [oldKey, old] of this.ready) {
      if (this.usedBytes <= this.budgetBytes || oldKey === key) break;
      this.ready.delete(oldKey);
      this.usedBytes -= old.bytes;
      void Promise.resolve(old.dispose?.()).catch(() => {});
    }
  }
}
