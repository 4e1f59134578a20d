import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { call } from "./client";

/** The cache TTL the gateway runs with: wrangler.toml's, as in production. */
const CACHE_TTL_MS = Number(env.EDGESERVE_CACHE_TTL_MS);

type Answer = Awaited<ReturnType<typeof call>>;

/**
 * Stops this isolate's clock (Date, which the caches read; timers keep running) one TTL after now, so
 * whatever its caches hold has expired and their next read is from D1 at `start`. `at(ms)` moves it to
 * `start + ms`. Stepping the clock across the TTL instead of sleeping pins the bound to the millisecond.
 * Undo with `vi.useRealTimers()`.
 */
function stopClock(): { start: number; at: (ms: number) => void } {
  if (!(CACHE_TTL_MS > 0))
    throw new Error(
      `EDGESERVE_CACHE_TTL_MS is ${env.EDGESERVE_CACHE_TTL_MS}: these tests are about the caches, which it turns off`,
    );
  const start = Date.now() + CACHE_TTL_MS;
  vi.useFakeTimers({ toFake: ["Date"], now: start });
  return { start, at: (ms) => vi.setSystemTime(start + ms) };
}

/**
 * This isolate reads (`read()` answers `before`), then another isolate (env.PEER) writes: this isolate keeps
 * answering `before` until the TTL since its read has passed. Returns what the writing isolate answers at
 * once (`there`) and what this one answers from the TTL on (`after`).
 */
export async function afterAnotherIsolateWrote(
  read: (via?: Fetcher) => Promise<Answer>,
  write: (via: Fetcher) => Promise<Answer>,
  before: number,
): Promise<{ there: Answer; after: Answer }> {
  const clock = stopClock();
  expect((await read()).status, "before the write").toBe(before);
  const written = await write(env.PEER);
  expect(written.status, written.text).toBe(200);
  const there = await read(env.PEER);
  clock.at(CACHE_TTL_MS - 1);
  expect((await read()).status, "1 ms before the TTL").toBe(before);
  clock.at(CACHE_TTL_MS);
  return { there, after: await read() };
}

/** This isolate reads (`before`), writes, and reads again at once, its clock stopped: returns that answer. */
export async function afterThisIsolateWrote(
  read: () => Promise<Answer>,
  write: () => Promise<Answer>,
  before: number,
): Promise<Answer> {
  stopClock();
  expect((await read()).status, "before the write").toBe(before);
  const written = await write();
  expect(written.status, written.text).toBe(200);
  return read();
}
