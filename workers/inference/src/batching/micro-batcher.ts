/**
 * Collects work submitted while a batch is running and runs it as the next batch. A request that finds
 * the batcher idle starts at once (no waiting window, so one request alone pays nothing); under load,
 * everything that arrived during a run goes into one call. In workerd a WASM `session.run` blocks the
 * isolate, so requests pile up exactly while the previous batch computes.
 */
export class MicroBatcher<Item, Result> {
  private queue: { item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    /** Runs a batch; must return one result per item, or throw to fail them all. */
    private readonly runBatch: (items: Item[]) => Promise<Result[]>,
    private readonly maxItems = 64,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let requests submitted in the same tick join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxItems);
      try {
        const results = await this.runBatch(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (error) {
        batch.forEach((b) => b.reject(error));
      }
    }
    this.running = false;
  }
}
