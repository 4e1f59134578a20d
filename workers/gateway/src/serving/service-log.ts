import { ApiError } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { type EndpointEvent, recordEvents } from "../endpoints/events";
import { describeError } from "../errors/describe-error";

/** At most one service-log line per entity per this many ms per isolate, so an outage cannot flood D1. */
const MIN_INTERVAL_MS = 1000;
/** A cause is cut to this length, so one upstream's long error page does not fill the log. */
const MAX_CAUSE_CHARS = 1000;
const lastWritten = new Map<string, number>();

/**
 * The service-log line for a failed query, or null for failures that are the caller's (4xx other than 429).
 * A handled error's cause (what the upstream said, credentials already cut out) follows its message; of an
 * unexpected error (a bug) only its name, as its message may hold anything.
 */
export function serviceEventFor(entity: string, error: unknown): EndpointEvent | null {
  if (error instanceof ApiError && !error.unhandled) {
    if (error.status < 500 && error.status !== 429) return null;
    // One line per event (the logs endpoint joins them with newlines), so the cause's own line breaks go.
    const cause = error.cause === undefined ? "" : ` (caused by: ${oneLine(describeError(error.cause))})`;
    const message = `${error.status} ${error.code}: ${error.message}${cause}`;
    return { servedEntity: entity, kind: "service", level: error.status === 429 ? "WARN" : "ERROR", message };
  }
  const bug = error instanceof ApiError ? error.cause : error;
  return {
    servedEntity: entity,
    kind: "service",
    level: "ERROR",
    message: `500 INTERNAL_ERROR: ${bug instanceof Error ? bug.name : "unknown error"}`,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_CAUSE_CHARS);
}

/** Records a failed query in the entity's service log (GET …/served-models/{name}/logs), rate limited. */
export function logQueryFailure(
  db: Database,
  endpointId: string,
  entity: string,
  error: unknown,
  now = Date.now(),
): Promise<void> | null {
  const event = serviceEventFor(entity, error);
  if (!event) return null;
  const key = `${endpointId}/${entity}`;
  if (now - (lastWritten.get(key) ?? 0) < MIN_INTERVAL_MS) return null;
  lastWritten.set(key, now);
  return recordEvents(db, endpointId, [event]).catch(() => {});
}
