import type { TensorData } from "./dtype";
import type { Feed } from "./inputs";
import type { Output } from "./outputs";

/**
 * Requests can share one `session.run` when they feed the same inputs with the same types and the same
 * dims after the first (the batch dim). This key says which requests are compatible.
 */
export function batchKey(feeds: readonly Feed[]): string {
  return feeds.map((f) => `${f.name}:${f.type}:${f.dims.slice(1).join("x")}`).join("|");
}

/** Concatenates compatible requests' feeds along dim 0. */
export function concatFeeds(requests: readonly (readonly Feed[])[]): Feed[] {
  const first = requests[0]!;
  return first.map((feed, i) => {
    const parts = requests.map((r) => r[i]!);
    const rows = parts.reduce((n, p) => n + p.dims[0]!, 0);
    return { ...feed, dims: [rows, ...feed.dims.slice(1)], data: concatData(parts.map((p) => p.data)) };
  });
}

/** Rows each request contributed (its dim 0). */
export function rowCounts(requests: readonly (readonly Feed[])[]): number[] {
  return requests.map((feeds) => feeds[0]?.dims[0] ?? 0);
}

/**
 * Splits a batch's outputs back per request. Returns undefined when some output's first dim is not the
 * batch's rows (a model that aggregates over the batch): those requests must run one by one.
 */
export function splitOutputs(outputs: readonly Output[], counts: readonly number[]): Output[][] | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (outputs.some((o) => o.dims[0] !== total)) return undefined;
  const results: Output[][] = counts.map(() => []);
  for (const output of outputs) {
    const rowSize = output.dims.slice(1).reduce((a, b) => a * b, 1);
    let start = 0;
    counts.forEach((count, i) => {
      const data = slice(output.data, start * rowSize, (start + count) * rowSize);
      results[i]!.push({ ...output, dims: [count, ...output.dims.slice(1)], data });
      start += count;
    });
  }
  return results;
}

function concatData(parts: TensorData[]): TensorData {
  const first = parts[0]!;
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const length = parts.reduce((n, p) => n + p.length, 0);
  const Ctor = first.constructor as new (n: number) => Exclude<TensorData, string[]>;
  const out = new Ctor(length);
  let offset = 0;
  for (const p of parts as Exclude<TensorData, string[]>[]) {
    (out as { set(a: ArrayLike<number | bigint>, o: number): void }).set(p, offset);
    offset += p.length;
  }
  return out;
}

function slice(data: ArrayLike<unknown>, start: number, end: number): ArrayLike<unknown> {
  const sliceable = data as { slice?: (s: number, e: number) => ArrayLike<unknown> };
  return typeof sliceable.slice === "function" ? sliceable.slice(start, end) : Array.from(data).slice(start, end);
}
