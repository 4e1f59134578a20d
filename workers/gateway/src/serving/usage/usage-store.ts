import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import type { UsageEvent } from "./usage-event";

/** Where the usage consumer writes; an interface so tests can inject failing writes. */
export interface UsageStore {
  /** Writes all events in one D1 transaction: all land or none do. */
  writeAll(events: readonly UsageEvent[]): Promise<void>;
  /** Writes one event. */
  writeOne(event: UsageEvent): Promise<void>;
}

/**
 * One INSERT per event. `ON CONFLICT DO NOTHING` on the primary key (the event id) makes a
 * redelivered event a no-op: at-least-once delivery by the queue
 * becomes exactly-once rows. One row per statement keeps under D1's 100 bound parameters.
 */
function insertFor(db: Database, event: UsageEvent) {
  if (event.kind === "query") {
    const o = event.outcome;
    return db
      .insert(queryOutcomes)
      .values({
        id: event.id,
        requestId: o.requestId,
        endpointId: o.endpointId,
        servedEntity: o.servedEntity ?? "",
        statusCode: o.status,
        latencyMs: Math.max(0, Math.round(o.latencyMs)),
        timestamp: o.timestamp,
        usageTracked: o.usageTracked,
      })
      .onConflictDoNothing();
  }
  const r = event.record;
  return db
    .insert(usageRecords)
    .values({
      id: event.id,
      requestId: r.requestId,
      servedEntity: r.servedEntity,
      endpointId: r.endpointId,
      endpointName: r.endpointName,
      timestamp: r.timestamp,
      requester: r.requester,
      requesterKind: r.requesterKind,
      clientRequestId: r.clientRequestId ?? null,
      usageContext: r.usageContext ?? null,
      task: r.task,
      provider: r.provider,
      stream: r.stream,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      estimated: r.estimated,
      status: r.status,
      latencyMs: Math.max(0, Math.round(r.latencyMs)),
    })
    .onConflictDoNothing();
}

export function d1UsageStore(db: Database): UsageStore {
  return {
    async writeAll(events) {
      if (events.length === 0) return;
      const [first, ...rest] = events.map((e) => insertFor(db, e));
      await db.batch([first!, ...rest]);
    },
    async writeOne(event) {
      await insertFor(db, event);
    },
  };
}
