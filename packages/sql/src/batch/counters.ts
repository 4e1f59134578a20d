/**
 * Progress counters shared by the main thread (rows, cache hits) and the worker (calls, retries, errors,
 * tokens) through a SharedArrayBuffer, so the progress bar can be drawn while DuckDB's thread waits.
 */
export const COUNTER = {
  rows: 0,
  /** Rows answered from an earlier identical request (no call). */
  deduplicated: 1,
  calls: 2,
  retries: 3,
  errors: 4,
  inputTokens: 5,
  outputTokens: 6,
  inFlight: 7,
} as const;
const SLOTS = 8;

export type CounterName = keyof typeof COUNTER;
export type CounterValues = Record<CounterName, number>;

export function createCounters(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
}

export function addTo(counters: Int32Array, name: CounterName, n = 1): void {
  Atomics.add(counters, COUNTER[name], n);
}

export function readCounters(counters: Int32Array): CounterValues {
  const out = {} as CounterValues;
  for (const [name, slot] of Object.entries(COUNTER)) out[name as CounterName] = Atomics.load(counters, slot);
  return out;
}
