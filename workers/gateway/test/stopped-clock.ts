import { env } from "cloudflare:test";
import { vi } from "vitest";

/** The cache TTL the gateway runs with: wrangler.toml's, as in production. */
export const CACHE_TTL_MS = Number(env.EDGESERVE_CACHE_TTL_MS);

/**
 * Stops this isolate's clock (Date, which the caches read; timers keep running) one TTL after now, so
 * whatever its caches hold has expired and their next read is from D1 at `start`. `at(ms)` moves it to
 * `start + ms`. Stepping the clock across the TTL instead of sleeping pins the bound to the millisecond.
 * Undo with `vi.useRealTimers()`.
 */
export function stopClock(): { start: number; at: (ms: number) => void } {
  if (!(CACHE_TTL_MS > 0)) throw new Error(`EDGESERVE_CACHE_TTL_MS is ${env.EDGESERVE_CACHE_TTL_MS}: these tests are about the caches, which it turns off`);
  const start = Date.now() + CACHE_TTL_MS;
  vi.useFakeTimers({ toFake: ["Date"], now: start });
  return { start, at: (ms) => vi.setSystemTime(start + ms) };
}
