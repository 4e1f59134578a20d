import { ApiError } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { type EndpointEvent, recordEvents } from "../endpoints/events";

/** At most one service-log line per entity per this many ms per isolate, so an outage cannot flood D1. */
const MIN_INTERVAL_MS = 1000;
const lastWritten = new Map<string, number>();

/** The service-log line for a failed query, or null for failures that are the caller's (4xx other than 429). */
export function serviceEventFor(entity: string, error: unknown): EndpointEvent | null {
  if (error instanceof ApiError) {
    if (error.status < 500 && error.status !== 429) return null;
    return { servedEntity: entity, kind: "service", level: error.status === 429 ? "WARN" : "ERROR", message: `${error.status} ${error.code}: ${error.message}` };
  }
  return { servedEntity: entity, kind: "service", level: "ERROR", message: `500 INTERNAL_ERROR: ${error instanceof Error ? error.name : "unknown error"}` };
}

/** Records a failed query in the entity's service log (GET …/served-models/{name}/logs), rate limited. */
export function logQueryFailure(db: Database, endpointId: string, entity: string, error: unknown, now = Date.now()): Promise<void> | null {
  const event = serviceEventFor(entity, error);
  if (!event) return null;
  const key = `${endpointId}/${entity}`;
  if (now - (lastWritten.get(key) ?? 0) < MIN_INTERVAL_MS) return null;
  lastWritten.set(key, now);
  return recordEvents(db, endpointId, [event]).catch(() => {});
}
