import type { DeadLetterSourceQueue } from "@edgeserve/api";

/** Keeps a summary within R2's custom metadata budget (2 KB for all of an object's fields). */
const MAX_SUMMARY_LENGTH = 200;

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

function itemsOf(body: unknown): unknown[] {
  return Array.isArray(body) ? body : [body];
}

function kindOf(item: unknown): unknown {
  return typeof item === "object" && item !== null ? (item as { kind?: unknown }).kind : undefined;
}

/** Usage messages: how many events of each kind (never the requesters or usage_context they carry). */
function summarizeUsage(body: unknown): string {
  const items = itemsOf(body);
  const kinds = { usage: 0, query: 0, staged: 0, other: 0 };
  for (const item of items) {
    const kind = kindOf(item);
    if (kind === "usage" || kind === "query" || kind === "staged") kinds[kind]++;
    else kinds.other++;
  }
  const parts = [
    kinds.usage && count(kinds.usage, "usage record"),
    kinds.query && count(kinds.query, "query outcome"),
    kinds.staged && count(kinds.staged, "staged usage record"),
    kinds.other && count(kinds.other, "unreadable item"),
  ].filter(Boolean);
  return `${count(items.length, "event")}: ${parts.join(", ")}`;
}

/** Deployment messages carry an endpoint id and a config version, nothing secret. */
function summarizeDeployment(body: unknown): string {
  const { endpointId, configVersion } = (typeof body === "object" && body !== null ? body : {}) as {
    endpointId?: unknown;
    configVersion?: unknown;
  };
  if (typeof endpointId !== "string" || typeof configVersion !== "number") return "unreadable deployment message";
  return `deployment of config version ${configVersion} of endpoint ${endpointId}`;
}

/**
 * One line saying what a dead letter carries, for the list: counts and ids, never payload text,
 * prompts, user names or secrets. Payload-log messages are opaque here (their shape is the payload-log
 * consumer's), so only their records are counted. Never throws, whatever the body.
 */
export function summarizeDeadLetter(queue: DeadLetterSourceQueue, body: unknown): string {
  const summary =
    queue === "edgeserve-usage"
      ? summarizeUsage(body)
      : queue === "edgeserve-deployments"
        ? summarizeDeployment(body)
        : count(itemsOf(body).length, "payload log record");
  return summary.slice(0, MAX_SUMMARY_LENGTH);
}
