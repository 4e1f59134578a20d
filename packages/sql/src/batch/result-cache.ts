/**
 * Outcomes of recent requests by request key, least recently used first out: identical requests are
 * sent once, while the memory it takes stays bounded however many rows the statement reads.
 */
import type { CallOutcome } from "../call-spec";

export class ResultCache {
  private readonly entries = new Map<string, CallOutcome>();

  constructor(private readonly capacity: number) {}

  get(key: string): CallOutcome | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, outcome: CallOutcome): void {
    this.entries.delete(key);
    this.entries.set(key, outcome);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Whether the key is held (without marking it recently used). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The outcome, removed from the cache. */
  take(key: string): CallOutcome | undefined {
    const hit = this.entries.get(key);
    this.entries.delete(key);
    return hit;
  }

  get size(): number {
    return this.entries.size;
  }
}
