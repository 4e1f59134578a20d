import { type Database, queryOutcomes, usageRecords } from "@edgeserve/db";
import { getTableColumns } from "drizzle-orm";
import { type SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import type { UsageEvent } from "./usage-event";

/** Where the usage consumer writes; an interface so tests can inject failing writes. */
export interface UsageStore {
  /** Writes all events of a queue batch in one D1 transaction: all land or none do. */
  writeAll(events: readonly UsageEvent[]): Promise<void>;
  /** Writes the events of one queue message, in one transaction: the fallback when a whole batch fails. */
  writeMessage(events: readonly UsageEvent[]): Promise<void>;
}

/** The columns of a query_outcomes row, keyed as in the drizzle table. */
function outcomeRow(id: string, o: Extract<UsageEvent, { kind: "query" }>["outcome"]): Record<string, unknown> {
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

/** The columns of a usage_records row, keyed as in the drizzle table. */
function usageRow(id: string, r: Extract<UsageEvent, { kind: "usage" }>["record"]): Record<string, unknown> {
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
    costUsd: r.costUsd ?? null,
  };
}

/**
 * Multi-row `INSERT … ON CONFLICT DO NOTHING` for one table, straight on D1: as many rows per statement as
 * D1's 100 bound parameters allow, the SQL text made once per row count and reused. Building the statements
 * with drizzle cost more CPU than the rest of a query's usage tracking (its query builder walks every value);
 * the columns and their driver mapping (booleans, JSON) still come from the drizzle table.
 * `ON CONFLICT DO NOTHING` on the primary key (the event id) makes a redelivered event a no-op:
 * at-least-once delivery by the queue becomes exactly-once rows, and exactly-once metrics totals (D1
 * triggers add each inserted row to them: packages/db/src/usage-schema.ts, `queryOutcomeTotals`).
 */
function rowInserter(table: SQLiteTable) {
  const columns = Object.entries(getTableColumns(table));
  const perStatement = Math.floor(100 / columns.length);
  const head =
    `INSERT INTO "${getTableConfig(table).name}" ` + `(${columns.map(([, c]) => `"${c.name}"`).join(", ")}) VALUES `;
  const row = `(${columns.map(() => "?").join(", ")})`;
  const texts = new Map<number, string>();
  const textFor = (n: number) => {
    let text = texts.get(n);
    if (!text)
      texts.set(n, (text = `${head}${Array.from({ length: n }, () => row).join(", ")} ON CONFLICT DO NOTHING`));
    return text;
  };
  return (d1: D1Database, rows: Record<string, unknown>[]): D1PreparedStatement[] => {
    const statements: D1PreparedStatement[] = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values = chunk.flatMap((r) =>
        columns.map(([key, column]) =>
          r[key] === null || r[key] === undefined ? null : column.mapToDriverValue(r[key]),
        ),
      );
      statements.push(d1.prepare(textFor(chunk.length)).bind(...values));
    }
    return statements;
  };
}

const insertOutcomes = rowInserter(queryOutcomes);
const insertUsage = rowInserter(usageRecords);

function insertsFor(d1: D1Database, events: readonly UsageEvent[]): D1PreparedStatement[] {
  const outcomes = events.flatMap((e) => (e.kind === "query" ? [outcomeRow(e.id, e.outcome)] : []));
  const usage = events.flatMap((e) => (e.kind === "usage" ? [usageRow(e.id, e.record)] : []));
  return [...insertOutcomes(d1, outcomes), ...insertUsage(d1, usage)];
}

export function d1UsageStore(db: Database): UsageStore {
  const d1 = db.$client;
  const write = async (events: readonly UsageEvent[]) => {
    const statements = insertsFor(d1, events);
    if (statements.length > 0) await d1.batch(statements);
  };
  return { writeAll: write, writeMessage: write };
}
