import type { UsageRecord } from "./usage-record";

/**
 * The one place usage records go. Today: a structured log line (Workers Logs / `wrangler tail`
 * collect it). Usage tracking (D1 tables through a queue) and token rate limits plug in here.
 */
export function recordUsage(record: UsageRecord, waitUntil: (promise: Promise<unknown>) => void): void {
  void waitUntil;
  console.log(JSON.stringify({ type: "usage", ...record }));
}
