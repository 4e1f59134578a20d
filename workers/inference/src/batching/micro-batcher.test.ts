import { describe, expect, it } from "vitest";
import { MicroBatcher } from "./micro-batcher";

describe("MicroBatcher", () => {
  it("runs a lone item at once and items arriving during a run as one batch", async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((i) => i * 2);
    });
    const first = batcher.submit(1);
    await new Promise((r) => setTimeout(r, 1));
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("fails the items of a failed batch and keeps serving", async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (fail) throw new Error("boom");
      return items;
    });
    await expect(batcher.submit(1)).rejects.toThrow("boom");
    fail = false;
    expect(await batcher.submit(2)).toBe(2);
  });
});
