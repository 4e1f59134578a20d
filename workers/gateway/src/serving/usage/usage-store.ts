import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import type { UsageEvent } from "./usage-event";

/** Where the usage consumer writes; an interface so tests can inject failing writes. */
export interface UsageStore {
  /** Writes all events in one D1 transaction: all land or none do. */
  writeAll(events: readonly UsageEvent[]): Promise<void>;
  /** Writes one event. */
  writeOne(event: UsageEvent): Promise<void>;
}

/** D1 binds at most 100 parameters per statement. */
const MAX_BOUND_PARAMETERS = 100;

function outcomeRow(id: string, o: Extract<UsageEvent, { kind: "query" }>["outcome"]) {
  return {
    id,
    requestId: o.requestId,
    endpointId: o.endpointId,
    servedEntity: o.servedEntity ?? "",
    statusCode: o.status,
    latencyMs: Math.max(0, Math.round(o.latencyMs)),
    timestamp: o.timestamp,
    usageTracked: o.usageTracked,
  };
}

function usageRow(id: string, r: Extract<UsageEvent, { kind: "usage" }>["record"]) {
  return {
    id,
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
  };
}

/** Splits rows so that each statement binds at most MAX_BOUND_PARAMETERS values. */
function chunks<T extends object>(rows: T[]): T[][] {
  if (rows.length === 0) return [];
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / Object.keys(rows[0]!).length));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += perStatement) out.push(rows.slice(i, i + perStatement));
  return out;
}

/**
 * Multi-row INSERTs, as few as D1's 100 bound parameters allow (building one statement per event cost
 * more CPU than the rest of a query's usage tracking). `ON CONFLICT DO NOTHING` on the primary key (the
 * event id) makes a redelivered event a no-op: at-least-once delivery by the queue becomes exactly-once rows.
 */
function insertsFor(db: Database, events: readonly UsageEvent[]) {
  const outcomes = events.flatMap((e) => (e.kind === "query" ? [outcomeRow(e.id, e.outcome)] : []));
  const usage = events.flatMap((e) => (e.kind === "usage" ? [usageRow(e.id, e.record)] : []));
  return [
    ...chunks(outcomes).map((rows) => db.insert(queryOutcomes).values(rows).onConflictDoNothing()),
    ...chunks(usage).map((rows) => db.insert(usageRecords).values(rows).onConflictDoNothing()),
  ];
}

export function d1UsageStore(db: Database): UsageStore {
  return {
    async writeAll(events) {
      const [first, ...rest] = insertsFor(db, events);
      if (!first) return;
      await db.batch([first, ...rest]);
    },
    async writeOne(event) {
      await insertsFor(db, [event])[0];
    },
  };
}
