import { type Database, endpointEvents } from "@edgeserve/db";
import { and, asc, eq } from "drizzle-orm";

export type EventKind = "build" | "service";
export type EventLevel = "INFO" | "WARN" | "ERROR";

export interface EndpointEvent {
  servedEntity: string;
  kind: EventKind;
  level?: EventLevel;
  message: string;
}

/** Appends log lines of served entities (never containing secret values). */
export async function recordEvents(db: Database, endpointId: string, events: EndpointEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += 15) {
    // 6 bound parameters a row; D1 caps a statement at 100.
    await db.insert(endpointEvents).values(
      events.slice(i, i + 15).map((e) => ({
        endpointId,
        servedEntity: e.servedEntity,
        kind: e.kind,
        level: e.level ?? "INFO",
        message: e.message,
      })),
    );
  }
}

/** The newest `limit` lines of one entity's build or service log, oldest first, as one text. */
export async function readLog(
  db: Database,
  endpointId: string,
  servedEntity: string,
  kind: EventKind,
  limit = 1000,
): Promise<string> {
  const rows = await db
    .select({ level: endpointEvents.level, message: endpointEvents.message, createdAt: endpointEvents.createdAt })
    .from(endpointEvents)
    .where(
      and(
        eq(endpointEvents.endpointId, endpointId),
        eq(endpointEvents.servedEntity, servedEntity),
        eq(endpointEvents.kind, kind),
      ),
    )
    .orderBy(asc(endpointEvents.id));
  return rows
    .slice(-limit)
    .map((r) => `${new Date(r.createdAt).toISOString()} ${r.level} ${r.message}\n`)
    .join("");
}
