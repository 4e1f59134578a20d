/**
 * infra/workerd-v8-flags: V8 flags reach a real workerd through Miniflare (what `wrangler dev` runs), and the
 * config patch itself leaves everything it does not own as it was.
 */
import path from "node:path";
import { Miniflare } from "miniflare";
import { afterEach, describe, expect, it } from "vitest";
import { readV8Flags, withV8Flags } from "../../infra/workerd-v8-flags/config-v8-flags.mjs";
import { repoRoot, workerdEnv } from "../../infra/local-stack.mjs";

/** A one-segment message whose root struct has `pointers` pointer slots, slot 0 pointing at a 1-word struct. */
function configMessage(pointers: number): Buffer {
  const words = 1 + 1 + pointers + 1;
  const segment = Buffer.alloc(words * 8);
  segment.writeUInt32LE(0, 0); // root: struct at offset 0
  segment.writeUInt32LE(1 | (pointers << 16), 4); // 1 data word, `pointers` pointers
  segment.writeUInt32LE(0xdeadbeef, 8); // the data word
  segment.writeUInt32LE(((pointers - 1) << 2) >>> 0, 16); // slot 0 → the struct after the pointer section
  segment.writeUInt32LE(1, 20);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0, 0);
  header.writeUInt32LE(words, 4);
  return Buffer.concat([header, segment]);
}

describe("withV8Flags", () => {
  it("sets v8Flags in a new segment and leaves segment 0 as it was but for that slot", () => {
    const before = configMessage(6);
    const { message, patched } = withV8Flags(before, ["--single-threaded-gc", "--expose-gc"]);
    expect(patched).toBe(true);
    expect(readV8Flags(message)).toEqual(["--single-threaded-gc", "--expose-gc"]);
    expect(message.readUInt32LE(0)).toBe(1); // two segments
    const slot = 16 + (1 + 1 + 2) * 8; // header (16 bytes with two segments) + root pointer + data word + slots 0, 1
    const original = before.subarray(8);
    const patchedSegment = message.subarray(16, 16 + original.length);
    expect(Buffer.compare(patchedSegment.subarray(0, slot - 16), original.subarray(0, slot - 16))).toBe(0);
    expect(Buffer.compare(patchedSegment.subarray(slot - 16 + 8), original.subarray(slot - 16 + 8))).toBe(0);
  });

  it("leaves a message it cannot patch safely unchanged, and says why", () => {
    const noSlot = configMessage(2);
    expect(withV8Flags(noSlot, ["--x"])).toEqual({
      message: noSlot,
      patched: false,
      reason: "Config has no v8Flags slot",
    });
    const once = withV8Flags(configMessage(6), ["--a"]).message;
    expect(withV8Flags(once, ["--b"])).toMatchObject({ patched: false, reason: "v8Flags already set" });
    expect(readV8Flags(once)).toEqual(["--a"]);
    expect(withV8Flags(noSlot, [])).toMatchObject({ patched: false, reason: "no flags" });
  });
});

describe("infra/workerd-v8-flags/workerd under Miniflare", () => {
  const saved = { path: process.env.MINIFLARE_WORKERD_PATH, flags: process.env.EDGESERVE_WORKERD_V8_FLAGS };
  afterEach(() => {
    for (const [key, value] of [
      ["MINIFLARE_WORKERD_PATH", saved.path],
      ["EDGESERVE_WORKERD_V8_FLAGS", saved.flags],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** What a worker sees of `gc`, which V8 exposes only with --expose-gc. */
  async function typeofGc(options: { inspectorPort?: number } = {}): Promise<string> {
    const mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(typeof gc) } }",
      ...options,
    });
    try {
      return await (await mf.dispatchFetch("http://localhost/")).text();
    } finally {
      await mf.dispose();
    }
  }

  it("passes the flags to the real workerd, which then serves as usual", async () => {
    process.env.MINIFLARE_WORKERD_PATH = path.join(repoRoot, "infra/workerd-v8-flags/workerd");
    process.env.EDGESERVE_WORKERD_V8_FLAGS = "--expose-gc --single-threaded-gc";
    expect(await typeofGc()).toBe("function");
    // With an inspector (as under wrangler dev) Miniflare puts its options after the `-` that means "config on stdin".
    expect(await typeofGc({ inspectorPort: 0 })).toBe("function");
    process.env.EDGESERVE_WORKERD_V8_FLAGS = "";
    expect(await typeofGc()).toBe("undefined");
  });

  it("is what local stacks run, with --single-threaded-gc by default", () => {
    delete process.env.MINIFLARE_WORKERD_PATH;
    delete process.env.EDGESERVE_WORKERD_V8_FLAGS;
    expect(workerdEnv()).toEqual({
      MINIFLARE_WORKERD_PATH: path.join(repoRoot, "infra/workerd-v8-flags/workerd"),
      EDGESERVE_WORKERD_V8_FLAGS: "--single-threaded-gc",
    });
  });
});
